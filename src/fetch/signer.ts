import type { SigningKeyCache } from '../sigv4/crypto.js'
import { parseAmzDate, toAmzDate } from '../sigv4/date.js'
import { CONTENT_SHA256 as AMZ_CONTENT_SHA256, payloadHash, presignRequest, signRequest, UNSIGNED_PAYLOAD } from '../sigv4/sign.js'
import type { Credentials, SignOptions } from '../sigv4/types.js'
import type { SignOptionsV4a } from '../sigv4a/sign.js'
import { guessServiceRegion } from './guess.js'

/** Per-request signing options, `init.aws` in `AwsClient.fetch(input, init)`; the names are aws4fetch's. */
export interface AwsSignOptions {
  service?: string
  region?: string
  /** the signing time as `YYYYMMDDTHHMMSSZ` (default now) */
  datetime?: string
  /** presign: the signature goes in the query string */
  signQuery?: boolean
  /** sign without the session token, then add it (default true for the iotdevicegateway service) */
  appendSessionToken?: boolean
  /** sign content-type, content-length, range and the other headers normally left unsigned */
  allHeaders?: boolean
  /** encode the path once rather than twice (S3 always encodes once) */
  singleEncode?: boolean
  /** a bounded key cache of your own (an aws4fetch-style `Map` is accepted and not used: the signer's own cache is bounded) */
  cache?: SigningKeyCache | Map<string, unknown>
  /**
   * sign with SigV4a (AWS4-ECDSA-P256-SHA256, iam-edge/sigv4a, loaded on first use) for the regions
   * of `regionSet`; default: on for S3 Multi-Region Access Point hosts (`*.accesspoint.s3-global.amazonaws.com`)
   */
  sigv4a?: boolean
  /** SigV4a: the regions the signature is valid in, names or wildcards such as `us-*` (default `['*']`) */
  regionSet?: readonly string[]
  /**
   * S3: send the body aws-chunked (a stream of any length): `'signed'` chunks, `'signed-trailer'`
   * (signed chunks, then the checksum), `'unsigned-trailer'` (the checksum only). The length, when
   * known, comes from a Content-Length header. Loaded on first use.
   */
  streaming?: 'signed' | 'signed-trailer' | 'unsigned-trailer'
  /**
   * S3: the body's checksum, `'crc32'`, `'crc32c'`, `'crc64nvme'` or `'sha256'`: an x-amz-checksum
   * header for a buffered body, the trailer of a streamed one. Calls S3 requires one for
   * (DeleteObjects, …) get CRC32 unless the request has a checksum or Content-MD5.
   */
  checksum?: 'crc32' | 'crc32c' | 'crc64nvme' | 'sha256'
  /** S3 streaming: payload bytes per chunk, at least 8192 (default 65536) */
  chunkSize?: number
  /** S3 streaming: the request's abort signal, which the signed request's follows */
  signal?: AbortSignal | null
}

export interface AwsV4SignerInit extends AwsSignOptions {
  url: string | URL
  method?: string
  headers?: HeadersInit
  body?: BodyInit | null
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

// aws4fetch leaves these unsigned unless `allHeaders`: signing them gains nothing and breaks when
// a runtime or proxy rewrites them; and what Cloudflare's edge adds to a request a Worker forwards,
// which the far end never sees as signed. (authorization, user-agent, expect, connection,
// accept-encoding, x-amzn-trace-id: the signer itself never signs them.)
const UNSIGNED_BY_DEFAULT = /^(content-(type|length)|presigned-expires|range|cdn-loop|true-client-ip|x-real-ip|forwarded|via|x-forwarded-.*|cf-.*)$/
const AMZ_EXPIRES = 'X-Amz-Expires'
// aws4fetch presigns S3 for a day unless the URL says otherwise
const S3_PRESIGN_SECONDS = 86400
// an S3 Multi-Region Access Point: SigV4a only, for the regions of the access point
const MRAP_HOST = /\.accesspoint\.s3-global\.amazonaws\.com$/

/**
 * One request signed as aws4fetch's `AwsV4Signer` signs it (same options, same service and region
 * inference), with iam-edge's signer underneath and its shared bounded key cache. The URL signed
 * is the one `fetch` will send: WHATWG-parsed, dot segments resolved. (To sign a path exactly as
 * written, such as the suite's unnormalized cases, use `signRequest` with a string URL.)
 */
export class AwsV4Signer {
  // declared, not defined: the constructor sets each, and a bundle carries no field list (bytes)
  declare readonly method: string
  declare readonly url: URL
  declare readonly headers: Headers
  declare readonly body: BodyInit | null | undefined
  declare readonly service: string
  declare readonly region: string
  declare readonly datetime: string
  /** signed with SigV4a (the `sigv4a` option, or an S3 Multi-Region Access Point host) */
  declare readonly sigv4a: boolean
  readonly #credentials: Credentials
  readonly #options: AwsSignOptions

