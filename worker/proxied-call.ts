import type { AppContext, Deps, RequestLog } from './types.js'
import type { Caller } from './types.js'
import { type CachedResult, cacheableParams, cacheKey, type EdgeCache, fingerprint, identityOf, type Loaded, macKey } from './cache.js'
import type { Config } from './config.js'
import type { GateRequest, UpstreamGate } from './gate.js'
import { callUpstream, throttledAnswer } from './upstream.js'

/** What one request brings to the proxy's call path. */
export interface CallContext {
  config: Config
  fetch: typeof fetch
  now: () => number
  waitUntil: (promise: Promise<unknown>) => void
  /** this location's tiers (memory, Cache API) */
  edge: EdgeCache
  /** the gate, when bound: every miss goes through it */
  gate: DurableObjectNamespace<UpstreamGate> | undefined
  /** whose share of the gate's budget a miss spends */
  caller: string
  /** Cache-Control: no-cache from the caller */
  bypass: boolean
  /** the request's log line: what happened upstream is written into it */
  log: RequestLog
}

export function callContext(c: AppContext, deps: Deps, config: Config, caller: Caller): CallContext {
  return {
    config,
    fetch: deps.fetch,
    now: deps.now,
    waitUntil: (p) => c.executionCtx.waitUntil(p),
    edge: deps.edge,
    gate: c.env.GATE,
    caller: caller.name,
    bypass: /no-cache/i.test(c.req.header('cache-control') ?? ''),
    log: c.var.log,
  }
}

/** A checked call, answered from the tiers in order: memory, Cache API, the gate (or upstream directly without one), stale. */
export async function proxiedCall(ctx: CallContext, service: 'iam' | 'sts', action: string, params: ReadonlyArray<readonly [string, string]>): Promise<CachedResult> {
  const { config, log } = ctx
  const identity = identityOf(config.upstream)
  const [key, mac] = await Promise.all([cacheKey(service, action, params, config.upstream), macKey(config.upstream)])
  // huge parameters: answered (and coalesced) but stored nowhere
  const cacheable = cacheableParams(params)
  const policy = {
    mac,
    ttlSeconds: cacheable ? (config.ttlOverrides.get(action) ?? config.ttlSeconds) : 0,
    staleIfErrorSeconds: config.staleIfErrorSeconds,
    negativeTtlSeconds: cacheable ? config.negativeTtlSeconds : 0,
    bypass: ctx.bypass,
    now: ctx.now,
    waitUntil: ctx.waitUntil,
    // one upstream call's timeout, and a second for the answer to come back
    joinTimeoutMs: config.upstreamTimeoutMs + 1000,
  }
  const direct = async (): Promise<Loaded> => ({ answer: await callUpstream(config, service, action, params, ctx.fetch), age: 0, tier: 'upstream' })
  const { gate } = ctx
  const load = gate
    ? () =>
        viaGate(gate, fingerprint(identity), {
          key,
          service,
          action,
          params: params.map(([k, v]) => [k, v]),
          caller: ctx.caller,
          bypass: ctx.bypass,
          ttlSeconds: policy.ttlSeconds,
          negativeTtlSeconds: policy.negativeTtlSeconds,
          staleIfErrorSeconds: policy.staleIfErrorSeconds,
          joinTimeoutMs: policy.joinTimeoutMs,
        }, direct, log)
    : direct
  const result = await ctx.edge.call(key, policy, load)
  const { answer } = result
  log.cache = result.status
  log.tier = result.tier
  log.upstream = answer.status
  if (answer.requestId !== undefined) log.upstreamRequestId = answer.requestId
  if (answer.failed) log.cause = [log.cause, answer.failed.detail].filter(Boolean).join('; ')
  return result
}

/**
 * A miss through the gate. The gate object is one per upstream identity. A gate that cannot be
 * reached is tried once more when the runtime says a retry may work; an overloaded gate is
 * answered like a spent budget (a stale copy at the edge, else Throttling); any other failure of
 * the gate goes to IAM directly, so a broken binding never takes the proxy down.
 */
async function viaGate(ns: DurableObjectNamespace<UpstreamGate>, name: Promise<string>, req: GateRequest, direct: () => Promise<Loaded>, log: RequestLog): Promise<Loaded> {
  const stub = ns.get(ns.idFromName(await name))
  for (let attempt = 0; ; attempt++) {
    try {
      return await stub.answer(req)
    } catch (error) {
      const flags = error as { retryable?: boolean; overloaded?: boolean }
      if (flags.retryable === true && !flags.overloaded && attempt === 0) continue
      log.cause = `gate unavailable: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`
      if (flags.overloaded) return { answer: throttledAnswer('gate overloaded', 1), age: 0, tier: 'upstream', refused: true }
      return direct()
    }
  }
}
