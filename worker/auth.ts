import { readBody, SigningKeyCache, timingSafeEqual, toHex, verifyRequest } from '../src/sigv4/index.js'
import { ALGORITHM_V4A, verifyRequestV4a } from '../src/sigv4a/index.js'
import type { Config } from './config.js'
import { ACCESS_HEADER, accessCaller } from './access.js'
import { MAX_BODY_BYTES } from './params.js'
import { Refusal } from './answers.js'
import type { Caller } from './types.js'

const keyCache = new SigningKeyCache(100)

/** Signed with SigV4a: the Authorization header's algorithm, or a presigned URL's X-Amz-Algorithm. */
function isSigV4a(req: Request, authorization: string | null): boolean {
  return authorization === null ? new URL(req.url).searchParams.get('X-Amz-Algorithm') === ALGORITHM_V4A : authorization.startsWith(`${ALGORITHM_V4A} `)
}

/**
 * Who is calling: a proxy-issued key pair checked with SigV4 or SigV4a (header or presigned; a
 * key's secret derives its SigV4a public key as AWS derives it, cached and bounded), a bearer
 * token compared by SHA-256 in constant time, or (when configured, and only without an
 * Authorization header) a Cloudflare Access assertion. Answers the caller and the body (read
 * once, capped).
 */
export async function authenticate(req: Request, config: Config, fetchImpl: typeof fetch, now: number, waitUntil: (p: Promise<unknown>) => void): Promise<{ caller: Caller; body: Uint8Array }> {
  const authorization = req.headers.get('authorization')
  if (authorization !== null && /^bearer\s/i.test(authorization)) return bearer(req, authorization.slice(7).trim(), config)
  const assertion = req.headers.get(ACCESS_HEADER)
  if (authorization === null && assertion !== null && config.access && !new URL(req.url).searchParams.has('X-Amz-Signature')) {
    return { caller: await accessCaller(assertion, config.access, fetchImpl, now, waitUntil), body: await cappedBody(req) }
  }
  // during a rotation a key id has two secrets: the newest is tried first, an expired one never
  const v4a = isSigV4a(req, authorization)
  const verify = (which: number) =>
    (v4a ? verifyRequestV4a : verifyRequest)(
      req,
      (id) => {
        const secret = config.keys.get(id)?.secrets[which]
        return secret && (secret.expires === undefined || secret.expires > now) ? { accessKeyId: id, secretAccessKey: secret.secretAccessKey } : undefined
      },
      // SigV4a's key pairs have their own bounded cache (50 pairs, keyed by a fingerprint)
      { services: ['iam', 'sts'], maxBodyBytes: MAX_BODY_BYTES, ...(v4a ? {} : { keyCache }), now: new Date(now) },
    )
  let result = await verify(0)
  if (!result.ok && (result.code === 'SignatureDoesNotMatch' || result.code === 'InvalidClientTokenId')) {
    const retry = await verify(1)
    if (retry.ok || result.code === 'InvalidClientTokenId') result = retry
  }
  if (!result.ok) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent behind the app's bodyLimit, which refuses a larger body first
    if (result.code === 'RequestEntityTooLarge') throw new Refusal(413, result.code, `the body is larger than ${MAX_BODY_BYTES} bytes`)
    throw new Refusal(403, result.code, result.message)
  }
  const key = config.keys.get(result.accessKeyId)
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: verifyRequest succeeded through this map's lookup, so the key is there
  if (!key) throw new Refusal(403, 'InvalidClientTokenId', 'The security token included in the request is invalid')
  const service = result.service === 'sts' ? 'sts' : 'iam'
  return { caller: { name: key.name, accessKeyId: result.accessKeyId, service, ...(key.actions ? { actions: key.actions } : {}) }, body: result.body }
}

async function bearer(req: Request, token: string, config: Config): Promise<{ caller: Caller; body: Uint8Array }> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  const hex = toHex(digest)
  // every configured token is compared, so timing does not tell which one nearly matched
  let match: (typeof config.tokens)[number] | undefined
  // Stryker disable next-line ConditionalExpression,StringLiteral,LogicalOperator: equivalent: Headers trim the value, so an empty token never gets here (defence in depth)
  for (const candidate of config.tokens) if (timingSafeEqual(candidate.sha256, hex) && token !== '') match = candidate
  if (!match) throw new Refusal(403, 'InvalidClientTokenId', 'The bearer token is not valid')
  const body = await cappedBody(req)
  return { caller: { name: match.name, service: 'iam', ...(match.actions ? { actions: match.actions } : {}) }, body }
}

/** The body of a caller not verified by SigV4 (which reads it itself), up to MAX_BODY_BYTES. */
async function cappedBody(req: Request): Promise<Uint8Array> {
  const body = await readBody(req, MAX_BODY_BYTES)
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent behind the app's bodyLimit, which refuses a larger body first
  if (!body) throw new Refusal(413, 'RequestEntityTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`)
  return body
}
