import type { RequestLog } from './app.js'
import { type CachedResult, cachedCall, cacheKey } from './cache.js'
import type { Config } from './config.js'
import { callUpstream } from './upstream.js'

/** What one request brings to the proxy's call path. */
export interface CallContext {
  config: Config
  fetch: typeof fetch
  now: () => number
  waitUntil: (promise: Promise<unknown>) => void
  /** Cache-Control: no-cache from the caller */
  bypass: boolean
  /** the request's log line: what happened upstream is written into it */
  log: RequestLog
}

/** A checked call, answered from cache or upstream (one upstream call per key at a time). */
export async function proxiedCall(ctx: CallContext, service: 'iam' | 'sts', action: string, params: ReadonlyArray<readonly [string, string]>): Promise<CachedResult> {
  const { config, log } = ctx
  const identity = config.upstream.roleArn ?? config.upstream.accessKeyId
  const key = await cacheKey(service, action, params, identity)
  const result = await cachedCall(
    key,
    {
      ttlSeconds: config.ttlOverrides.get(action) ?? config.ttlSeconds,
      staleIfErrorSeconds: config.staleIfErrorSeconds,
      negativeTtlSeconds: config.negativeTtlSeconds,
      bypass: ctx.bypass,
      now: ctx.now,
      waitUntil: ctx.waitUntil,
    },
    () => callUpstream(config, service, action, params, ctx.fetch),
  )
  const { answer } = result
  log.cache = result.status
  log.upstream = answer.status
  if (answer.requestId !== undefined) log.upstreamRequestId = answer.requestId
  if (answer.failed) log.cause = answer.failed.detail
  return result
}
