import { errorCodeIn, requestIdIn } from '../src/index.js'
import { timingSafeEqual, toHex } from '../src/sigv4/index.js'
import { FailureMemory } from './failures.js'
import { heldBytes, type UpstreamAnswer, upstreamFailed } from './upstream.js'

/**
 * What happened to a request: HIT, a stored copy; MISS, its own upstream call; JOINED, another
 * request's upstream call (under way, just answered, or a failure its retries share); STALE, a
 * stored copy past its TTL standing in for a failed or refused call; BYPASS, its own upstream
 * call past the stored copies (Cache-Control: no-cache).
 */
export type CacheStatus = 'HIT' | 'MISS' | 'JOINED' | 'STALE' | 'BYPASS'

export interface CachePolicy {
  /** seals and checks Cache API entries (see `macKey`) */
  mac: CryptoKey
  ttlSeconds: number
  staleIfErrorSeconds: number
  negativeTtlSeconds: number
  /** the caller sent Cache-Control: no-cache */
  bypass: boolean
  now: () => number
  waitUntil: (promise: Promise<unknown>) => void
  /** how long a request waits for another request's load before making its own (see `within`) */
  joinTimeoutMs: number
}

export interface CachedResult {
  answer: UpstreamAnswer
  status: CacheStatus
  /** seconds since upstream answered */
  age: number
  tier: Tier
}

/** Whose answers a key belongs to: the upstream identity, and the secret that keys the keys. */
export interface UpstreamIdentity {
  accessKeyId: string
  secretAccessKey: string
  roleArn?: string
}

/**
 * Parameters longer than this (as encoded in the key) are not cached at any tier: such answers
 * (a huge policy document for GetContextKeysForCustomPolicy, say) are rare, and every tier's byte
 * bound would otherwise be spent on requests no one repeats.
 */
const MAX_CACHED_PARAMS = 16 * 1024

/**
 * The cache key of an upstream answer: an HMAC, under a key derived from the Worker's upstream
 * secret, of service, action and the parameters sorted by name (so parameter order and GET versus
 * POST do not split entries). Fixed-size whatever the parameters, so a bound on entries bounds
 * the keys' bytes; unguessable without the secret, so another Worker on the same zone can neither
 * read nor plant this Worker's Cache API entries. The path starts with the fingerprint of the
 * upstream identity (two accounts never share answers). A URL, because the Cache API keys by Request.
 */
export async function cacheKey(service: string, action: string, params: ReadonlyArray<readonly [string, string]>, upstream: UpstreamIdentity): Promise<string> {
  const [mac, id] = await Promise.all([macKey(upstream), fingerprint(identityOf(upstream))])
  const digest = await crypto.subtle.sign('HMAC', mac, new TextEncoder().encode(`${service}\n${action}\n${encodedParams(params)}`))
  return `https://cache.iam-edge.invalid/v2/${id}/${toHex(new Uint8Array(digest))}`
}

/** The parameters as one string, sorted by name then value, each part encoded so none runs into another. */
function encodedParams(params: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  return sorted.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
}

/** Whether answers to these parameters may be stored (see MAX_CACHED_PARAMS). */
export function cacheableParams(params: ReadonlyArray<readonly [string, string]>): boolean {
  let length = 0
  for (const [k, v] of params) length += k.length + v.length + 2
  return length <= MAX_CACHED_PARAMS
}

/** The identity whose answers are cached: the assumed role, else the access key. */
export function identityOf(upstream: UpstreamIdentity): string {
  return upstream.roleArn ?? upstream.accessKeyId
}

// one HMAC key per upstream configuration object, derived once (never the secret as a map key):
// it names cache entries (cacheKey) and seals what the Cache API holds (writeEntry)
const macKeys = new WeakMap<UpstreamIdentity, Promise<CryptoKey>>()

