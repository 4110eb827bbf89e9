// L3: the gate, one Durable Object per upstream identity, through which every location's misses
// pass. It coalesces identical misses everywhere, keeps answers in its SQLite storage as a tier
// shared by all locations, spends a global upstream budget (token buckets: shared, per action,
// per caller), backs an action off when IAM throttles it, refreshes hot answers before they
// expire, and answers stale or Throttling (with Retry-After) rather than queueing: never a hang.
import { DurableObject } from 'cloudflare:workers'
import { errorCodeIn, isThrottlingCode, requestIdIn } from '../src/index.js'
import { freshness, type Loaded, within } from './cache.js'
import { type Bindings, type GateSettings, loadConfig } from './config.js'
import { FailureMemory } from './failures.js'
import { callUpstream, throttledAnswer, type UpstreamAnswer, upstreamFailed } from './upstream.js'

/** One miss, as a location hands it to the gate: what to call, for whom, and how long to keep it. */
export interface GateRequest {
  key: string
  service: 'iam' | 'sts'
  action: string
  params: Array<[string, string]>
  /** the caller's configured name: the per-caller share is kept under it */
  caller: string
  /** Cache-Control: no-cache — skip the stored copy (an in-flight call is still shared) */
  bypass: boolean
  ttlSeconds: number
  negativeTtlSeconds: number
  staleIfErrorSeconds: number
  /** how long to wait for a call another request started before making one (see `within`) */
  joinTimeoutMs: number
}

/** A token bucket: `rate` tokens a second, holding at most `burst`. */
class Bucket {
  tokens: number
  #at: number

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.#at = now
  }

  level(now: number): number {
    if (now > this.#at) this.tokens = Math.min(this.burst, this.tokens + ((now - this.#at) / 1000) * this.rate)
    this.#at = Math.max(this.#at, now)
    return this.tokens
  }

  /** ms until `need` tokens are there (0: now) */
  wait(now: number, need = 1): number {
    const level = this.level(now)
    return level >= need ? 0 : Math.ceil(((need - level) / this.rate) * 1000)
  }
}

/** What the gate needs from its surroundings: the DO's SQLite storage and alarm, an upstream, a clock. */
export interface GateDeps {
  sql: SqlStorage
  settings: GateSettings
  upstream: (service: 'iam' | 'sts', action: string, params: ReadonlyArray<readonly [string, string]>) => Promise<UpstreamAnswer>
  now: () => number
  setAlarm: (at: number) => void
}

type Row = {
  key: string
  service: string
  action: string
  params: string
  status: number
  body: string
  stored_at: number
  fresh_for: number
  stale_for: number
  keep_until: number
  ttl: number
  negative_ttl: number
  bytes: number
  hits: number
  refresh_due: number | null
}

/** A stored answer read back: its age and how long it is fresh, in seconds. */
interface Stored {
  answer: UpstreamAnswer
  age: number
  freshFor: number
}

/** Reads since it was stored that make an answer hot: refreshed ahead of expiry. */
export const HOT_HITS = 2
/** Refresh-ahead starts at this part of the TTL. */
const REFRESH_AT = 0.75
/** Answers larger than this are not stored (a Durable Object's SQLite row holds at most 2 MB). */
export const MAX_STORED_BYTES = 1024 * 1024
const BACKOFF_FIRST_MS = 1000
const BACKOFF_MAX_MS = 60_000
/** Refresh-ahead leaves this part of a bucket to callers. */
const REFRESH_RESERVE = 0.5
/** How many caller buckets are remembered before the full (idle) ones are dropped. */
const MAX_CALLERS = 1000
/** Recency of hits is written in batches: at most this often, or when this many keys wait. */
const TOUCH_FLUSH_MS = 10_000
const TOUCH_FLUSH_KEYS = 256
/** Over a bound, expired rows are looked for at most this often; between, the least recently used go. */
const SWEEP_MS = 10_000
/** What a row costs beyond its key, parameters and body (columns, index entries). */
const ROW_OVERHEAD = 128

const encoder = new TextEncoder()

/** UTF-8 bytes of a string: what SQLite stores for TEXT. */
function utf8Bytes(text: string): number {
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength
}

