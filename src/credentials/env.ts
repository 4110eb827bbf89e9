import type { CredentialProvider } from './types.js'
import { staticCredentials } from './static.js'

const ENV_ACCESS_KEY_ID = 'AWS_ACCESS_KEY_ID'
const ENV_SECRET_ACCESS_KEY = 'AWS_SECRET_ACCESS_KEY'
const ENV_SESSION_TOKEN = 'AWS_SESSION_TOKEN'

/**
 * Reads the standard variables from an env-like object: a Worker's `env`, `Deno.env.toObject()`,
 * Node's environment object. Read once, when called; missing variables are named in the error.
 */
export function fromEnv(env: Readonly<Record<string, unknown>>): CredentialProvider {
  const read = (name: string): string | undefined => {
    const value = env[name]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value !== 'string') throw new TypeError(`${name}: expected a string, got ${typeof value}`)
    return value
  }
  const accessKeyId = read(ENV_ACCESS_KEY_ID)
  const secretAccessKey = read(ENV_SECRET_ACCESS_KEY)
  const missing = [accessKeyId === undefined ? ENV_ACCESS_KEY_ID : '', secretAccessKey === undefined ? ENV_SECRET_ACCESS_KEY : '']
    .filter((name) => name !== '')
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new TypeError(`fromEnv: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`)
  }
  const sessionToken = read(ENV_SESSION_TOKEN)
  return staticCredentials(sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken })
}
