export { fromEnv, staticCredentials } from '../query/credentials.js'
export { assumeRole, type AssumeRoleOptions } from './assume-role.js'
export { refreshingProvider, type RefreshingOptions } from './refreshing.js'
export type { Credentials, CredentialProvider, TemporaryCredentials } from './types.js'