export class Gate {
  readonly #deps: GateDeps
  readonly #shared: Bucket
  readonly #actions = new Map<string, Bucket>()
  readonly #callers = new Map<string, Bucket>()
  /** actions IAM throttled: no upstream call before `until` */
  readonly #paused = new Map<string, { until: number; backoffMs: number }>()
  readonly #inflight = new Map<string, Promise<UpstreamAnswer>>()
  /** upstream failures that every location's retries share (see failures.ts) */
  readonly #failures = new FailureMemory()
  /** hits not yet written: key → last use and how many */
  readonly #touches = new Map<string, { usedAt: number; hits: number }>()
  #flushedAt: number
  /** running totals of what the table holds, kept in the `totals` row so no request counts rows */
  #entries = 0
  #bytes = 0
  #alarmAt = 0
  #sweptAt = 0

  constructor(deps: GateDeps) {
    this.#deps = deps
    const now = deps.now()
    this.#flushedAt = now
    this.#shared = new Bucket(deps.settings.ratePerSecond, deps.settings.burst, now)
    const { sql } = deps
    // v1 kept no totals and counted only bodies: its rows are dropped (a cache), not migrated
    sql.exec('DROP TABLE IF EXISTS answers')
    sql.exec(
      `CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, service TEXT NOT NULL, action TEXT NOT NULL, params TEXT NOT NULL,
        status INTEGER NOT NULL, body TEXT NOT NULL, stored_at INTEGER NOT NULL, fresh_for INTEGER NOT NULL, stale_for INTEGER NOT NULL,
        keep_until INTEGER NOT NULL, ttl INTEGER NOT NULL, negative_ttl INTEGER NOT NULL, bytes INTEGER NOT NULL, used_at INTEGER NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0, refresh_due INTEGER, refresh_at INTEGER)`,
    )
    sql.exec('CREATE INDEX IF NOT EXISTS entries_used ON entries (used_at)')
    sql.exec('CREATE INDEX IF NOT EXISTS entries_expiry ON entries (keep_until)')
    // only hot answers carry refresh_at, so the alarm's queries read only them
    sql.exec('CREATE INDEX IF NOT EXISTS entries_refresh ON entries (refresh_at) WHERE refresh_at IS NOT NULL')
    sql.exec('CREATE TABLE IF NOT EXISTS totals (id INTEGER PRIMARY KEY CHECK (id = 1), entries INTEGER NOT NULL, bytes INTEGER NOT NULL)')
    sql.exec('INSERT OR IGNORE INTO totals (id, entries, bytes) VALUES (1, 0, 0)')
    const totals = sql.exec<{ entries: number; bytes: number }>('SELECT entries, bytes FROM totals WHERE id = 1').one()
    this.#entries = totals.entries
    this.#bytes = totals.bytes
    // after a restart, the alarm for the hot answers stored before it
    this.#schedule(now)
  }

