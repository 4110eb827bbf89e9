import { canonicalQuery, parseQuery } from './canonical-query.js'
import {
  ALGORITHM,
  AUTHORIZATION,
  MAX_EXPIRES_SECONDS,
  Q_ALGORITHM,
  Q_CREDENTIAL,
  Q_DATE,
  Q_EXPIRES,
  Q_SECURITY_TOKEN,
  Q_SIGNATURE,
  Q_SIGNED_HEADERS,
} from './constants.js'
import { canonicalRequest, finish, prepare, signedNames } from './core.js'
import { uriEscape } from './encoding.js'
import { payloadHash } from './payload.js'
import type { PresignedRequest, SignableRequest, SignOptions } from './types.js'

// the session token too: it comes from credentials.sessionToken, never from the URL as given
const RESERVED = new Set([Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_SIGNED_HEADERS, Q_EXPIRES, Q_SIGNATURE, Q_SECURITY_TOKEN])

/**
 * Signs in the query string (a presigned URL). The headers given are signed and must be sent as
 * given; the body is hashed unless `unsignedPayload`.
 */
export async function presignRequest(req: SignableRequest, options: SignOptions): Promise<PresignedRequest> {
  const expiresIn = options.expiresIn ?? 3600
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_SECONDS) {
    throw new RangeError(`SigV4: expiresIn must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}, got ${String(expiresIn)}`)
  }
  const p = prepare(req, options)
  p.headers.delete(AUTHORIZATION)
  const pairs = parseQuery(p.parts.query)
  for (const [key] of pairs) {
    if (RESERVED.has(key)) {
      throw new TypeError(`SigV4: the URL already carries ${key}; presigning adds it${key === Q_SECURITY_TOKEN ? ' from credentials.sessionToken' : ''}`)
    }
  }
  const names = signedNames(p.headers)
  // values enter both the canonical query and the URL already encoded
  const added: Array<[string, string]> = [
    [Q_ALGORITHM, ALGORITHM],
    [Q_CREDENTIAL, uriEscape(`${p.credentials.accessKeyId}/${p.scope}`)],
    [Q_DATE, p.amzDate],
    [Q_SIGNED_HEADERS, uriEscape(names.join(';'))],
    [Q_EXPIRES, String(expiresIn)],
  ]
  const token = p.credentials.sessionToken
  if (token) added.push([Q_SECURITY_TOKEN, uriEscape(token)])
  const signedPairs = token && options.omitSessionToken ? [...pairs, ...added.slice(0, -1)] : [...pairs, ...added]
  const hash = p.givenPayloadHash ?? (await payloadHash(p.subtle, req.body ?? null, options.unsignedPayload === true))
  const canonical = canonicalRequest(p, canonicalQuery(signedPairs), names, hash)
  const { stringToSign, signature } = await finish(p, canonical)

  added.push([Q_SIGNATURE, signature])
  const { origin, path, query } = p.parts
  let url = `${origin}${path}?${query}`
  for (const [k, v] of added) url += `${url.endsWith('?') ? '' : '&'}${k}=${v}`
  return { url, canonicalRequest: canonical, stringToSign, signature }
}
