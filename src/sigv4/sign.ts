// signRequest and presignRequest: the two forms of a Signature Version 4 signature. Compact for
// the same reason as canonical.ts.
import { canonicalQuery, canonicalUri, check, collectHeaders, fail, type HeaderMap, splitUrl, TOKEN, UNSIGNED_HEADERS, uriEscape } from './canonical.js'
import { defaultSubtle, scratchUtf8, signingKey, toHex, utf8, type Subtle } from './crypto.js'
import { toAmzDate } from './date.js'
import type { Credentials, PresignedRequest, SignableRequest, SignedRequest, SignOptions } from './types.js'

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
/** SHA-256 of the empty string: the payload hash of every body-less request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
/** Presigned URLs live at most seven days. */
export const MAX_EXPIRES_SECONDS = 604_800

export const CONTENT_SHA256 = 'x-amz-content-sha256'
export const SESSION_TOKEN = 'x-amz-security-token'

/**
 * The one check of a key pair, used by the signer and by every client and provider: both keys
 * non-empty strings; a session token, when present, a string (an empty one means none, as an
 * empty AWS_SESSION_TOKEN does for the AWS CLI).
 */
export function assertCredentials(value: unknown, label = 'credentials'): asserts value is Credentials {
  const c = Object(value) as Record<string, unknown>
  for (const k of ['accessKeyId', 'secretAccessKey', 'sessionToken']) {
    // the keys sort below 'ses' and must be non-empty strings; sessionToken, above, may be absent (or empty)
    const key = k < 'ses'
    if (typeof (key ? c[k] || 0 : c[k] ?? '') != 'string') throw new TypeError(`${label}.${k}: must be a ${key ? 'non-empty ' : ''}string`)
  }
}

/** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. A stream cannot be hashed without reading it. */
export function payloadHash(subtle: Subtle, body: unknown, unsigned?: boolean): Promise<string> | string {
  const hash = bodyDigest(subtle, body, unsigned, utf8)
  return typeof hash == 'string' ? hash : hash.then(toHex)
}

// the digest itself, so the signer awaits it inline (an async helper per hash costs in workerd)
function bodyDigest(subtle: Subtle, body: unknown, unsigned: boolean | undefined, encode: (text: string) => BufferSource): Promise<ArrayBuffer> | string {
  return unsigned
    ? UNSIGNED_PAYLOAD
    : subtle.digest(
        'SHA-256',
        body == null || typeof body == 'string'
          ? encode(body ?? '')
          : body instanceof ArrayBuffer || ArrayBuffer.isView(body)
            ? (body as BufferSource)
            : fail(`cannot hash a ${(body as object).constructor?.name} body; sign with unsignedPayload`),
      )
}

/**
 * What SigV4a (iam-edge/sigv4a) changes in a signature: the algorithm's name, the ECDSA key of the
 * credentials, and the signature itself; the region option then carries the region set. SigV4
 * passes none, so its bundle holds nothing of SigV4a but these few branches.
 */
