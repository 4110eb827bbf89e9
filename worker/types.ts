// The types the Worker's modules share — who is calling, what a request carries, what the app is
// built with — in one module, so that no two of them import each other for a type.
import type { Context } from 'hono'
import type { EdgeCache } from './cache.js'
import type { Bindings } from './config.js'

export interface Caller {
  /** the name logs carry: the key's or token's configured name, never the secret */
  name: string
  /** SigV4 callers: their proxy access key id */
  accessKeyId?: string
  /** the service their credential scope names (bearer callers: iam) */
  service: 'iam' | 'sts'
  /** undefined: every read-only action */
  actions?: ReadonlySet<string>
}

export interface Deps {
  fetch: typeof fetch
  now: () => number
  /** this location's memory and Cache API tiers (a simulated location brings its own) */
  edge: EdgeCache
}

/** One JSON line per request; no keys, tokens, signatures, bodies or parameter values. */
export interface RequestLog {
  requestId: string
  route: 'query' | 'json' | 'other'
  action?: string
  caller?: string
  cache?: string
  /** which tier answered: memory, cache, gate, upstream or stale */
  tier?: string
  upstream?: number
  upstreamRequestId?: string
  status: number
  code?: string
  /** why it failed, for the operator: error names, codes and messages, never secrets */
  cause?: string
  ms: number
}

export type AppEnv = {
  Bindings: Bindings
  Variables: { requestId: string; log: RequestLog; service: 'iam' | 'sts' }
}
export type AppContext = Context<AppEnv>