  constructor(init: AwsV4SignerInit) {
    if (init.url == null) throw new TypeError('url is a required option')
    if (init.accessKeyId == null) throw new TypeError('accessKeyId is a required option')
    if (init.secretAccessKey == null) throw new TypeError('secretAccessKey is a required option')
    // fetch parses the URL (dot segments resolved, some characters percent-encoded) and sends what
    // the parser made of it: that is what gets signed
    this.url = new URL(String(init.url))
    this.method = init.method || (init.body ? 'POST' : 'GET')
    this.headers = new Headers(init.headers ?? {})
    this.headers.delete('host')
    this.body = init.body
    const mrap = MRAP_HOST.test(this.url.hostname)
    const [service, region] = init.service && init.region ? [init.service, init.region] : mrap ? ['s3', '*'] : guessServiceRegion(this.url, this.headers)
    this.service = init.service || service
    this.region = init.region || region || 'us-east-1'
    if (!this.service) throw new TypeError(`service: cannot tell the service from ${this.url.host}; pass aws.service`)
    this.sigv4a = init.sigv4a ?? mrap
    if (init.regionSet !== undefined && !this.sigv4a) throw new TypeError('regionSet: SigV4a only; set sigv4a: true as well')
    this.datetime = init.datetime ?? toAmzDate(Date.now())
    this.#credentials = { accessKeyId: init.accessKeyId, secretAccessKey: init.secretAccessKey, sessionToken: init.sessionToken }
    this.#options = init
    if (this.service === 's3' && !init.signQuery && !this.headers.has(AMZ_CONTENT_SHA256)) this.headers.set(AMZ_CONTENT_SHA256, UNSIGNED_PAYLOAD)
  }

  /** The hex SHA-256 the request signs for its body: the x-amz-content-sha256 given, else the body's. */
  async hexBodyHash(): Promise<string> {
    const given = this.headers.get(AMZ_CONTENT_SHA256)
    if (given) return given
    if (this.service === 's3' && this.#options.signQuery) return UNSIGNED_PAYLOAD
    return payloadHash(globalThis.crypto.subtle, hashable(this.body), false)
  }

  /** `{ method, url, headers, body }` signed: an Authorization header, or the query string with `signQuery`. */
  async sign(): Promise<{ method: string; url: URL; headers: Headers; body: BodyInit | null | undefined; signal?: AbortSignal }> {
    const o = this.#options
    const signed = new Headers()
    const unsigned: [string, string][] = []
    for (const [name, value] of this.headers) {
      if (o.allHeaders || !UNSIGNED_BY_DEFAULT.test(name)) signed.append(name, value)
      else unsigned.push([name, value])
    }
    // what SigV4 and SigV4a share; SigV4 adds the region and key cache, SigV4a the region set
    const common = {
      credentials: this.#credentials,
      service: this.service,
      date: fromDatetime(this.datetime),
      normalizePath: this.service !== 's3',
      singleEncode: this.service === 's3' || o.singleEncode === true,
      omitSessionToken: o.appendSessionToken ?? this.service === 'iotdevicegateway',
    }
    // a given x-amz-content-sha256 is signed as given (the signer reads it), so the body is not hashed
    const body = this.headers.has(AMZ_CONTENT_SHA256) ? null : hashable(this.body)
    // SigV4a's code is loaded when first needed: bundlers split it off, and SigV4 users never load it
    const v4a = this.sigv4a ? await import('./sigv4a.js') : undefined
    const v4aOptions: SignOptionsV4a = { ...common, regionSet: o.regionSet }
    const options: SignOptions = { ...common, region: this.region, keyCache: o.cache instanceof Map ? undefined : o.cache }
    if (o.signQuery) {
      const expires = this.url.searchParams.get(AMZ_EXPIRES)
      const req = { method: this.method, url: expires === null ? this.url.href : withoutParam(this.url.href, AMZ_EXPIRES), headers: signed, body }
      const presign = {
        // aws4fetch adds X-Amz-Expires for S3 only
        expiresIn: expires === null ? (this.service === 's3' ? S3_PRESIGN_SECONDS : null) : Number(expires),
        unsignedPayload: this.service === 's3' && body !== null,
      }
      const presigned = v4a ? await v4a.presignRequestV4a(req, { ...v4aOptions, ...presign }) : await presignRequest(req, { ...options, ...presign })
      return { method: this.method, url: new URL(presigned.url), headers: this.headers, body: this.body }
    }
    const req = { method: this.method, url: this.url.href, headers: signed, body }
    // S3 uploads (chunked streams, checksums) load their code on first use; a PUT or POST with a
    // query and a body may be a call S3 requires a checksum of
    if (o.streaming || o.checksum || (this.service === 's3' && this.url.search && this.body)) {
      const upload = await (await import('./s3.js')).upload(this, o, req, options, unsigned, v4a, hashable)
      if (upload) return upload
    }
    const out = v4a ? await v4a.signRequestV4a(req, v4aOptions) : await signRequest(req, options)
    for (const [name, value] of unsigned) out.headers.append(name, value)
    return { method: this.method, url: this.url, headers: out.headers, body: this.body }
  }
}

/** What the signer can hash of a fetch body; a stream, Blob or FormData needs x-amz-content-sha256. */
function hashable(body: BodyInit | null | undefined): string | ArrayBuffer | ArrayBufferView {
  if (body === null || body === undefined) return ''
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body
  if (body instanceof URLSearchParams) return body.toString()
  const kind = (body as { constructor?: { name?: string } }).constructor?.name ?? typeof body
  throw new TypeError(`body: cannot hash a ${kind} body; set X-Amz-Content-Sha256 (its hex SHA-256, or UNSIGNED-PAYLOAD)`)
}

function fromDatetime(text: string): Date {
  const date = parseAmzDate(text)
  if (!date) throw new TypeError(`datetime: expected YYYYMMDDTHHMMSSZ, got ${JSON.stringify(text)}`)
  return date
}

/** The URL minus one query parameter (matched by its name as written). */
function withoutParam(url: string, name: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((part) => part.split('=')[0] !== name)
  return kept.length > 0 ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q)
}
