import type { CredentialProvider, Credentials } from '../sigv4/types.js'

export type { CredentialProvider, Credentials }

/** Credentials that stop working at `expiration` (STS, instance roles). */
export interface TemporaryCredentials extends Credentials {
  expiration?: Date
}
