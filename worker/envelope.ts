// How refusals look to callers: IAM's own error envelope on the Query API, a small JSON object on
// the JSON facade. Messages are the proxy's own; nothing from secrets or signatures enters them.

const NAMESPACES: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
}

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function xmlError(service: string, status: number, code: string, message: string, requestId: string, headers: HeadersInit = {}): Response {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  const body = `<ErrorResponse xmlns="${NAMESPACES[service] ?? NAMESPACES.iam}"><Error><Type>${type}</Type><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  return new Response(body, { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...headers } })
}

export function jsonError(status: number, code: string, message: string, requestId: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: { code, message, requestId } }, { status, headers: { 'x-amzn-requestid': requestId, ...headers } })
}
