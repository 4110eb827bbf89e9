import { canonicalQuery, parseQuery } from './canonical-query.js'
import { ALGORITHM, AMZ_CONTENT_SHA256, AMZ_DATE, AMZ_SECURITY_TOKEN, AUTHORIZATION, HOST } from './constants.js'
import { canonicalRequest, finish, prepare, signedNames } from './core.js'
import { payloadHash } from './payload.js'
import type { SignableRequest, SignedRequest, SignOptions } from './types.js'

/**
 * Signs a request with an Authorization header. Every header given is signed except the few in
 * UNSIGNED_HEADERS; `host` and `x-amz-date` always are, and `x-amz-security-token` unless
 * `omitSessionToken`. The returned headers carry the canonical (trimmed, unfolded, joined) values.
 */
export async function signRequest(req: SignableRequest, options: SignOptions): Promise<SignedRequest> {
  const p = prepare(req, options)
  const { headers, credentials } = p
  headers.delete(AUTHORIZATION)
  headers.set(AMZ_DATE, p.amzDate)
  const token = credentials.sessionToken
  if (token && !options.omitSessionToken) headers.set(AMZ_SECURITY_TOKEN, token)
  const body = req.body ?? null
  // a hash the caller put in x-amz-content-sha256 (S3: a streamed body's, or UNSIGNED-PAYLOAD) is signed as given
  const hash = p.givenPayloadHash ?? (await payloadHash(p.subtle, body, options.unsignedPayload === true))
  if (options.signBody || options.unsignedPayload) headers.set(AMZ_CONTENT_SHA256, hash)

  const names = signedNames(headers)
  const canonical = canonicalRequest(p, canonicalQuery(parseQuery(p.parts.query)), names, hash)
  const { stringToSign, signature } = await finish(p, canonical)

  if (token && options.omitSessionToken) headers.set(AMZ_SECURITY_TOKEN, token)
  headers.set(
    AUTHORIZATION,
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${p.scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  )
  if (!p.hostGiven) headers.delete(HOST)
  const out = new Headers()
  for (const [name, value] of headers) out.set(name, value)
  const { origin, path, query } = p.parts
  return {
    method: p.method,
    url: `${origin}${path}${query === '' ? '' : `?${query}`}`,
    headers: out,
    body: fetchable(body),
    canonicalRequest: canonical,
    stringToSign,
    signature,
  }
}

/** fetch takes views over an ArrayBuffer only; one over a SharedArrayBuffer is copied. */
function fetchable(body: NonNullable<SignableRequest['body']> | null): BodyInit | null {
  if (body === null || typeof body === 'string' || body instanceof ArrayBuffer || !ArrayBuffer.isView(body)) return body
  if (body.buffer instanceof ArrayBuffer) return body as ArrayBufferView<ArrayBuffer>
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice()
}
