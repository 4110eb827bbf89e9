export { StsClient, type StsClientConfig } from './client.js'
export { StsError, isStsError } from './errors.js'
export * from './generated/index.js'
export type { WithMetadata, SendOptions } from '../query/client.js'
