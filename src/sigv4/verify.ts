import { ALGORITHM, type ParsedCredential, parseAuthorization, parseCredential, parseSignedHeaders } from './authorization.js'
import { canonicalQuery, canonicalRequest, canonicalUri, canonicalValue, type HeaderMap } from './canonical.js'
import { timingSafeEqual } from './constant-time.js'
import { defaultSubtle, sha256Hex, signature, signingKey, type SigningKeyCache, type Subtle, utf8 } from './crypto.js'
import { parseAmzDate } from './date.js'
import { readBody } from './read-body.js'
import { CONTENT_SHA256 as AMZ_CONTENT_SHA256, MAX_EXPIRES_SECONDS, SESSION_TOKEN as AMZ_SECURITY_TOKEN, UNSIGNED_PAYLOAD } from './sign.js'
import type { Credentials } from './types.js'

const HOST = 'host'
const AUTHORIZATION = 'authorization'
const AMZ_DATE = 'x-amz-date'
const REGION_SET = 'x-amz-region-set'
const Q_ALGORITHM = 'X-Amz-Algorithm'
const Q_CREDENTIAL = 'X-Amz-Credential'
const Q_DATE = 'X-Amz-Date'
const Q_SIGNED_HEADERS = 'X-Amz-SignedHeaders'
const Q_EXPIRES = 'X-Amz-Expires'
const Q_SECURITY_TOKEN = 'X-Amz-Security-Token'
const Q_SIGNATURE = 'X-Amz-Signature'

export type VerifyErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'RequestExpired'
  | 'RequestTimeTooSkewed'
  | 'RequestEntityTooLarge'

export type VerifyResult =
  | {
      ok: true
      accessKeyId: string
      region: string
      service: string
      form: 'header' | 'query'
      signedHeaders: string[]
      /** the body that was hashed (empty for body-less requests), so it need not be read again */
      body: Uint8Array
    }
  | { ok: false; code: VerifyErrorCode; message: string }

export interface VerifyOptions {
  /** allowed difference between the request's date and now, seconds (default 900) */
  maxSkewSeconds?: number
  now?: Date
  /** accepted services in the credential scope (default: every service) */
  services?: readonly string[]
  /** largest body hashed, bytes (default 1 MiB); longer → RequestEntityTooLarge */
  maxBodyBytes?: number
  /** accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (default false: the body must be signed) */
  allowUnsignedPayload?: boolean
  /** as the signer's option; clients of IAM and STS normalize (default true) */
  normalizePath?: boolean
  /** as the signer's option: the path read as S3 reads it and encoded once (default false) */
  singleEncode?: boolean
  /** as the signer's option: the shared bounded cache unless given one, `false` for none */
  keyCache?: SigningKeyCache | false
  subtle?: Subtle
}

/**
 * What SigV4a (iam-edge/sigv4a) changes in a check: the algorithm's name, and the signature
 * checked against the public key of the credentials; the scope has no region, and the region set
 * (x-amz-region-set, or X-Amz-Region-Set presigned) must be signed.
 */
export interface AsymmetricCheck {
  algorithm: string
  verify(credentials: Credentials, signature: string, stringToSign: Uint8Array<ArrayBuffer>, subtle: SubtleCrypto): Promise<boolean>
}

export type Lookup = (accessKeyId: string) => Promise<Credentials | undefined> | Credentials | undefined

interface Claim {
  form: 'header' | 'query'
  credential: ParsedCredential
  signedHeaders: string[]
  signature: string
  amzDate: string
  /** presigned only, when X-Amz-Expires is given */
  expires?: number
  token: string | null
  /** presigned SigV4a only: X-Amz-Region-Set */
  regionSet?: string | null
  /** the query as written, less X-Amz-Signature: what enters the canonical query */
  query: string
}

const fail = (code: VerifyErrorCode, message: string): VerifyResult => ({ ok: false, code, message })

/**
 * Checks an incoming request's SigV4 signature (Authorization header or presigned query) against
 * the secret that `lookup` returns for its access key. Never throws for a bad request: the result
 * names the AWS error code and what was wrong.
 */
export function verifyRequest(req: Request, lookup: Lookup, options: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyAs(req, lookup, options)
}

