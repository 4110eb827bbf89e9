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

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function xmlError(service: 'iam' | 'sts', status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Response {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  const body = `<ErrorResponse xmlns="${SERVICES[service].xmlNamespace}"><Error><Type>${type}</Type><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error><RequestId>${escape(requestId)}</RequestId></ErrorResponse>`
  return new Response(body, { status, headers: { 'content-type': 'text/xml', ...headers } })
}

export function jsonError(status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message, requestId } }, { status, headers })
}
