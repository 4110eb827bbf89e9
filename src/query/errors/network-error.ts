import { IamEdgeError } from './base.js'

/** fetch itself failed (DNS, connection refused, reset): no HTTP response arrived. */
export class NetworkError extends IamEdgeError {
  override name = 'NetworkError' as const
  readonly method: string
  readonly url: string

  constructor(method: string, url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(`${method} ${url} failed: ${reason}`, { cause })
    this.method = method
    this.url = url
  }
}
