import { SigningKeyCache } from '../sigv4/crypto.js'
import { signRequest } from '../sigv4/sign.js'
import type { CredentialProvider, SignedRequest } from '../sigv4/types.js'
import { isClockSkewCode, learnClockOffset } from './clock-skew.js'
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, type QueryClientConfig, toCredentialProvider, validateConfig } from './config.js'
import { defaultChain } from './defaults.js'
import { resolveEndpoint, type ResolvedEndpoint } from './endpoints.js'
import { type AwsQueryError, type AwsQueryErrorFields, type ErrorType, errorName, HttpResponseError, IamEdgeError, NetworkError, TimeoutError, XmlParseError } from './errors.js'
import type { AnyOperation, QueryProtocol } from './protocol.js'
import { requestIdIn } from './parse.js'
import { abortableSleep, backoffDelay, isRetryableResponse } from './retry.js'
import type { Operation, ResponseMetadata } from './shapes.js'
import { VERSION } from '../version.js'
import { assertSecureEndpoint, buildWireRequest, DEFAULT_MAX_RESPONSE_BYTES, exchange, type ExchangeResult, type WireRequest } from './transport.js'

export type WithMetadata<O> = O & { $metadata: ResponseMetadata }

export interface SendOptions {
  signal?: AbortSignal
}

/** What follows the operation in `send`: the input may be left out when none of its members is required. */
export type SendArgs<I> = {} extends I ? [input?: I, options?: SendOptions] : [input: I, options?: SendOptions]

/** What a concrete client (IamClient, StsClient) tells the core about its service. */
export interface ServiceBinding<Reader = unknown> {
  readonly id: 'iam' | 'sts'
  readonly protocol: QueryProtocol<Reader>
  readonly createError: (fields: AwsQueryErrorFields) => AwsQueryError
  /** error shape names that are neither the code nor the code + "Exception" */
  readonly irregularErrorNames?: Readonly<Record<string, string>>
}

/** A config without credentials, completed from the chain `iam-edge/config` installs, if any. */
function withDefaultChain<R>(service: 'iam' | 'sts', given: QueryClientConfig<R>): QueryClientConfig<R> {
  const chain = typeof given === 'object' && given !== null && given.credentials === undefined ? defaultChain() : undefined
  if (!chain) return given
  const { credentials, region, endpoint, allowHttp, retries } = chain(service)
  return {
    credentials,
    ...(region ? { region } : {}),
    ...(retries === undefined ? {} : { retries }),
    // the profile's http endpoint allows http for itself only, not for an endpoint passed here
    ...(endpoint && given.endpoint === undefined ? { endpoint, ...(allowHttp ? { allowHttp } : {}) } : {}),
    ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
  }
}

/** The transport core shared by IamClient and StsClient: sign, send, retry, parse. */
export class QueryClient<Reader = unknown> {
  // declared, not defined: the constructor sets each, and a bundle carries no field list (bytes)
  declare readonly serviceId: 'iam' | 'sts'
  declare readonly endpoint: ResolvedEndpoint
  declare readonly retries: number
  declare readonly timeoutMs: number
  declare readonly maxResponseBytes: number
  readonly #binding: ServiceBinding<Reader>
  readonly #credentials: CredentialProvider
  readonly #fetch: typeof fetch
  readonly #method: 'POST' | 'GET'
  readonly #reader: Reader | undefined
  readonly #userAgent: string
  readonly #random: () => number
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly #now: () => number
  readonly #keyCache = new SigningKeyCache()
  #clockOffsetMs = 0

  constructor(binding: ServiceBinding<Reader>, given: QueryClientConfig<Reader> = {}) {
    const config = withDefaultChain(binding.id, given)
    validateConfig(config)
    this.#binding = binding
    this.serviceId = binding.id
    this.endpoint = resolveEndpoint(binding.id, { region: config.region, endpoint: config.endpoint })
    assertSecureEndpoint(this.endpoint.url, config.allowHttp === true)
    this.#credentials = toCredentialProvider(config.credentials)
    // an unbound global fetch throws "Illegal invocation" in browsers and workerd
    this.#fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.retries = config.retries ?? DEFAULT_RETRIES
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.#method = config.method ?? 'POST'
    this.#reader = config.xmlReader
    this.#userAgent = config.userAgent ?? `iam-edge/${VERSION}`
    this.#random = config.random ?? Math.random
    this.#sleep = config.sleep ?? abortableSleep
    this.#now = config.now ?? Date.now
  }

