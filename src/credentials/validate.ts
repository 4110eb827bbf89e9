import type { Credentials } from './types.js'

/** Throws a TypeError naming the field when `value` is not a usable key pair. */
export function assertCredentials(value: unknown, label: string): asserts value is Credentials {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${label}: expected { accessKeyId, secretAccessKey, sessionToken? } or a provider function`)
  }
  const { accessKeyId, secretAccessKey, sessionToken } = value as Record<string, unknown>
  if (typeof accessKeyId !== 'string' || accessKeyId === '') throw new TypeError(`${label}.accessKeyId: must be a non-empty string`)
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
    throw new TypeError(`${label}.secretAccessKey: must be a non-empty string`)
  }
  if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken === '')) {
    throw new TypeError(`${label}.sessionToken: must be a non-empty string when given`)
  }
}
