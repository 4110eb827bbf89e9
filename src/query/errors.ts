// The error tree: IamEdgeError at the root, the service's own answers (AwsQueryError, under
// IamError and StsError), and what can go wrong on the way (HTTP, XML, network, timeout, size,
// validation, paging, waiting). One module, so a bundle carries them once.

/** Base of every error this library throws (besides TypeError/RangeError for misuse). */
export class IamEdgeError extends Error {
  override name = 'IamEdgeError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** Name-based guard: works across realms and duplicated copies of the library. */
export function isErrorNamed<T extends Error>(value: unknown, name: string): value is T {
  return value instanceof Error && value.name === name
}

export type ErrorType = 'Sender' | 'Receiver'

export interface AwsQueryErrorFields<C extends string = string> {
  code: C
  message: string
  type?: ErrorType
  requestId?: string
  status: number
  /** service that answered: 'iam' | 'sts' */
  service?: string
  action?: string
  /**
   * The error's `name`: as in AWS SDK v3, the model's error shape for a code the operation
   * declares (`NoSuchEntityException`), the code itself for any other (`Throttling`)
   */
  name?: string
}

// a brand that survives realms and duplicated copies of the library (instanceof does not)
const QUERY_ERROR = Symbol.for('iam-edge.AwsQueryError')

/** An error answered by the service in the Query error envelope (`<ErrorResponse><Error>…`). */
export class AwsQueryError<C extends string = string> extends IamEdgeError {
  // fields declared, not defined, here and below: each constructor sets them, and a bundle carries
  // no field list (bytes)
  declare readonly code: C
  declare readonly type: ErrorType | undefined
  declare readonly requestId: string | undefined
  declare readonly status: number
  declare readonly service: string | undefined
  declare readonly action: string | undefined

  constructor(fields: AwsQueryErrorFields<C>, options?: { cause?: unknown }) {
    const where = fields.action ? ` (${fields.service ?? 'aws'} ${fields.action}, HTTP ${fields.status})` : ` (HTTP ${fields.status})`
    super(`${fields.code}: ${fields.message}${where}`, options)
    this.name = fields.name ?? 'AwsQueryError'
    Object.defineProperty(this, QUERY_ERROR, { value: true })
    this.code = fields.code
    this.type = fields.type
    this.requestId = fields.requestId
    this.status = fields.status
    this.service = fields.service
    this.action = fields.action
  }
}

export function isAwsQueryError(value: unknown): value is AwsQueryError {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[QUERY_ERROR] === true && typeof (value as { code?: unknown }).code === 'string'
}

/** A code the operation's model declares is named after its error shape; any other code is its own name. */
export function errorName(code: string, declared: readonly string[], irregular: Readonly<Record<string, string>>): string {
  if (!declared.includes(code)) return code
  return irregular[code] ?? (code.endsWith('Exception') ? code : `${code}Exception`)
}

/** The service answered with a status that is not success and a body that is not a Query error. */
export class HttpResponseError extends IamEdgeError {
  override name = 'HttpResponseError' as const
  declare readonly status: number
  /** at most 200 characters of the body, for diagnosis */
  declare readonly snippet: string

  constructor(status: number, body: string, context: string, options?: { cause?: unknown }) {
    const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body
    super(`${context}: HTTP ${status} with a body that is not an AWS error: ${JSON.stringify(snippet)}`, options)
    this.status = status
    this.snippet = snippet
  }
}

/** The response body is not well-formed XML, or not the XML the operation's shape expects. */
export class XmlParseError extends IamEdgeError {
  override name = 'XmlParseError' as const
  /** character offset in the document where the problem was found, when known */
  declare readonly offset: number | undefined

  constructor(message: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? message : `${message} (at offset ${offset})`, options)
    this.offset = offset
  }
}

/** fetch itself failed (DNS, connection refused, reset): no HTTP response arrived. */
export class NetworkError extends IamEdgeError {
  override name = 'NetworkError' as const
  declare readonly method: string
  declare readonly url: string

  constructor(method: string, url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(`${method} ${url} failed: ${reason}`, { cause })
    this.method = method
    this.url = url
  }
}

/** No complete response within the client's timeout. */
export class TimeoutError extends IamEdgeError {
  override name = 'TimeoutError' as const
  declare readonly method: string
  declare readonly url: string
  declare readonly timeoutMs: number

  constructor(method: string, url: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${method} ${url} timed out after ${timeoutMs} ms`, options)
    this.method = method
    this.url = url
    this.timeoutMs = timeoutMs
  }
}

/** The answer's body grew past the client's `maxResponseBytes`; reading stopped there. */
export class ResponseTooLargeError extends IamEdgeError {
  override name = 'ResponseTooLargeError' as const
  declare readonly limit: number

  constructor(method: string, url: string, limit: number) {
    super(`${method} ${url}: the response body is larger than ${limit} bytes (maxResponseBytes)`)
    this.limit = limit
  }
}

/** Input refused before any request: a required member is missing or a value breaks the model's constraints. */
export class ValidationError extends IamEdgeError {
  override name = 'ValidationError' as const
  /** dotted path of the offending member, e.g. `Tags.1.Key` */
  declare readonly member: string

  constructor(member: string, problem: string) {
    super(`${member}: ${problem}`)
    this.member = member
  }
}

/** The service handed back a marker it had already given: following it would loop forever. */
export class PaginationError extends IamEdgeError {
  override name = 'PaginationError' as const
  declare readonly operation: string
  declare readonly marker: string
  declare readonly page: number

  constructor(operation: string, marker: string, page: number) {
    super(`${operation}: page ${page} returned marker ${JSON.stringify(marker)} again; stopping instead of looping`)
    this.operation = operation
    this.marker = marker
    this.page = page
  }
}

/** A waiter hit its `failure` acceptor: the awaited state can no longer be reached. */
export class WaiterFailureError extends IamEdgeError {
  override name = 'WaiterFailureError' as const
  declare readonly waiter: string
  declare readonly attempts: number

  constructor(waiter: string, attempts: number, reason: string, options?: { cause?: unknown }) {
    super(`${waiter}: failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`, options)
    this.waiter = waiter
    this.attempts = attempts
  }
}

/** A waiter ran out of attempts or time while the resource was still not in the awaited state. */
export class WaiterTimeoutError extends IamEdgeError {
  override name = 'WaiterTimeoutError' as const
  declare readonly waiter: string
  declare readonly attempts: number
  declare readonly elapsedMs: number

  constructor(waiter: string, attempts: number, elapsedMs: number, options?: { cause?: unknown }) {
    super(`${waiter}: not reached after ${attempts} attempt${attempts === 1 ? '' : 's'} (${Math.round(elapsedMs / 1000)} s)`, options)
    this.waiter = waiter
    this.attempts = attempts
    this.elapsedMs = elapsedMs
  }
}
