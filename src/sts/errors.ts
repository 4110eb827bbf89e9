import { AwsQueryError, type AwsQueryErrorFields } from '../query/errors/aws-query-error.js'
import { isErrorNamed } from '../query/errors/base.js'
import type { StsErrorCode } from './generated/error-codes.js'

/** The model's codes, plus any other the service sends (Throttling, AccessDenied, SignatureDoesNotMatch…). */
export type StsErrorCodeOrOther = StsErrorCode | (string & {})

/** An error STS answered with, e.g. `e.code === 'ExpiredTokenException'`. */
export class StsError extends AwsQueryError<StsErrorCodeOrOther> {
  override name = 'StsError' as const

  constructor(fields: AwsQueryErrorFields<StsErrorCodeOrOther>, options?: { cause?: unknown }) {
    super(fields, options)
  }
}

export function isStsError(value: unknown): value is StsError {
  return isErrorNamed(value, 'StsError')
}
