import { isClockSkewCode, learnClockOffset } from '../query/clock-skew.js'
import { errorCodeIn } from '../query/parse.js'
import { isRetryableResponse } from '../query/retry.js'
import { toAmzDate } from '../sigv4/date.js'
import type { CredentialProvider } from '../sigv4/types.js'
import { type AwsSignOptions, AwsV4Signer } from './signer.js'

export interface AwsClientOptions {
  accessKeyId?: string
  secretAccessKey?: string
  sessionToken?: string
  /** instead of the keys: a provider (assumeRole, the config chain), asked before every request */
  credentials?: CredentialProvider
  service?: string
  region?: string
  cache?: AwsSignOptions['cache']
  /** sign every request with SigV4a (default: only S3 Multi-Region Access Point hosts); per request: `init.aws.sigv4a` */
  sigv4a?: boolean
  /** SigV4a: the regions signatures are valid in (default `['*']`); per request: `init.aws.regionSet` */
  regionSet?: readonly string[]
  /** retries after the first attempt (default 10, as aws4fetch) */
  retries?: number
  /** first backoff in ms, doubled each retry with full jitter (default 50) */
  initRetryMs?: number
  /** default: the global fetch */
  fetch?: typeof fetch
}

export type AwsRequestInit = RequestInit & { aws?: AwsSignOptions }

// an answer this long is read for its error code; throttling answers are a few hundred bytes
const CODE_SNIFF_BYTES = 64 * 1024
const MAX_RETRY_AFTER_MS = 20_000

/**
 * A signed `fetch` for any AWS service, with aws4fetch's `AwsClient` options and methods (change
 * the import and nothing else), plus: credential providers refreshed before expiry, retries on
 * throttling codes (IAM's HTTP 400 `Throttling`, `ThrottlingException`, `SlowDown`,
 * `RequestLimitExceeded`, …) as well as 5xx and 429, `Retry-After` honoured, and clock skew
 * learned from the answer's `Date` and corrected once.
 */
export class AwsClient {
  // declared, not defined: the constructor sets each, and a bundle carries no field list (bytes)
  declare readonly service: string | undefined
  declare readonly region: string | undefined
  declare readonly retries: number
  declare readonly initRetryMs: number
  readonly #keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined
  readonly #provider: CredentialProvider | undefined
  readonly #cache: AwsSignOptions['cache']
  readonly #v4a: Pick<AwsSignOptions, 'sigv4a' | 'regionSet'>
  readonly #fetch: typeof fetch
  #clockOffsetMs = 0

  constructor(options: AwsClientOptions) {
    const { accessKeyId, secretAccessKey, sessionToken, credentials } = options
    if (credentials === undefined) {
      if (accessKeyId == null) throw new TypeError('accessKeyId is a required option')
      if (secretAccessKey == null) throw new TypeError('secretAccessKey is a required option')
      this.#keys = { accessKeyId, secretAccessKey, sessionToken }
    } else if (typeof credentials !== 'function') {
      throw new TypeError('credentials: expected a provider function (for a key pair use accessKeyId and secretAccessKey)')
    }
    this.#provider = credentials
    this.service = options.service
    this.region = options.region
    this.#cache = options.cache
    this.#v4a = { sigv4a: options.sigv4a, regionSet: options.regionSet }
    this.retries = options.retries ?? 10
    this.initRetryMs = options.initRetryMs ?? 50
    if (!Number.isInteger(this.retries) || this.retries < 0) throw new RangeError(`retries: must be a whole number ≥ 0, got ${String(options.retries)}`)
    // an unbound global fetch throws "Illegal invocation" in browsers and workerd
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  }

  /** The request as it will be sent, signed. */
  async sign(input: RequestInfo | URL, init: AwsRequestInit = {}): Promise<Request> {
    let url: string
    let merged: AwsRequestInit = init
    if (input instanceof Request) {
      const { method, headers, body } = input
      merged = { method, headers, ...init }
      if (merged.body == null && body !== null) {
        // a stream is sent as a stream when its hash is given; anything else is read to be hashed
        merged.body = headers.has('x-amz-content-sha256') ? body : await input.clone().arrayBuffer()
      }
      url = input.url
    } else {
      url = String(input)
    }
    const keys = this.#keys ?? (await (this.#provider as CredentialProvider)())
    const aws = merged.aws ?? {}
    // an option left undefined is an option not given: AwsV4Signer reads each so
    const signer = new AwsV4Signer({
      ...keys,
      url,
      method: merged.method,
      headers: merged.headers,
      signal: merged.signal,
      body: merged.body,
      service: this.service,
      region: this.region,
      cache: this.#cache,
      datetime: this.#clockOffsetMs ? toAmzDate(Date.now() + this.#clockOffsetMs) : undefined,
      ...this.#v4a,
      ...aws,
    })
    const signed = await signer.sign()
    const { aws: _, ...rest } = merged
    // the signed method, headers and body (and a chunked upload's own signal, which cuts the
    // request off when its body fails); signed.url is not a RequestInit field and is ignored
    const requestInit: RequestInit & { duplex?: 'half' } = { ...rest, ...signed, body: signed.body ?? null }
    // a stream body needs duplex: 'half' where fetch supports streaming uploads
    if (signed.body instanceof ReadableStream) requestInit.duplex = 'half'
    return new Request(signed.url, requestInit)
  }

  /** `fetch` signed, retried with jittered backoff on throttling, 5xx and 429 (not with a stream body). */
  async fetch(input: RequestInfo | URL, init: AwsRequestInit = {}): Promise<Response> {
    const streamed = init.body instanceof ReadableStream || (input instanceof Request && input.body !== null && init.body === undefined)
    const retries = streamed ? 0 : this.retries
    let skewFixed = false
    for (let attempt = 0; ; attempt++) {
      const res = await this.#fetch(await this.sign(input, init))
      if (attempt >= retries || res.ok) return res
      const code = await errorCode(res)
      if (!skewFixed && code !== undefined && isClockSkewCode(code)) {
        const offset = learnClockOffset(res.headers.get('date'), Date.now(), this.#clockOffsetMs)
        if (offset !== undefined) {
          this.#clockOffsetMs = offset
          skewFixed = true
          continue
        }
      }
      if (!isRetryableResponse(res.status, code)) return res
      await new Promise((resolve) => setTimeout(resolve, retryDelay(res, attempt, this.initRetryMs)))
    }
  }
}

/** The error code of an AWS answer (XML `<Code>`, JSON `__type`/`code`), read from a clone. */
async function errorCode(res: Response): Promise<string | undefined> {
  const length = Number(res.headers.get('content-length') ?? 0)
  if (length > CODE_SNIFF_BYTES || res.body === null) return undefined
  const text = await res.clone().text()
  const xml = errorCodeIn(text)
  if (xml) return xml
  const json = /"(?:__type|code)"\s*:\s*"([^"]+)"/.exec(text)?.[1]
  // JSON protocols may prefix the code with a namespace: "com.amazonaws.dynamodb#ThrottlingException"
  return json?.split('#').pop()
}

function retryDelay(res: Response, attempt: number, initMs: number): number {
  const after = res.headers.get('retry-after')
  if (after !== null) {
    const seconds = Number(after)
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now()
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS)
  }
  return Math.random() * initMs * 2 ** attempt
}
