import type { Credentials } from '../sigv4/types.js'

export type { Credentials }

/** Credentials that stop working at `expiration` (STS, instance roles). */
export interface TemporaryCredentials extends Credentials {
  expiration?: Date
}

/** Called before each request; providers cache, so this is cheap after the first call. */
export type CredentialProvider = () => Promise<Credentials>

export type CredentialsOrProvider = Credentials | CredentialProvider
