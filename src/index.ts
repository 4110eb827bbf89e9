export * from './sigv4/index.js'
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
export type { Operation, InputOf, OutputOf } from './query/shapes.js'
export type { QueryClientConfig } from './query/config.js'
export { resolveEndpoint, type ResolvedEndpoint } from './query/endpoints.js'
export { paginate, paginateItems, type OperationSender, type PaginateOptions } from './query/paginate.js'
export { waitFor, type WaitOptions } from './query/waiter.js'
/** Reads a recorded answer of an operation (tests, fixtures, a cache of raw XML) as `send` would. */
export { parseOutput } from './query/parse.js'
export * from './query/errors.js'
export { IamClient, type IamClientConfig } from './iam/client.js'
export { IamError, isIamError } from './iam/errors.js'
export { StsClient, type StsClientConfig } from './sts/client.js'
export { StsError, isStsError } from './sts/errors.js'