/** verifyRequest, or with `alt` its SigV4a form. */
export async function verifyAs(req: Request, lookup: Lookup, options: VerifyOptions, alt?: AsymmetricCheck): Promise<VerifyResult> {
  const url = new URL(req.url)
  const claimed = readClaim(req, url, alt?.algorithm)
  if ('code' in claimed) return claimed
  const { credential, signedHeaders } = claimed

  if (!signedHeaders.includes(HOST)) return fail('IncompleteSignature', 'the host header must be signed')
  if (claimed.form === 'header' && !signedHeaders.includes(AMZ_DATE)) {
    return fail('IncompleteSignature', 'the x-amz-date header must be signed')
  }
  const regionSet = claimed.form === 'header' ? req.headers.get(REGION_SET) : claimed.regionSet
  if (alt && !(regionSet && (claimed.form === 'query' || signedHeaders.includes(REGION_SET)))) {
    return fail('IncompleteSignature', claimed.form === 'header' ? 'the x-amz-region-set header must be sent and signed' : 'presigned URL is missing X-Amz-Region-Set')
  }
  if (options.services && !options.services.includes(credential.service)) {
    return fail('SignatureDoesNotMatch', `Credential should be scoped to a valid service (${options.services.join(' or ')}), not ${JSON.stringify(credential.service)}`)
  }
  const date = parseAmzDate(claimed.amzDate)
  if (!date) return fail('IncompleteSignature', `the request date ${JSON.stringify(claimed.amzDate.slice(0, 32))} is not in the form YYYYMMDDTHHMMSSZ`)
  if (credential.day !== claimed.amzDate.slice(0, 8)) {
    return fail('SignatureDoesNotMatch', `Credential scope date ${credential.day} does not match the request date ${claimed.amzDate.slice(0, 8)}`)
  }
  const skew = timeCheck(claimed, date, options)
  if (skew) return skew

  const credentials = await lookup(credential.accessKeyId)
  if (!credentials) return fail('InvalidClientTokenId', 'The security token included in the request is invalid: unknown access key')
  if (!timingSafeEqual(credentials.sessionToken ?? '', claimed.token ?? '')) {
    return fail('InvalidClientTokenId', 'The security token included in the request is invalid')
  }

  const body = await readBody(req, options.maxBodyBytes ?? 1 << 20)
  if (!body) return fail('RequestEntityTooLarge', `the body is larger than ${options.maxBodyBytes ?? 1 << 20} bytes`)
  const subtle = options.subtle ?? defaultSubtle()
  const declaredHash = req.headers.get(AMZ_CONTENT_SHA256)
  let payloadHash: string
  if (declaredHash === UNSIGNED_PAYLOAD && signedHeaders.includes(AMZ_CONTENT_SHA256)) {
    if (!options.allowUnsignedPayload) return fail('IncompleteSignature', 'UNSIGNED-PAYLOAD is not accepted: sign the body')
    payloadHash = UNSIGNED_PAYLOAD
  } else {
    payloadHash = await sha256Hex(subtle, body)
  }

  const headers: HeaderMap = new Map()
  for (const name of signedHeaders) {
    const value = name === HOST ? (req.headers.get(HOST) ?? url.host) : req.headers.get(name)
    if (value === null) return fail('SignatureDoesNotMatch', `the signed header ${name} is not in the request`)
    headers.set(name, canonicalValue(value))
  }
  const uri = canonicalUri(url.pathname, options.normalizePath !== false, options.singleEncode === true)
  const canonical = canonicalRequest(req.method, uri, canonicalQuery(claimed.query), headers, signedHeaders, signedHeaders.join(';'), payloadHash)
  const { day, service } = credential
  const region = alt ? (regionSet as string) : credential.region
  let matches: boolean
  if (alt) {
    const stringToSign = `${alt.algorithm}\n${claimed.amzDate}\n${day}/${service}/aws4_request\n${await sha256Hex(subtle, canonical)}`
    matches = await alt.verify(credentials, claimed.signature, utf8(stringToSign), subtle as SubtleCrypto)
  } else {
    const key = signingKey(options, subtle, credentials, day, region, service)
    const [, computed] = await signature(subtle, key, claimed.amzDate, `${day}/${region}/${service}/aws4_request`, canonical)
    matches = timingSafeEqual(computed, claimed.signature.toLowerCase())
  }
  if (!matches) {
    const hint = signedHeaders.includes('accept-encoding')
      ? '; accept-encoding was signed, but runtimes and proxies rewrite it (workerd does), so such a signature cannot verify: leave it unsigned'
      : ''
    return fail('SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided${hint}`)
  }
  return { ok: true, accessKeyId: credential.accessKeyId, region, service, form: claimed.form, signedHeaders, body }
}

function readClaim(req: Request, url: URL, expected = ALGORITHM): Claim | { ok: false; code: VerifyErrorCode; message: string } {
  const authorization = req.headers.get(AUTHORIZATION)
  const query = url.search.slice(1)
  const pairs = parseQuery(query)
  if (authorization !== null) {
    const parsed = parseAuthorization(authorization, expected)
    if (!parsed.ok) return { ok: false, code: 'IncompleteSignature', message: parsed.message }
    const amzDate = req.headers.get(AMZ_DATE)
    if (amzDate === null) return { ok: false, code: 'IncompleteSignature', message: 'the x-amz-date header is missing' }
    return { form: 'header', ...parsed.value, amzDate, token: req.headers.get(AMZ_SECURITY_TOKEN), query }
  }
  // undefined: absent; null: repeated or not decodable
  const single = (name: string): string | undefined | null => {
    const values = pairs.filter(([k]) => k === name)
    if (values.length === 0) return undefined
    return values.length > 1 ? null : unescape((values[0] as [string, string])[1])
  }
  const algorithm = single(Q_ALGORITHM)
  if (algorithm === undefined) {
    return { ok: false, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' }
  }
  // X-Amz-Expires may be left out (aws4fetch does, for every service but S3): the URL is then good
  // for the usual skew window around X-Amz-Date, as a signed header's date is
  const givenExpires = single(Q_EXPIRES)
  const fields = [Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_SIGNED_HEADERS, Q_SIGNATURE].map((n) => [n, single(n)] as const)
  const bad = fields.filter(([, v]) => !v).map(([n]) => n)
  if (givenExpires === null || givenExpires === '') bad.push(Q_EXPIRES)
  if (bad.length > 0) return { ok: false, code: 'IncompleteSignature', message: `presigned URL is missing or repeats ${bad.join(', ')}` }
  if (algorithm !== expected) return { ok: false, code: 'IncompleteSignature', message: `only ${expected} is accepted` }
  const value = (n: string): string => single(n) as string
  const credential = parseCredential(value(Q_CREDENTIAL), expected !== ALGORITHM)
  if (!credential.ok) return { ok: false, code: 'IncompleteSignature', message: credential.message }
  const signed = parseSignedHeaders(value(Q_SIGNED_HEADERS))
  if (!signed.ok) return { ok: false, code: 'IncompleteSignature', message: signed.message }
  const expires = givenExpires === undefined ? undefined : Number(givenExpires)
  if (expires !== undefined && !(Number.isInteger(expires) && expires >= 1 && expires <= MAX_EXPIRES_SECONDS)) {
    return { ok: false, code: 'IncompleteSignature', message: `X-Amz-Expires must be 1..${MAX_EXPIRES_SECONDS}` }
  }
  const token = single(Q_SECURITY_TOKEN)
  return {
    form: 'query',
    credential: credential.value,
    signedHeaders: signed.value,
    signature: value(Q_SIGNATURE),
    amzDate: value(Q_DATE),
    ...(expires === undefined ? {} : { expires }),
    token: token ?? req.headers.get(AMZ_SECURITY_TOKEN),
    regionSet: single('X-Amz-Region-Set') ?? null,
    query: query
      .split('&')
      .filter((part) => part.split('=')[0] !== Q_SIGNATURE)
      .join('&'),
  }
}

function timeCheck(claim: Claim, date: Date, options: VerifyOptions): VerifyResult | undefined {
  const now = (options.now ?? new Date()).getTime()
  const maxSkew = (options.maxSkewSeconds ?? 900) * 1000
  const t = date.getTime()
  if (claim.form === 'query') {
    if (t - now > maxSkew) return fail('RequestTimeTooSkewed', 'The presigned URL is dated too far in the future')
    // without X-Amz-Expires, good for the skew window after its date
    const expires = claim.expires ?? maxSkew / 1000
    if (now > t + expires * 1000) return fail('RequestExpired', `Request has expired: signed at ${date.toISOString()} for ${expires} s`)
    return undefined
  }
  if (Math.abs(now - t) > maxSkew) {
    return fail('RequestTimeTooSkewed', `The difference between the request time (${date.toISOString()}) and the current time is too large`)
  }
  return undefined
}

/** Query pairs exactly as written (still percent-encoded); repeated and empty keys kept. */
function parseQuery(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (const part of query.split('&')) {
    const eq = part.indexOf('=')
    if (part) pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)])
  }
  return pairs
}

/** Percent-decodes a query value such as X-Amz-Credential; null when it is not valid UTF-8. */
function unescape(text: string): string | null {
  try {
    return decodeURIComponent(text)
  // Stryker disable next-line BlockStatement: equivalent: undefined and null both read as not given
  } catch {
    return null
  }
}
