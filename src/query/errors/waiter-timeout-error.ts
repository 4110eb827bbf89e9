import { IamEdgeError } from './base.js'

/** A waiter ran out of attempts or time while the resource was still not in the awaited state. */
export class WaiterTimeoutError extends IamEdgeError {
  override name = 'WaiterTimeoutError' as const
  readonly waiter: string
  readonly attempts: number
  readonly elapsedMs: number

  constructor(waiter: string, attempts: number, elapsedMs: number, options?: { cause?: unknown }) {
    super(`${waiter}: not reached after ${attempts} attempt${attempts === 1 ? '' : 's'} (${Math.round(elapsedMs / 1000)} s)`, options)
    this.waiter = waiter
    this.attempts = attempts
    this.elapsedMs = elapsedMs
  }
}
