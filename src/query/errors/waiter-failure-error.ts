import { IamEdgeError } from './base.js'

/** A waiter hit its `failure` acceptor: the awaited state can no longer be reached. */
export class WaiterFailureError extends IamEdgeError {
  override name = 'WaiterFailureError' as const
  readonly waiter: string
  readonly attempts: number

  constructor(waiter: string, attempts: number, reason: string, options?: { cause?: unknown }) {
    super(`${waiter}: failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`, options)
    this.waiter = waiter
    this.attempts = attempts
  }
}
