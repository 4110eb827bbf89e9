import { toCredentialProvider } from '../query/config.js'
import type { CredentialProvider, Credentials } from './types.js'

/** A provider that always answers with the same key pair (checked once, here). */
export function staticCredentials(credentials: Credentials): CredentialProvider {
  return toCredentialProvider(credentials)
}