export function macKey(upstream: UpstreamIdentity): Promise<CryptoKey> {
  let key = macKeys.get(upstream)
  if (!key) {
    const text = new TextEncoder()
    const hmac = { name: 'HMAC', hash: 'SHA-256' }
    // a key of its own for this purpose, derived from the secret (domain separation from SigV4)
    key = crypto.subtle
      .importKey('raw', text.encode(upstream.secretAccessKey), hmac, false, ['sign'])
      .then((base) => crypto.subtle.sign('HMAC', base, text.encode('iam-edge cache keys v2')))
      .then((derived) => crypto.subtle.importKey('raw', derived, hmac, false, ['sign']))
    macKeys.set(upstream, key)
  }
  return key
}

// a Worker has one upstream identity (two during a key change): its fingerprint is hashed once,
// not on every cache hit
const fingerprints = new Map<string, string>()

/** A short hex digest of the upstream identity: cache keys and the gate's name carry it, never the identity. */
export async function fingerprint(identity: string): Promise<string> {
  const known = fingerprints.get(identity)
  if (known !== undefined) return known
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(identity))
  const value = toHex(new Uint8Array(digest).slice(0, 12))
  if (fingerprints.size >= 16) fingerprints.clear()
  fingerprints.set(identity, value)
  return value
}

/** What an entry costs beyond its key and body (the map slot, the entry and answer objects). */
const ENTRY_OVERHEAD = 200

interface Entry {
  answer: UpstreamAnswer
  /** seconds since upstream answered */
  age: number
  freshFor: number
}

/**
 * L1: an isolate's own bounded LRU of answers, in front of the data centre's Cache API, so a hot
 * answer costs no Cache API round trip. Capped by entries and by bytes, counting everything an
 * entry holds (key, body, request id and a fixed overhead); an entry is kept for its TTL plus the
 * stale window, like its Cache API copy.
 */
export class MemoryTier {
  maxEntries = 500
  maxBytes = 8 * 1024 * 1024
  /** answers larger than this stay in the Cache API only */
  maxEntryBytes = 512 * 1024
  readonly entries = new Map<string, { answer: UpstreamAnswer; storedAt: number; freshFor: number; keepFor: number; bytes: number }>()
  bytes = 0

  get(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    const age = Math.max(0, Math.floor((now - e.storedAt) / 1000))
    if (age > e.keepFor) {
      this.delete(key)
      return undefined
    }
    // most recently used last, so eviction takes the first
    this.entries.delete(key)
    this.entries.set(key, e)
    return { answer: e.answer, age, freshFor: e.freshFor }
  }

  put(key: string, answer: UpstreamAnswer, storedAt: number, freshFor: number, staleFor: number): void {
    const bytes = heldBytes(key) + heldBytes(answer.body) + (answer.requestId?.length ?? 0) + ENTRY_OVERHEAD
    this.delete(key)
    if (bytes > this.maxEntryBytes) return
    this.entries.set(key, { answer, storedAt, freshFor, keepFor: freshFor + staleFor, bytes })
    this.bytes += bytes
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.delete(oldest)
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key)
    if (!e) return
    this.entries.delete(key)
    this.bytes -= e.bytes
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }
}

const STORED_AT = 'x-iam-edge-stored-at'
const FRESH_FOR = 'x-iam-edge-fresh-for'
const STATUS = 'x-iam-edge-status'
const SEAL = 'x-iam-edge-seal'

const LINGER_MS = 1000

/** Where an answer came from: this isolate, the data centre, the gate's storage, IAM, or a stale copy. */
export type Tier = 'memory' | 'cache' | 'gate' | 'upstream' | 'stale'

/** What a miss brings back: an answer, its age, and whether it is a stale stand-in (never stored as fresh). */
export interface Loaded {
  answer: UpstreamAnswer
  /** seconds since upstream answered (a copy from the gate's storage is not new) */
  age: number
  tier: 'gate' | 'upstream' | 'stale'
  /**
   * No upstream call was made for this load (the gate's budget, a paused action, an overloaded
   * gate): a stale copy or Throttling stands in. Another caller's refusal, so never shared.
   */
  refused?: boolean
  /** answered by another request's upstream call (the gate's call under way, or a failure it shares) */
  joined?: boolean
}

/**
 * One location's tiers: the isolate's memory (L1) and the data centre's Cache API (L2), with
 * identical misses in the isolate sharing one load. A Worker has one; a simulated location in the
 * tests and benchmarks has its own.
 */
