import { IamEdgeError } from './base.js'

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
  readonly code: C
  readonly type: ErrorType | undefined
  readonly requestId: string | undefined
  readonly status: number
  readonly service: string | undefined
  readonly action: string | undefined

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
