export { IamClient, type IamClientConfig } from './client.js'
export { IamError, isIamError } from './errors.js'
export * from './generated/index.js'
/** Every IAM operation by name (the whole model: import it only where all of them are needed). */
export { iamOperations } from './generated/registry.js'
export { paginate, paginateItems, type PaginateOptions } from '../query/paginate.js'
export { waitFor, type WaitOptions } from '../query/waiter.js'
export type { WithMetadata, SendOptions, SendArgs } from '../query/client.js'
export type { Operation, InputOf, OutputOf } from '../query/shapes.js'
export type { OperationSender } from '../query/paginate.js'
/** Credentials for the client, from here too: one import path for the common case. */
export { fromEnv, staticCredentials } from '../query/credentials.js'
export type { Credentials, CredentialProvider } from '../sigv4/types.js'
