export { StsClient, type StsClientConfig } from './client.js'
export { StsError, isStsError } from './errors.js'
export * from './generated/index.js'
export type { WithMetadata, SendOptions, SendArgs } from '../query/client.js'
export type { Operation, InputOf, OutputOf } from '../query/shapes.js'
export type { OperationSender } from '../query/paginate.js'
/** Credentials for the client, from here too: one import path for the common case. */
export { fromEnv, staticCredentials } from '../query/credentials.js'
// not the signer's Credentials type: STS's own shape of that name (AssumeRole's answer) is exported above
export type { CredentialProvider } from '../sigv4/types.js'
