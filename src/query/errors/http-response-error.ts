import { IamEdgeError } from './base.js'

/** The service answered with a status that is not success and a body that is not a Query error. */
export class HttpResponseError extends IamEdgeError {
  override name = 'HttpResponseError' as const
  readonly status: number
  /** at most 200 characters of the body, for diagnosis */
  readonly snippet: string

  constructor(status: number, body: string, context: string, options?: { cause?: unknown }) {
    const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body
    super(`${context}: HTTP ${status} with a body that is not an AWS error: ${JSON.stringify(snippet)}`, options)
    this.status = status
    this.snippet = snippet
  }
}
