import { IamEdgeError } from './base.js'

/** The answer's body grew past the client's `maxResponseBytes`; reading stopped there. */
export class ResponseTooLargeError extends IamEdgeError {
  override name = 'ResponseTooLargeError' as const
  readonly limit: number

  constructor(method: string, url: string, limit: number) {
    super(`${method} ${url}: the response body is larger than ${limit} bytes (maxResponseBytes)`)
    this.limit = limit
  }
}