  /**
   * The gate's answer to a miss, in this order: its stored copy while fresh; the call already under
   * way for the same key; a new upstream call within the budget; a stale copy; Throttling with the
   * seconds to wait.
   */
  async answer(req: GateRequest): Promise<Loaded> {
    const now = this.#deps.now()
    const stored = this.#read(req.key, now)
    if (stored && !req.bypass && stored.age < stored.freshFor) {
      this.#touch(req.key, stored.hits, now)
      return { answer: stored.answer, age: stored.age, tier: 'gate' }
    }
    this.#flushIfDue(now)
    const running = this.#inflight.get(req.key)
    if (running) {
      const shared = await within(running, req.joinTimeoutMs)
      if (shared) return { ...this.#outcome(shared, stored, req.action), joined: true }
    }
    const recent = req.bypass ? undefined : this.#failures.share(req.key, now)
    if (recent) return { ...this.#outcome(recent, stored, req.action), joined: true }
    const waitMs = this.#spend(req.action, req.caller, now)
    if (waitMs > 0) return this.#refuse(stored, req.action, waitMs, 'budget')
    return this.#outcome(await this.#call(req), stored, req.action)
  }

  /** The alarm: refresh hot answers near expiry, as far as the budget allows while leaving callers their part. */
  async refresh(): Promise<number> {
    const now = this.#deps.now()
    this.#alarmAt = 0
    this.#flush(now)
    const due = this.#deps.sql
      .exec<Row>('SELECT * FROM entries WHERE refresh_at IS NOT NULL AND refresh_at <= ? AND keep_until > ? ORDER BY refresh_at LIMIT 100', now, now)
      .toArray()
    const calls: Array<Promise<UpstreamAnswer>> = []
    let blocked = false
    for (const row of due) {
      if (this.#inflight.has(row.key)) continue
      if (!this.#spendAhead(row.action, now)) {
        blocked = true
        continue
      }
      const params = JSON.parse(row.params) as Array<[string, string]>
      const req: GateRequest = { key: row.key, service: row.service as 'iam' | 'sts', action: row.action, params, caller: '', bypass: true, ttlSeconds: row.ttl, negativeTtlSeconds: row.negative_ttl, staleIfErrorSeconds: row.stale_for, joinTimeoutMs: 0 }
      calls.push(this.#call(req))
    }
    await Promise.all(calls)
    // what the budget left for later is tried again in a second
    this.#schedule(this.#deps.now(), blocked ? this.#deps.now() + 1000 : undefined)
    return calls.length
  }

  /** Entries and bytes held (key, parameters and body of each, plus a fixed overhead), from the running totals. */
  usage(): { entries: number; bytes: number } {
    return { entries: this.#entries, bytes: this.#bytes }
  }

  #read(key: string, now: number): (Stored & { hits: number }) | undefined {
    const row = this.#deps.sql.exec<Row>('SELECT * FROM entries WHERE key = ?', key).toArray()[0]
    if (!row || row.keep_until < now) return undefined
    const age = Math.max(0, Math.floor((now - row.stored_at) / 1000))
    return { answer: { status: row.status, body: row.body, requestId: requestIdIn(row.body) }, age, freshFor: row.fresh_for, hits: row.hits }
  }

  /**
   * A hit: its recency and count wait in memory and are written in a batch (see #flushIfDue). The
   * hit that makes an answer hot is written at once, with its refresh time, and sets the alarm.
   */
  #touch(key: string, storedHits: number, now: number): void {
    const pending = this.#touches.get(key) ?? { usedAt: now, hits: 0 }
    pending.usedAt = now
    pending.hits++
    this.#touches.set(key, pending)
    if (storedHits < HOT_HITS && storedHits + pending.hits >= HOT_HITS) {
      this.#touches.delete(key)
      const row = this.#deps.sql
        .exec<{ refresh_at: number | null }>('UPDATE entries SET used_at = ?, hits = hits + ?, refresh_at = refresh_due WHERE key = ? RETURNING refresh_at', now, pending.hits, key)
        .toArray()[0]
      if (row && row.refresh_at !== null) this.#schedule(now, row.refresh_at)
    }
    this.#flushIfDue(now)
  }

  #flushIfDue(now: number): void {
    if (this.#touches.size >= TOUCH_FLUSH_KEYS || (this.#touches.size > 0 && now - this.#flushedAt >= TOUCH_FLUSH_MS)) this.#flush(now)
  }

  /** Writes the waiting hits, one row each. */
  #flush(now: number): void {
    this.#flushedAt = now
    for (const [key, { usedAt, hits }] of this.#touches) this.#deps.sql.exec('UPDATE entries SET used_at = ?, hits = hits + ? WHERE key = ?', usedAt, hits, key)
    this.#touches.clear()
  }

  /** Sets the alarm to `at`, or to the earliest refresh of a hot answer, unless an earlier one is set. */
  #schedule(now: number, at?: number): void {
    let next = at
    if (next === undefined) {
      const row = this.#deps.sql.exec<{ at: number | null }>('SELECT refresh_at AS at FROM entries WHERE refresh_at IS NOT NULL ORDER BY refresh_at LIMIT 1').toArray()[0]
      if (!row || row.at === null) return
      next = row.at
    }
    next = Math.max(next, now)
    if (this.#alarmAt !== 0 && this.#alarmAt <= next) return
    this.#alarmAt = next
    this.#deps.setAlarm(next)
  }

  /** Takes a token from the action's (or the shared) bucket and from the caller's share; else the ms to wait. */
  #spend(action: string, caller: string, now: number): number {
    const paused = this.#paused.get(action)
    if (paused && paused.until > now) return paused.until - now
    const bucket = this.#bucket(action, now)
    const mine = this.#callerBucket(bucket === this.#shared ? caller : `${action}\n${caller}`, bucket, now)
    const wait = Math.max(bucket.wait(now), mine.wait(now))
    if (wait > 0) return wait
    bucket.tokens -= 1
    mine.tokens -= 1
    return 0
  }

  /** Refresh-ahead spends only what callers would not miss: the bucket must hold more than its reserve. */
  #spendAhead(action: string, now: number): boolean {
    const paused = this.#paused.get(action)
    if (paused && paused.until > now) return false
    const bucket = this.#bucket(action, now)
    if (bucket.wait(now, 1 + bucket.burst * REFRESH_RESERVE) > 0) return false
    bucket.tokens -= 1
    return true
  }

  #bucket(action: string, now: number): Bucket {
    const rate = this.#deps.settings.actionRates.get(action)
    if (rate === undefined) return this.#shared
    let bucket = this.#actions.get(action)
    if (!bucket) {
      // an action's own bucket holds what the shared one holds for its rate
      bucket = new Bucket(rate, Math.max(1, (this.#deps.settings.burst * rate) / this.#deps.settings.ratePerSecond), now)
      this.#actions.set(action, bucket)
    }
    return bucket
  }

  /** A caller's share of `of`, kept under `key` (the caller, or the action and the caller for an action's own bucket). */
  #callerBucket(key: string, of: Bucket, now: number): Bucket {
    let bucket = this.#callers.get(key)
    if (!bucket) {
      if (this.#callers.size >= MAX_CALLERS) for (const [k, b] of this.#callers) if (b.level(now) >= b.burst) this.#callers.delete(k)
      const share = this.#deps.settings.callerShare
      bucket = new Bucket(of.rate * share, Math.max(1, of.burst * share), now)
      this.#callers.set(key, bucket)
    }
    return bucket
  }

  /**
   * One upstream call for the key, shared by every miss that arrives while it runs (and, when it
   * fails, by the retries that follow); stored when cacheable.
   */
  #call(req: GateRequest): Promise<UpstreamAnswer> {
    const done = this.#deps
      .upstream(req.service, req.action, req.params)
      .then((answer) => {
        // IAM's throttling pauses the whole action (#learn); any other failure is shared by the key's retries
        if (this.#learn(req.action, answer)) this.#failures.forget(req.key)
        else if (upstreamFailed(answer)) this.#failures.remember(req.key, answer, this.#deps.now())
        else this.#failures.forget(req.key)
        const freshFor = freshness(answer, req)
        if (freshFor > 0) this.#store(req, answer, this.#deps.now(), freshFor)
        return answer
      })
      .finally(() => {
        if (this.#inflight.get(req.key) === done) this.#inflight.delete(req.key)
      })
    this.#inflight.set(req.key, done)
    return done
  }

  /** IAM throttled the action (the answer): pause its calls, doubling the pause each time; any other answer ends the pause. */
  #learn(action: string, answer: UpstreamAnswer): boolean {
    const throttled = answer.status === 429 || (answer.status >= 400 && isThrottlingCode(errorCodeIn(answer.body)))
    if (!throttled) {
      if (!answer.failed) this.#paused.delete(action)
      return false
    }
    const backoffMs = Math.min(BACKOFF_MAX_MS, (this.#paused.get(action)?.backoffMs ?? BACKOFF_FIRST_MS / 2) * 2)
    this.#paused.set(action, { until: this.#deps.now() + backoffMs, backoffMs })
    return true
  }

  #outcome(answer: UpstreamAnswer, stored: Stored | undefined, action: string): Loaded {
    if (!upstreamFailed(answer)) return { answer, age: 0, tier: 'upstream' }
    const paused = this.#paused.get(action)
    if (paused && !answer.failed) return this.#refuse(stored, action, Math.max(1, paused.until - this.#deps.now()), 'IAM throttled')
    if (stored) return { answer: stored.answer, age: stored.age, tier: 'stale' }
    return { answer, age: 0, tier: 'upstream' }
  }

  /** No upstream call now: a stale copy within its window, else Throttling with the seconds to wait. */
  #refuse(stored: Stored | undefined, action: string, waitMs: number, why: string): Loaded {
    if (stored) return { answer: stored.answer, age: stored.age, tier: 'stale', refused: true }
    return { answer: throttledAnswer(`gate: ${why} (${action})`, Math.max(1, Math.ceil(waitMs / 1000))), age: 0, tier: 'upstream', refused: true }
  }

  /**
   * Stores an answer, counting its key, parameters and body in the running totals, then evicts
   * until within the bounds. Reads and writes a handful of rows whatever the table holds.
   */
  #store(req: GateRequest, answer: UpstreamAnswer, now: number, freshFor: number): void {
    const { sql, settings } = this.#deps
    const params = JSON.stringify(req.params)
    const bytes = utf8Bytes(req.key) + utf8Bytes(params) + utf8Bytes(answer.body) + ROW_OVERHEAD
    this.#touches.delete(req.key)
    this.#delete(req.key)
    if (bytes > Math.min(MAX_STORED_BYTES, settings.maxBytes)) {
      this.#saveTotals()
      return
    }
    const staleFor = req.staleIfErrorSeconds
    const refreshDue = freshFor >= 4 ? now + Math.floor(freshFor * REFRESH_AT * 1000) : null
    sql.exec(
      `INSERT INTO entries (key, service, action, params, status, body, stored_at, fresh_for, stale_for, keep_until, ttl, negative_ttl, bytes, used_at, hits, refresh_due, refresh_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL)`,
      req.key,
      req.service,
      req.action,
      params,
      answer.status,
      answer.body,
      now,
      freshFor,
      staleFor,
      now + (freshFor + staleFor) * 1000,
      req.ttlSeconds,
      req.negativeTtlSeconds,
      bytes,
      now,
      refreshDue,
    )
    this.#entries += 1
    this.#bytes += bytes
    this.#bound(now)
    this.#saveTotals()
  }

  /** Removes a key's row, if any, from the table and the totals. */
  #delete(key: string): void {
    for (const row of this.#deps.sql.exec<{ bytes: number }>('DELETE FROM entries WHERE key = ? RETURNING bytes', key)) this.#forget(row.bytes)
  }

  #forget(bytes: number): void {
    this.#entries -= 1
    this.#bytes -= bytes
  }

  #saveTotals(): void {
    this.#deps.sql.exec('UPDATE totals SET entries = ?, bytes = ? WHERE id = 1', this.#entries, this.#bytes)
  }