  /** Milliseconds added to the local clock when signing, learned from a skewed answer. */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs
  }

  async send<I extends object, O extends object>(op: Operation<I, O>, ...[input, options = {}]: SendArgs<I>): Promise<WithMetadata<O>> {
    if (op.service.id !== this.serviceId) {
      throw new TypeError(`${op.service.id}:${op.name} cannot be sent by a ${this.serviceId} client; use the ${op.service.id} client`)
    }
    const { signal } = options
    const params = this.#binding.protocol.serialize(op, input ?? ({} as I))
    let attempts = 0
    let retriesUsed = 0
    let skewRetried = false
    for (;;) {
      signal?.throwIfAborted()
      attempts++
      let answer: ExchangeResult
      try {
        answer = await this.#attempt(params, signal, op.unsigned === true)
      } catch (error) {
        // a mutation may have been applied before the connection broke: only reads are replayed
        const transient = error instanceof NetworkError || error instanceof TimeoutError
        if (transient && op.readOnly && retriesUsed < this.retries) {
          await this.#sleep(backoffDelay(retriesUsed++, this.#random), signal)
          continue
        }
        throw error
      }
      if (answer.status >= 200 && answer.status < 300) return this.#success(op, answer, attempts)

      const error = this.#failure(op, answer)
      const code = error instanceof HttpResponseError ? undefined : error.code
      if (code !== undefined && isClockSkewCode(code) && !skewRetried) {
        const offset = learnClockOffset(answer.headers.get('date'), this.#now(), this.#clockOffsetMs)
        if (offset !== undefined) {
          this.#clockOffsetMs = offset
          skewRetried = true
          continue
        }
      }
      if (isRetryableResponse(answer.status, code) && retriesUsed < this.retries) {
        await this.#sleep(backoffDelay(retriesUsed++, this.#random), signal)
        continue
      }
      throw error
    }
  }

  async #attempt(params: URLSearchParams, signal: AbortSignal | undefined, unsigned: boolean): Promise<ExchangeResult> {
    const wire = buildWireRequest(this.endpoint.url, params, this.#method)
    const headers = unsigned ? new Headers(wire.headers) : (await this.#sign(wire)).headers
    // not signed: runtimes and proxies may rewrite agent strings
    headers.set('x-amz-user-agent', this.#userAgent)
    return exchange(this.#fetch, { method: wire.method, url: wire.url, body: wire.body, headers }, this.timeoutMs, signal, this.maxResponseBytes)
  }

  async #sign(wire: WireRequest): Promise<SignedRequest> {
    return signRequest(wire, {
      credentials: await this.#credentials(),
      region: this.endpoint.signingRegion,
      service: this.serviceId,
      date: new Date(this.#now() + this.#clockOffsetMs),
      keyCache: this.#keyCache,
    })
  }

  #success<O extends object>(op: Operation<never, O>, answer: ExchangeResult, attempts: number): WithMetadata<O> {
    let output: O
    try {
      output = this.#binding.protocol.parseOutput(op, answer.body, this.#reader)
    } catch (error) {
      // an error envelope delivered with a success status is still the service's error
      if (error instanceof XmlParseError && /<Error[\s>]/.test(answer.body)) {
        const failure = this.#failure(op, answer)
        if (!(failure instanceof HttpResponseError)) throw failure
      }
      if (error instanceof XmlParseError) throw error
      throw new XmlParseError(`${op.service.id}:${op.name}: unreadable response: ${error instanceof Error ? error.message : String(error)}`, undefined, {
        cause: error,
      })
    }
    const requestId = requestIdIn(answer.body) ?? answer.headers.get('x-amzn-requestid') ?? undefined
    const $metadata: ResponseMetadata = { httpStatusCode: answer.status, attempts, ...(requestId === undefined ? {} : { requestId }) }
    return Object.assign(output, { $metadata })
  }

  #failure(op: AnyOperation, answer: ExchangeResult): AwsQueryError | HttpResponseError {
    let parsed
    try {
      parsed = this.#binding.protocol.parseError(answer.body, this.#reader)
    } catch (error) {
      if (!(error instanceof IamEdgeError)) throw error
      parsed = undefined
    }
    if (parsed === undefined) {
      return new HttpResponseError(answer.status, answer.body, `${op.service.id}:${op.name}`)
    }
    const requestId = parsed.requestId ?? answer.headers.get('x-amzn-requestid') ?? undefined
    return this.#binding.createError({
      code: parsed.code,
      name: errorName(parsed.code, op.errors, this.#binding.irregularErrorNames ?? {}),
      message: parsed.message,
      status: answer.status,
      service: op.service.id,
      action: op.name,
      ...(requestId === undefined ? {} : { requestId }),
      ...(isErrorType(parsed.type) ? { type: parsed.type } : {}),
    })
  }
}

function isErrorType(value: string | undefined): value is ErrorType {
  return value === 'Sender' || value === 'Receiver'
}
