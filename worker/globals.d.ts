// Cloudflare's additions to the platform types this Worker uses (no @cloudflare/workers-types here).
declare global {
  interface CacheStorage {
    /** the data centre's default cache (Cache API) */
    readonly default: Cache
  }
}

export {}
