import type { CredentialProvider, TemporaryCredentials } from './types.js'

export interface RefreshingOptions {
  /** refresh this many seconds before `expiration` (default 300) */
  refreshBeforeSeconds?: number
  /** clock, ms since the epoch; injectable for tests */
  now?: () => number
}

/**
 * Caches what `load` returns until `refreshBeforeSeconds` before its expiration. Concurrent callers
 * share one in-flight load; a failed load is not cached, so the next call tries again.
 */
export function refreshingProvider(load: () => Promise<TemporaryCredentials>, options: RefreshingOptions = {}): CredentialProvider {
  const refreshBeforeMs = (options.refreshBeforeSeconds ?? 300) * 1000
  if (!Number.isFinite(refreshBeforeMs) || refreshBeforeMs < 0) {
    throw new RangeError(`refreshBeforeSeconds: must be a non-negative number, got ${String(options.refreshBeforeSeconds)}`)
  }
  const now = options.now ?? Date.now
  let current: TemporaryCredentials | undefined
  let inFlight: Promise<TemporaryCredentials> | undefined

  const fresh = (c: TemporaryCredentials): boolean =>
    c.expiration === undefined || c.expiration.getTime() - refreshBeforeMs > now()

  return () => {
    if (current !== undefined && fresh(current)) return Promise.resolve(current)
    if (inFlight === undefined) {
      inFlight = load().then(
        (loaded) => {
          current = loaded
          inFlight = undefined
          return loaded
        },
        (error: unknown) => {
          inFlight = undefined
          throw error
        },
      )
    }
    return inFlight
  }
}
