import { AwsQueryError, type AwsQueryErrorFields, isAwsQueryError } from '../query/errors.js'
import type { StsErrorCode } from './generated/error-codes.js'

/** The model's codes, plus any other the service sends (Throttling, AccessDenied, SignatureDoesNotMatch…). */
export type StsErrorCodeOrOther = StsErrorCode | (string & {})

/** An error STS answered with, e.g. `e.code === 'ExpiredTokenException'`. */
export class StsError extends AwsQueryError<StsErrorCodeOrOther> {
  constructor(fields: AwsQueryErrorFields<StsErrorCodeOrOther>, options?: { cause?: unknown }) {
    super({ ...fields, service: 'sts', name: fields.name ?? 'StsError' }, options)
  }
}

export function isStsError(value: unknown): value is StsError {
  return isAwsQueryError(value) && value.service === 'sts'
}
