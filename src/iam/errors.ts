import { AwsQueryError, type AwsQueryErrorFields, isAwsQueryError } from '../query/errors.js'
import type { IamErrorCode } from './generated/error-codes.js'

/** The model's codes, plus any other the service sends (Throttling, AccessDenied, SignatureDoesNotMatch…). */
export type IamErrorCodeOrOther = IamErrorCode | (string & {})

/** An error IAM answered with, e.g. `e.code === 'NoSuchEntity'`. */
export class IamError extends AwsQueryError<IamErrorCodeOrOther> {
  constructor(fields: AwsQueryErrorFields<IamErrorCodeOrOther>, options?: { cause?: unknown }) {
    super({ ...fields, service: 'iam', name: fields.name ?? 'IamError' }, options)
  }
}

export function isIamError(value: unknown): value is IamError {
  return isAwsQueryError(value) && value.service === 'iam'
}
