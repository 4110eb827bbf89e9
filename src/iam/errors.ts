import { AwsQueryError, type AwsQueryErrorFields } from '../query/errors/aws-query-error.js'
import { isErrorNamed } from '../query/errors/base.js'
import type { IamErrorCode } from './generated/error-codes.js'

/** The model's codes, plus any other the service sends (Throttling, AccessDenied, SignatureDoesNotMatch…). */
export type IamErrorCodeOrOther = IamErrorCode | (string & {})

/** An error IAM answered with, e.g. `e.code === 'NoSuchEntity'`. */
export class IamError extends AwsQueryError<IamErrorCodeOrOther> {
  override name = 'IamError' as const

  constructor(fields: AwsQueryErrorFields<IamErrorCodeOrOther>, options?: { cause?: unknown }) {
    super(fields, options)
  }
}

export function isIamError(value: unknown): value is IamError {
  return isErrorNamed(value, 'IamError')
}
