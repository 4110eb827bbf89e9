// named, not `export *`: each entry is its own file in dist/, and a star would pass on the
// internals a layer file exports for the layers above it
export {
  signRequest,
  presignRequest,
  assertCredentials,
  UNSIGNED_PAYLOAD,
  EMPTY_SHA256,
  MAX_EXPIRES_SECONDS,
  verifyRequest,
  Signer,
  SigningKeyCache,
  toHex,
  timingSafeEqual,
  readBody,
  toAmzDate,
  parseAmzDate,
  UNSIGNED_HEADERS,
  type VerifyOptions,
  type VerifyResult,
  type VerifyErrorCode,
  type SignerOptions,
  type Subtle,
  type Credentials,
  type SignableRequest,
  type SignOptions,
  type SignedRequest,
  type PresignedRequest,
} from './sigv4/index.js'
export {
  assumeRole,
  fromEnv,
  refreshingProvider,
  staticCredentials,
  type AssumeRoleOptions,
  type RefreshingOptions,
  type CredentialProvider,
  type TemporaryCredentials,
} from './credentials/index.js'
export { QueryClient, type SendArgs, type SendOptions, type WithMetadata } from './query/client.js'
export { resolveShape, type Operation, type InputOf, type OutputOf, type Shape } from './query/shapes.js'
export type { QueryClientConfig } from './query/config.js'
export { resolveEndpoint, type ResolvedEndpoint } from './query/endpoints.js'
export { paginate, paginateItems, walkPages, type OperationSender, type PaginateOptions } from './query/paginate.js'
export { waitFor, type WaitOptions } from './query/waiter.js'
/** Reads a recorded answer of an operation (tests, fixtures, a cache of raw XML) as `send` would. */
export { parseOutput, parseErrorBody, errorCodeIn, requestIdIn, keepTimestampTexts, timestampText } from './query/parse.js'
/** The retry policy's view of an answer: worth sending again, and throttled. */
export { isRetryableResponse, isThrottlingCode } from './query/retry.js'
/** One Query API exchange without a client: build the wire request, then send it (timeout, size cap). */
export { buildWireRequest, exchange, type WireRequest, type ExchangeResult } from './query/transport.js'
export { toBase64 } from './query/base64.js'
export {
  IamEdgeError,
  isErrorNamed,
  AwsQueryError,
  isAwsQueryError,
  errorName,
  HttpResponseError,
  XmlParseError,
  NetworkError,
  TimeoutError,
  ResponseTooLargeError,
  ValidationError,
  PaginationError,
  WaiterFailureError,
  WaiterTimeoutError,
  type ErrorType,
  type AwsQueryErrorFields,
} from './query/errors.js'
export { IamClient, type IamClientConfig } from './iam/client.js'
export { IamError, isIamError } from './iam/errors.js'
export { StsClient, type StsClientConfig } from './sts/client.js'
export { StsError, isStsError } from './sts/errors.js'
