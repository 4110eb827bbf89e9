import { IamEdgeError, isErrorNamed } from './base.js'

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
}

/** An error answered by the service in the Query error envelope (`<ErrorResponse><Error>…`). */
export class AwsQueryError<C extends string = string> extends IamEdgeError {
  override name: string = 'AwsQueryError'
  readonly code: C
  readonly type: ErrorType | undefined
  readonly requestId: string | undefined
  readonly status: number
  readonly service: string | undefined
  readonly action: string | undefined

  constructor(fields: AwsQueryErrorFields<C>, options?: { cause?: unknown }) {
    const where = fields.action ? ` (${fields.service ?? 'aws'} ${fields.action}, HTTP ${fields.status})` : ` (HTTP ${fields.status})`
    super(`${fields.code}: ${fields.message}${where}`, options)
    this.code = fields.code
    this.type = fields.type
    this.requestId = fields.requestId
    this.status = fields.status
    this.service = fields.service
    this.action = fields.action
  }
}

export function isAwsQueryError(value: unknown): value is AwsQueryError {
  return (
    value instanceof Error &&
    (isErrorNamed(value, 'AwsQueryError') || isErrorNamed(value, 'IamError') || isErrorNamed(value, 'StsError')) &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}