export interface Asymmetric {
  algorithm: string
  key: Promise<CryptoKey>
  /** the hex signature of the string to sign's bytes */
  sign(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<string>
}

// hoisted: a regex literal is a new object at each evaluation
// non-empty, without '/' or spaces
const SCOPE_PART = /^[^\s/]+$/
// fetch uppercases these and only these (Fetch standard, "normalize a method")
const FETCH_METHODS = /^(delete|get|head|options|post|put)$/i
// the parameters presigning adds (the session token from credentials.sessionToken), as written in a query
const RESERVED = /(^|&)X-Amz-(Algorithm|Credential|Date|SignedHeaders|Expires|Signature|Security-Token)(=|&|$)/

/**
 * Both forms in one body (one copy of the checks and the canonical request is what keeps the
 * pair small): the Authorization header form, or with `presign` the query-string form, which
 * returns the URL and how it was signed, nothing else. `date` is Signer's clock, which spares it
 * a copy of its options per call.
 */
export async function sign(req: SignableRequest, o: SignOptions, presign?: boolean, date?: Date | number, alt?: Asymmetric): Promise<SignedRequest & PresignedRequest> {
  const { credentials: c, expiresIn = 3600, subtle: given, omitSessionToken: omit } = o ?? {}
  assertCredentials(c)
  const region = check(o.region, SCOPE_PART, 'region')
  const service = check(o.service, SCOPE_PART, 'service')
  let method = check(req?.method, TOKEN, 'HTTP method')
  if (FETCH_METHODS.test(method)) method = method.toUpperCase()
  if (presign && expiresIn !== null && !(Number.isInteger(expiresIn) && expiresIn > 0 && expiresIn <= MAX_EXPIRES_SECONDS)) {
    throw new RangeError(`SigV4: expiresIn must be 1..${MAX_EXPIRES_SECONDS} whole seconds, got ${expiresIn}`)
  }
  const subtle = given ?? defaultSubtle()
  // a caller's own subtle may keep its input past the call: it gets fresh bytes
  const encode = given ? utf8 : scratchUtf8
  const parts = splitUrl(req.url)
  const [origin, host, path, query] = parts
  const headers = collectHeaders(req.headers)
  const hostGiven = headers.has('host')
  if (!hostGiven) headers.set('host', host)
  const amzDate = toAmzDate(date ?? o.date ?? Date.now())
  const day = amzDate.slice(0, 8)
  // SigV4a: no region in the scope; the region set is signed as x-amz-region-set instead
  const algorithm = alt ? alt.algorithm : 'AWS4-HMAC-SHA256'
  const scope = `${day}/${alt ? '' : `${region}/`}${service}/aws4_request`
  const key = alt ? alt.key : signingKey(o, subtle, c, day, region, service)
  const token = c.sessionToken
  if (!presign) {
    headers.set('x-amz-date', amzDate)
    if (alt) headers.set('x-amz-region-set', region)
    if (token) headers.set(SESSION_TOKEN, token)
  }
  // a hash the caller put in x-amz-content-sha256 (S3: a streamed body's, UNSIGNED-PAYLOAD) is signed as given
  // WebCrypto and fetch take views over an ArrayBuffer only: one over a SharedArrayBuffer is copied
  let body = req.body ?? null
  if (ArrayBuffer.isView(body) && !(body.buffer instanceof ArrayBuffer)) body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice()
  let hash = headers.get(CONTENT_SHA256) ?? bodyDigest(subtle, body, o.unsignedPayload, encode)
  if (typeof hash != 'string') hash = toHex(await hash)
  if (!presign && (o.signBody || o.unsignedPayload)) headers.set(CONTENT_SHA256, hash)
  // every header present but the never-signed ones (authorization among them)
  const names: string[] = []
  for (const name of headers.keys()) if (!UNSIGNED_HEADERS.has(name) && !(omit && name == SESSION_TOKEN)) names.push(name)
  const signedHeaders = names.sort().join(';')
  let lines = ''
  for (const name of names) lines += `${name}:${headers.get(name)}\n`
  // presigning: its parameters, already encoded, go through the same query canonicalization
  let signedQuery = query
  let sent = query
  if (presign) {
    const taken = RESERVED.exec(query)
    if (taken) fail(`the URL already carries X-Amz-${taken[2]}; presigning adds it`)
    signedQuery = `${query && `${query}&`}X-Amz-Algorithm=${algorithm}&X-Amz-Credential=${uriEscape(`${c.accessKeyId}/${scope}`)}&X-Amz-Date=${amzDate}&X-Amz-SignedHeaders=${uriEscape(signedHeaders)}${expiresIn === null ? '' : `&X-Amz-Expires=${expiresIn}`}${alt ? `&X-Amz-Region-Set=${uriEscape(region)}` : ''}`
    sent = token ? `${signedQuery}&X-Amz-Security-Token=${uriEscape(token)}` : signedQuery
    if (!omit) signedQuery = sent
  }
  // the canonical URI and query: a URL signed again (IAM's, STS's) keeps them with its parts, one
  // slot per combination of the path options; a presigned query is new each time
  // Stryker disable next-line EqualityOperator: equivalent: a negated test still gives each combination a slot of its own
  const slot = (o.normalizePath !== false ? 4 : 5) + (o.singleEncode === true ? 2 : 0)
  const target = (presign ? undefined : parts[slot]) ?? `${canonicalUri(path, o.normalizePath !== false, o.singleEncode === true)}\n${canonicalQuery(signedQuery)}`
  // Stryker disable next-line ConditionalExpression: equivalent: without the memo the same text is computed again
  if (!presign) parts[slot] = target
  const canonical = `${method}\n${target}\n${lines}\n${signedHeaders}\n${hash}`
  // inline, not a helper: each async function's promise and resumption cost in workerd
  const stringToSign = `${algorithm}\n${amzDate}\n${scope}\n${toHex(await subtle.digest('SHA-256', encode(canonical)))}`
  const signature = alt ? await alt.sign(await key, encode(stringToSign)) : toHex(await subtle.sign('HMAC', await key, encode(stringToSign)))
  const url = presign ? `${origin}${path}?${sent}&X-Amz-Signature=${signature}` : origin + path + (query && `?${query}`)
  if (presign) return { url, canonicalRequest: canonical, stringToSign, signature } as SignedRequest
  headers.set('authorization', `${algorithm} Credential=${c.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`)
  if (!hostGiven) headers.delete('host')
  return new Signed(headers, url, canonical, stringToSign, signature, method, body as BodyInit | null) as SignedRequest
}

/**
 * A signed request's headers, as a getter on the prototype that builds the Headers object on
 * first read: a Headers costs about 3 µs in workerd (a third of a signature), which a caller that
 * needs only the signature never pays; an object literal with its own getter made every
 * signature slower there. fetch() and new Request() read it like any field; a spread copies own
 * fields only, so spread as `{ ...signed, headers: signed.headers }`.
 */
class Signed {
  #headers: HeaderMap | Headers

  // the fields set here, in one shape: an Object.assign of two literals made every signature slower
  constructor(
    headers: HeaderMap,
    public url: string,
    public canonicalRequest: string,
    public stringToSign: string,
    public signature: string,
    public method: string,
    public body: BodyInit | null,
  ) {
    this.#headers = headers
  }

  get headers(): Headers {
    let built = this.#headers
    if (!(built instanceof Headers)) {
      // one append per header: workerd converts a [name, value][] init several times slower
      const entries = built
      this.#headers = built = new Headers()
      for (const [name, value] of entries) built.append(name, value)
    }
    return built
  }
}

/**
 * Signs a request with an Authorization header. Every header given is signed except the few in
 * UNSIGNED_HEADERS; `host` and `x-amz-date` always are, and `x-amz-security-token` unless
 * `omitSessionToken`. The returned headers carry the canonical (trimmed, unfolded, joined) values.
 */
export function signRequest(req: SignableRequest, options: SignOptions): Promise<SignedRequest> {
  return sign(req, options)
}

/**
 * Signs in the query string (a presigned URL). The headers given are signed and must be sent as
 * given; the body is hashed unless `unsignedPayload`.
 */
export function presignRequest(req: SignableRequest, options: SignOptions): Promise<PresignedRequest> {
  return sign(req, options, true)
}
