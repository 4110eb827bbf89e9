// The two credential providers a client needs most, beside the client: here in the query layer so
// `iam-edge/iam` and `iam-edge/sts` can offer them without loading STS (assumeRole stays in
// `iam-edge`, as it needs the STS client).
import type { CredentialProvider, Credentials } from '../sigv4/types.js'
import { toCredentialProvider } from './config.js'

/** A provider that always answers with the same key pair (checked once, here). */
export function staticCredentials(credentials: Credentials): CredentialProvider {
  return toCredentialProvider(credentials)
}

/**
 * Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (optionally) AWS_SESSION_TOKEN from an
 * env-like object: a Worker's `env` (the `Env` interface `wrangler types` generates is accepted as
 * it is), `Deno.env.toObject()`, Node's environment object. Read once, when called; missing variables are named
 * in the error, and a value that is not a string (a binding of that name) is refused.
 */
export function fromEnv<E extends object>(env: E): CredentialProvider {
  const read = (name: string): string | undefined => {
    const value = (env as Record<string, unknown>)[name]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value !== 'string') throw new TypeError(`${name}: expected a string, got ${typeof value}`)
    return value
  }
  const accessKeyId = read('AWS_ACCESS_KEY_ID')
  const secretAccessKey = read('AWS_SECRET_ACCESS_KEY')
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = [accessKeyId === undefined && 'AWS_ACCESS_KEY_ID', secretAccessKey === undefined && 'AWS_SECRET_ACCESS_KEY'].filter(Boolean)
    throw new TypeError(`fromEnv: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`)
  }
  const sessionToken = read('AWS_SESSION_TOKEN')
  return staticCredentials(sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken })
}