  /** Over a bound: drops what is past its stale window, then the least recently used, through the indexes (never a scan of the table). */
  #bound(now: number): void {
    const { sql, settings } = this.#deps
    const over = () => this.#entries > settings.maxEntries || this.#bytes > settings.maxBytes
    if (!over()) return
    // recency waiting in memory decides what goes: write it first
    this.#flush(now)
    // what is past its stale window goes first (an index range: only expired rows are read),
    // looked for at most once per sweep interval; then the least recently used, one at a time
    if (now - this.#sweptAt >= SWEEP_MS) {
      this.#sweptAt = now
      for (const row of sql.exec<{ bytes: number }>('DELETE FROM entries WHERE keep_until < ? RETURNING bytes', now)) this.#forget(row.bytes)
    }
    while (over()) {
      const oldest = sql.exec<{ key: string }>('SELECT key FROM entries ORDER BY used_at LIMIT 1').toArray()[0]
      if (!oldest) break
      this.#delete(oldest.key)
    }
  }
}

/** The gate's surroundings; tests swap them for a fault-injecting upstream and a clock of their own. */
export const gateEnvironment: { fetch: typeof fetch; now: () => number } = {
  // an unbound global fetch throws "Illegal invocation" in workerd
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
}

/** The Durable Object: one per upstream identity (named by its fingerprint), bound as GATE. */
export class UpstreamGate extends DurableObject<Bindings> {
  #gate: Gate | undefined

  #get(): Gate {
    if (!this.#gate) {
      const config = loadConfig(this.env)
      const storage = this.ctx.storage
      this.#gate = new Gate({
        sql: storage.sql,
        settings: config.gate,
        upstream: (service, action, params) => callUpstream(config, service, action, params, gateEnvironment.fetch),
        now: () => gateEnvironment.now(),
        setAlarm: (at) => void storage.setAlarm(at),
      })
    }
    return this.#gate
  }

  answer(req: GateRequest): Promise<Loaded> {
    return this.#get().answer(req)
  }

  override async alarm(): Promise<void> {
    await this.#get().refresh()
  }
}
