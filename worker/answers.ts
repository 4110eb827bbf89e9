// How the proxy answers what it refuses or cannot do: IAM's own error envelope on the Query API,
// a small JSON object on the JSON facade. Messages are the proxy's own; nothing from secrets,
// signatures or upstream bodies enters them.
import { SERVICES } from './upstream.js'

/** A request the proxy answers itself: status and AWS error code, before or instead of upstream. */
export class Refusal extends Error {
  override name = 'Refusal' as const
  readonly status: number
  readonly code: string
  /** extra answer headers, e.g. Retry-After */
  readonly headers: Record<string, string>
  /** why, for the operator: goes to the log line, never to the caller */
  readonly detail: string | undefined

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}, detail?: string) {
    super(message)
    this.status = status
    this.code = code
    this.headers = headers
    this.detail = detail
  }
}

/**
 * Upstream answered `status` without IAM's error envelope (an HTML error page, an empty body):
 * AWS SDKs and the CLI could not read it, and its text is upstream's, not ours to pass on. IAM's
 * own ServiceFailure (HTTP 500) stands in, for which every SDK has an exception class; upstream's
 * status is in the message and the log.
 */
export function serviceFailure(status: number, headers: Record<string, string>): Refusal {
  const message = `IAM answered HTTP ${status} without an error envelope`
  return new Refusal(500, 'ServiceFailure', message, headers, `upstream ${message}`)
}

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function xmlError(service: 'iam' | 'sts', status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Response {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  const body = `<ErrorResponse xmlns="${SERVICES[service].xmlNamespace}"><Error><Type>${type}</Type><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error><RequestId>${escape(requestId)}</RequestId></ErrorResponse>`
  return new Response(body, { status, headers: { 'content-type': 'text/xml', ...headers } })
}

export function jsonError(status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message, requestId } }, { status, headers })
}

/**
 * An answer of IAM's with the proxy's request id in place of upstream's, so the body (read by
 * botocore) and `x-amzn-requestid` (read by SDK v3) name one id, unique per request, cache hits
 * included; upstream's id stays in the log line. IAM puts `<RequestId>` last in both its answers
 * (in ResponseMetadata) and its error envelope, and text can hold no `<`, so the last one is the
 * element. Searched from the end: a hit costs no scan of a large body.
 */
export function withRequestId(body: string, requestId: string): string {
  const open = body.lastIndexOf('<RequestId>')
  if (open === -1) return body
  const start = open + '<RequestId>'.length
  const end = body.indexOf('</RequestId>', start)
  return end === -1 ? body : body.slice(0, start) + escape(requestId) + body.slice(end)
}