export class EdgeCache {
  readonly memory = new MemoryTier()
  /** upstream failures that the retries of their callers share (see failures.ts) */
  readonly failures = new FailureMemory()
  // an entry lives until its answer is in the Cache API (a request whose cache lookup began before
  // the write still finds it here), and a second more for lookups that were already under way
  readonly #inflight = new Map<string, { loaded: Promise<Loaded>; until: number }>()
  readonly #cache: () => Cache | Promise<Cache>

  constructor(cache: () => Cache | Promise<Cache> = () => caches.default) {
    this.#cache = cache
  }

  /**
   * Answers from memory (L1) or the Cache API (L2) while fresh; otherwise one load per key at a
   * time. Success is kept for the TTL, NoSuchEntity for the negative TTL, other errors never.
   * When the load fails (5xx, throttling, timeout, the gate's budget) an entry within
   * `staleIfErrorSeconds` past its TTL is served instead.
   */
  async call(key: string, policy: CachePolicy, load: () => Promise<Loaded>): Promise<CachedResult> {
    const now = policy.now()
    const inMemory = this.memory.get(key, now)
    if (inMemory && !policy.bypass && inMemory.age < inMemory.freshFor) return { answer: inMemory.answer, status: 'HIT', age: inMemory.age, tier: 'memory' }
    const cache = await this.#cache()
    const request = new Request(key)
    const stored = await readEntry(cache, request, now, policy.mac)
    if (stored && !policy.bypass && stored.age < stored.freshFor) {
      this.memory.put(key, stored.answer, now - stored.age * 1000, stored.freshFor, policy.staleIfErrorSeconds)
      return { answer: stored.answer, status: 'HIT', age: stored.age, tier: 'cache' }
    }
    // the stand-in if the load fails: the younger of the two copies
    const entry = inMemory && (!stored || inMemory.age <= stored.age) ? inMemory : stored
    const recent = policy.bypass ? undefined : this.failures.share(key, now)
    if (recent) return standIn(entry, policy) ?? { answer: recent, status: 'JOINED', age: 0, tier: 'upstream' }

    if (this.#inflight.size > 256) this.#sweep(policy.now())
    const shared = this.#inflight.get(key)
    let pending: Promise<Loaded>
    if (shared && shared.until === 0 && !policy.bypass) {
      // another request's load, still under way: joined, but not past the timeout. A refusal of
      // that load (the other caller's share of the gate's budget) is not this caller's: it loads
      // under its own share instead
      pending = within(shared.loaded, policy.joinTimeoutMs).then((loaded) => (loaded === undefined || loaded.refused ? load() : { ...loaded, joined: true }))
    } else if (shared && shared.until > policy.now() && !policy.bypass) {
      pending = shared.loaded.then((loaded) => ({ ...loaded, joined: true }))
    } else {
      const done = load().then(async (loaded) => {
        // a failure of upstream itself (not a refusal of this caller's share, not a stale stand-in)
        // is shared with the retries that follow; anything else ends an earlier one
        if (!loaded.refused && loaded.tier !== 'stale' && upstreamFailed(loaded.answer)) this.failures.remember(key, loaded.answer, policy.now())
        else if (!loaded.refused) this.failures.forget(key)
        const freshFor = loaded.tier === 'stale' ? 0 : freshness(loaded.answer, policy) - loaded.age
        if (freshFor > 0) {
          const storedAt = now - loaded.age * 1000
          this.memory.put(key, loaded.answer, storedAt, freshFor + loaded.age, policy.staleIfErrorSeconds)
          await writeEntry(cache, request, loaded.answer, storedAt, freshFor + loaded.age, policy.staleIfErrorSeconds, policy.mac).catch(() => undefined)
        }
        return loaded
      })
      const slot = { loaded: done, until: 0 }
      this.#inflight.set(key, slot)
      policy.waitUntil(
        done
          .catch(() => undefined)
          .then((loaded) => {
            if (loaded && loaded.tier !== 'stale' && freshness(loaded.answer, policy) > 0) slot.until = policy.now() + LINGER_MS
            else if (this.#inflight.get(key) === slot) this.#inflight.delete(key)
          }),
      )
      pending = done
    }
    const loaded = await pending
    const { answer } = loaded
    const stale = upstreamFailed(answer) ? standIn(entry, policy) : undefined
    if (stale) return stale
    if (loaded.tier === 'stale') return { answer, status: 'STALE', age: loaded.age, tier: 'stale' }
    const status = policy.bypass ? 'BYPASS' : loaded.joined ? 'JOINED' : loaded.tier === 'gate' ? 'HIT' : 'MISS'
    return { answer, status, age: loaded.age, tier: loaded.tier }
  }

  #sweep(now: number): void {
    for (const [key, slot] of this.#inflight) if (slot.until !== 0 && slot.until <= now) this.#inflight.delete(key)
  }
}

/** The stored copy that stands in for a failed call: within `staleIfErrorSeconds` past its TTL. */
function standIn(entry: Entry | undefined, policy: CachePolicy): CachedResult | undefined {
  if (!entry || entry.age > entry.freshFor + policy.staleIfErrorSeconds) return undefined
  return { answer: entry.answer, status: 'STALE', age: entry.age, tier: 'stale' }
}

/**
 * `promise`, or undefined after `ms`. workerd cancels the continuations of a promise whose creating
 * request has ended (its client went away, say), so a request that joins another's work must not
 * wait on it alone: past the timeout it does the work itself.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Seconds an answer stays fresh: the TTL for success, the negative TTL for NoSuchEntity, else 0. */
export function freshness(answer: UpstreamAnswer, policy: Pick<CachePolicy, 'ttlSeconds' | 'negativeTtlSeconds'>): number {
  if (upstreamFailed(answer)) return 0
  if (answer.status >= 200 && answer.status < 300) return policy.ttlSeconds
  return errorCodeIn(answer.body) === 'NoSuchEntity' ? policy.negativeTtlSeconds : 0
}

/**
 * The Cache API's copy, if this Worker wrote it: its seal (an HMAC of key, metadata and body) must
 * check. A Cache API that fails to answer, or an entry that does not check, counts as a miss.
 */
async function readEntry(cache: Cache, request: Request, now: number, mac: CryptoKey): Promise<Entry | undefined> {
  const res = await cache.match(request).catch(() => undefined)
  if (!res) return undefined
  const storedAt = Number(res.headers.get(STORED_AT))
  const freshFor = Number(res.headers.get(FRESH_FOR))
  const status = Number(res.headers.get(STATUS))
  const seal = res.headers.get(SEAL)
  if (!Number.isFinite(storedAt) || !Number.isFinite(freshFor) || !status || seal === null) return undefined
  const body = await res.text().catch(() => undefined)
  if (body === undefined) return undefined
  if (!timingSafeEqual(seal, await sealOf(mac, request.url, status, storedAt, freshFor, body))) return undefined
  return {
    answer: { status, body, requestId: requestIdIn(body) },
    age: Math.max(0, Math.floor((now - storedAt) / 1000)),
    freshFor,
  }
}

async function writeEntry(cache: Cache, request: Request, answer: UpstreamAnswer, now: number, freshFor: number, staleIfError: number, mac: CryptoKey): Promise<void> {
  const res = new Response(answer.body, {
    headers: {
      'content-type': 'text/xml',
      // kept past freshness so it can stand in while upstream is down
      'cache-control': `max-age=${freshFor + staleIfError}`,
      [STORED_AT]: String(now),
      [FRESH_FOR]: String(freshFor),
      [STATUS]: String(answer.status),
      [SEAL]: await sealOf(mac, request.url, answer.status, now, freshFor, answer.body),
    },
  })
  return cache.put(request, res)
}

async function sealOf(mac: CryptoKey, key: string, status: number, storedAt: number, freshFor: number, body: string): Promise<string> {
  const digest = await crypto.subtle.sign('HMAC', mac, new TextEncoder().encode(`${key}\n${status}\n${storedAt}\n${freshFor}\n${body}`))
  return toHex(new Uint8Array(digest))
}
