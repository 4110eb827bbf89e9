import { IamEdgeError } from './base.js'

/** No complete response within the client's timeout. */
export class TimeoutError extends IamEdgeError {
  override name = 'TimeoutError' as const
  readonly method: string
  readonly url: string
  readonly timeoutMs: number

  constructor(method: string, url: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${method} ${url} timed out after ${timeoutMs} ms`, options)
    this.method = method
    this.url = url
    this.timeoutMs = timeoutMs
  }
}
