import type { CredentialProvider, Credentials } from './types.js'
import { assertCredentials } from './validate.js'

/** A provider that always answers with the same key pair (checked once, here). */
export function staticCredentials(credentials: Credentials): CredentialProvider {
  assertCredentials(credentials, 'credentials')
  const frozen: Credentials = Object.freeze({ ...credentials })
  return () => Promise.resolve(frozen)
}

/** Accepts either form a client config allows. */
export function toCredentialProvider(source: Credentials | CredentialProvider): CredentialProvider {
  return typeof source === 'function' ? source : staticCredentials(source)
}
