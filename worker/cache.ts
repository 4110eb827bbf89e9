import type { UpstreamAnswer } from './upstream.js'
import { errorCodeOf, upstreamFailed } from './upstream.js'

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS'

export interface CachePolicy {
  ttlSeconds: number
  staleIfErrorSeconds: number
  negativeTtlSeconds: number
  /** the caller sent Cache-Control: no-cache */
  bypass: boolean
  now: () => number
  waitUntil: (promise: Promise<unknown>) => void
}

export interface CachedResult {
  answer: UpstreamAnswer
  status: CacheStatus
  /** seconds since upstream answered */
  age: number
}

const STORED_AT = 'x-iam-edge-stored-at'
const FRESH_FOR = 'x-iam-edge-fresh-for'
const STATUS = 'x-iam-edge-status'

// identical misses in one isolate share one upstream call
const inflight = new Map<string, Promise<UpstreamAnswer>>()

/**
 * Answers from the Cache API while fresh; otherwise one upstream call per key at a time. Success
 * is kept for the TTL, NoSuchEntity for the negative TTL, other errors never. When upstream fails
 * (5xx, throttling, timeout) an entry within `staleIfErrorSeconds` past its TTL is served instead.
 */
export async function cachedCall(key: string, policy: CachePolicy, load: () => Promise<UpstreamAnswer>): Promise<CachedResult> {
  const cache = caches.default
  const request = new Request(key)
  const now = policy.now()
  const entry = await readEntry(cache, request, now)
  if (entry && !policy.bypass && entry.age < entry.freshFor) return { answer: entry.answer, status: 'HIT', age: entry.age }

  let pending = inflight.get(key)
  if (!pending) {
    pending = load().finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  const answer = await pending
  const status: CacheStatus = policy.bypass ? 'BYPASS' : 'MISS'
  if (upstreamFailed(answer)) {
    if (entry && entry.age <= entry.freshFor + policy.staleIfErrorSeconds) return { answer: entry.answer, status: 'STALE', age: entry.age }
    return { answer, status, age: 0 }
  }
  const freshFor = answer.status >= 200 && answer.status < 300 ? policy.ttlSeconds : errorCodeOf(answer) === 'NoSuchEntity' ? policy.negativeTtlSeconds : 0
  if (freshFor > 0) policy.waitUntil(writeEntry(cache, request, answer, now, freshFor, policy.staleIfErrorSeconds))
  return { answer, status, age: 0 }
}

async function readEntry(cache: Cache, request: Request, now: number): Promise<{ answer: UpstreamAnswer; age: number; freshFor: number } | undefined> {
  const res = await cache.match(request)
  if (!res) return undefined
  const storedAt = Number(res.headers.get(STORED_AT))
  const freshFor = Number(res.headers.get(FRESH_FOR))
  const status = Number(res.headers.get(STATUS))
  if (!Number.isFinite(storedAt) || !Number.isFinite(freshFor) || !status) return undefined
  const body = await res.text()
  return {
    answer: { status, body, requestId: /<RequestId>([^<]+)<\/RequestId>/.exec(body)?.[1] },
    age: Math.max(0, Math.floor((now - storedAt) / 1000)),
    freshFor,
  }
}

function writeEntry(cache: Cache, request: Request, answer: UpstreamAnswer, now: number, freshFor: number, staleIfError: number): Promise<void> {
  const res = new Response(answer.body, {
    headers: {
      'content-type': 'text/xml',
      // kept past freshness so it can stand in while upstream is down
      'cache-control': `max-age=${freshFor + staleIfError}`,
      [STORED_AT]: String(now),
      [FRESH_FOR]: String(freshFor),
      [STATUS]: String(answer.status),
    },
  })
  return cache.put(request, res)
}

/** For tests: how many distinct upstream calls are in flight. */
export function inflightCount(): number {
  return inflight.size
}
