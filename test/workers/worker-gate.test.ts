// L3: the gate. Its logic over a real Durable Object's SQLite storage with a fake clock and a
// fault-injecting upstream, then the real Durable Object behind several simulated locations.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../worker/app.js'
import { EdgeCache, fingerprint, type Loaded } from '../../worker/cache.js'
import type { GateSettings } from '../../worker/config.js'
import { Gate, type GateRequest, gateEnvironment, HOT_HITS } from '../../worker/gate.js'
import type { UpstreamAnswer } from '../../worker/upstream.js'
import { bearer, codeOf, dispatch, fakeUpstream, makeEnv, sha256Hex, signedPost, TOKEN } from './worker-support.js'

const VICTIM_TOKEN = 'victim-token-for-tests'

const defaults: GateSettings = { ratePerSecond: 10, burst: 20, actionRates: new Map(), callerShare: 1, maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }

interface Rig {
  gate: Gate
  /** rows read and written by the gate's queries since the last call */
  rows: () => { read: number; written: number }
  sql: SqlStorage
  clock: { now: number }
  calls: string[]
  alarms: number[]
  /** what upstream answers next: ok, throttle or 500 */
  mode: { fault: 'ok' | 'throttle' | '500' | 'hang'; delayMs: number }
  ask: (key: string, more?: Partial<GateRequest>) => Promise<Loaded>
  restart: () => void
}

let gates = 0

/** Runs `body` inside a fresh gate object, with the Gate over its storage and a rig around it. */
async function withGate(settings: Partial<GateSettings>, body: (rig: Rig) => Promise<void>): Promise<void> {
  const stub = env.GATE.get(env.GATE.idFromName(`unit-${++gates}`))
  await runInDurableObject(stub, async (_instance, state) => {
    const clock = { now: Date.UTC(2026, 10, 23, 12) }
    const calls: string[] = []
    const alarms: number[] = []
    const mode: Rig['mode'] = { fault: 'ok', delayMs: 0 }
    const upstream = async (_service: 'iam' | 'sts', action: string, params: ReadonlyArray<readonly [string, string]>): Promise<UpstreamAnswer> => {
      calls.push(`${action}:${params.map(([, v]) => v).join(',')}`)
      if (mode.fault === 'hang') {
        mode.fault = 'ok'
        return new Promise<UpstreamAnswer>(() => undefined)
      }
      if (mode.delayMs > 0) await new Promise((r) => setTimeout(r, mode.delayMs))
      if (mode.fault === 'throttle') return { status: 400, body: '<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>', requestId: 't' }
      if (mode.fault === '500') return { status: 500, body: 'down', requestId: undefined }
      return { status: 200, body: `<${action}Response><V>${params.map(([, v]) => v).join(',')}@${clock.now}</V></${action}Response>`, requestId: 'r' }
    }
    // every query the gate runs, counted by the rows SQLite read and wrote for it (what storage bills)
    const cursors: Array<{ rowsRead: number; rowsWritten: number }> = []
    const counted = {
      exec: (query: string, ...bindings: SqlStorageValue[]) => {
        const cursor = state.storage.sql.exec(query, ...bindings)
        cursors.push(cursor)
        return cursor
      },
    } as unknown as SqlStorage
    const rows = () => {
      const total = { read: 0, written: 0 }
      for (const c of cursors.splice(0)) {
        total.read += c.rowsRead
        total.written += c.rowsWritten
      }
      return total
    }
    const make = () => new Gate({ sql: counted, settings: { ...defaults, ...settings }, upstream, now: () => clock.now, setAlarm: (at) => alarms.push(at) })
    const rig: Rig = {
      gate: make(),
      rows,
      sql: state.storage.sql,
      clock,
      calls,
      alarms,
      mode,
      ask: (key, more = {}) =>
        rig.gate.answer({ key, service: 'iam', action: 'GetRole', params: [['RoleName', key]], caller: 'cli', bypass: false, ttlSeconds: 60, negativeTtlSeconds: 10, staleIfErrorSeconds: 300, joinTimeoutMs: 11_000, ...more }),
      restart: () => {
        rig.gate = make()
      },
    }
    await body(rig)
  })
}

const retryAfter = (l: Loaded) => l.answer.failed?.retryAfter

describe('the gate (over a Durable Object’s SQLite storage)', () => {
  it('shares one upstream call among identical misses and then answers from its storage', async () => {
    await withGate({}, async (rig) => {
      rig.mode.delayMs = 20
      const answers = await Promise.all(Array.from({ length: 25 }, () => rig.ask('same')))
      expect(rig.calls).toEqual(['GetRole:same'])
      expect(new Set(answers.map((a) => a.answer.body)).size).toBe(1)
      expect(answers.every((a) => a.tier === 'upstream' && a.age === 0)).toBe(true)
      rig.clock.now += 7_000
      const later = await rig.ask('same')
      expect([later.tier, later.age, later.answer.body]).toEqual(['gate', 7, answers[0]?.answer.body])
      expect(rig.calls).toHaveLength(1)
    })
  })

  it('spends a token bucket: burst at once, then the rate; beyond it Throttling with the seconds to wait', async () => {
    await withGate({ ratePerSecond: 2, burst: 3 }, async (rig) => {
      const first = await Promise.all(Array.from({ length: 6 }, (_, i) => rig.ask(`k${i}`)))
      expect(rig.calls).toHaveLength(3)
      const refused = first.filter((a) => a.answer.failed)
      expect(refused).toHaveLength(3)
      expect(refused.map((a) => [a.answer.failed?.code, a.answer.status, retryAfter(a)])).toEqual(Array(3).fill(['Throttling', 400, 1]))
      rig.clock.now += 1_000
      await Promise.all(Array.from({ length: 6 }, (_, i) => rig.ask(`k${i}`)))
      // two tokens came back in one second; the three answered keys were served from storage
      expect(rig.calls).toHaveLength(5)
    })
  })

  it('serves a stale copy within its window when the budget is spent or upstream fails, never past it', async () => {
    await withGate({ ratePerSecond: 1, burst: 1 }, async (rig) => {
      await rig.ask('r')
      rig.clock.now += 61_000
      await rig.ask('other') // spends the only token
      const stale = await rig.ask('r')
      expect([stale.tier, stale.age]).toEqual(['stale', 61])
      rig.clock.now += 2_000
      rig.mode.fault = '500'
      const down = await rig.ask('r')
      expect([down.tier, down.age, rig.calls.length]).toEqual(['stale', 63, 3])
      rig.clock.now += 300_000
      rig.mode.fault = 'ok'
      await rig.ask('spend') // the token again
      const gone = await rig.ask('r')
      expect([gone.answer.failed?.code, retryAfter(gone)]).toEqual(['Throttling', 1])
    })
  })

  it('backs an action off when IAM throttles it, doubling the pause, and resumes after a success', async () => {
    await withGate({}, async (rig) => {
      rig.mode.fault = 'throttle'
      const first = await rig.ask('a')
      expect([first.answer.failed?.code, retryAfter(first), rig.calls.length]).toEqual(['Throttling', 1, 1])
      // paused: no upstream call for GetRole, any key, for a second
      const during = await rig.ask('b')
      expect([during.answer.failed?.code, rig.calls.length]).toEqual(['Throttling', 1])
      // another action is not paused
      const other = await rig.ask('c', { action: 'GetUser', params: [['UserName', 'c']] })
      expect([other.answer.failed?.code, rig.calls.length]).toEqual(['Throttling', 2])
      rig.clock.now += 1_000
      const again = await rig.ask('b')
      expect([retryAfter(again), rig.calls.length]).toEqual([2, 3])
      rig.clock.now += 1_500
      expect((await rig.ask('b')).answer.failed?.retryAfter).toBe(1)
      expect(rig.calls).toHaveLength(3)
      rig.clock.now += 1_000
      rig.mode.fault = 'ok'
      expect((await rig.ask('b')).tier).toBe('upstream')
      rig.mode.fault = 'throttle'
      expect(retryAfter(await rig.ask('d'))).toBe(1)
    })
  })

  it('shares a failure with the key’s retries for its window, then calls again; a bypass and a success end it', async () => {
    await withGate({}, async (rig) => {
      rig.mode.fault = '500'
      const first = await rig.ask('f')
      expect([first.answer.status, first.joined, rig.calls.length]).toEqual([500, undefined, 1])
      rig.clock.now += 1_000
      const retry = await rig.ask('f')
      expect([retry.answer.status, retry.joined, rig.calls.length]).toEqual([500, true, 1])
      // another key is its own call
      await rig.ask('g')
      expect(rig.calls.length).toBe(2)
      rig.mode.fault = 'ok'
      const bypass = await rig.ask('f', { bypass: true })
      expect([bypass.answer.status, rig.calls.length]).toEqual([200, 3])
      rig.clock.now += 4_000
      expect((await rig.ask('g')).answer.status).toBe(200)
      expect(rig.calls.length).toBe(4)
    })
  })

  it('gives actions with their own rate their own bucket', async () => {
    await withGate({ ratePerSecond: 5, burst: 5, actionRates: new Map([['GetRole', 1]]) }, async (rig) => {
      const roles = await Promise.all(Array.from({ length: 3 }, (_, i) => rig.ask(`role${i}`)))
      expect(roles.filter((a) => a.answer.failed)).toHaveLength(2)
      const users = await Promise.all(Array.from({ length: 5 }, (_, i) => rig.ask(`user${i}`, { action: 'GetUser', params: [['UserName', `user${i}`]] })))
      expect(users.filter((a) => a.answer.failed)).toHaveLength(0)
    })
  })

  it('keeps one caller’s flood of distinct keys to its share of the budget', async () => {
    await withGate({ ratePerSecond: 10, burst: 10, callerShare: 0.5 }, async (rig) => {
      const flood = await Promise.all(Array.from({ length: 40 }, (_, i) => rig.ask(`flood${i}`, { caller: 'scanner' })))
      expect(flood.filter((a) => !a.answer.failed)).toHaveLength(5)
      const others = await Promise.all(Array.from({ length: 4 }, (_, i) => rig.ask(`dash${i}`, { caller: 'dashboard' })))
      expect(others.filter((a) => !a.answer.failed)).toHaveLength(4)
      expect(rig.calls).toHaveLength(9)
    })
  })

  it('refreshes hot answers ahead of expiry within the budget, and leaves cold ones alone', async () => {
    await withGate({ ratePerSecond: 4, burst: 4 }, async (rig) => {
      const stored = rig.clock.now
      await rig.ask('hot')
      await rig.ask('cold')
      for (let i = 0; i < HOT_HITS; i++) await rig.ask('hot')
      await rig.ask('cold')
      expect(rig.alarms).toEqual([stored + 45_000])
      rig.clock.now = stored + 45_000
      expect(await rig.gate.refresh()).toBe(1)
      expect(rig.calls).toEqual(['GetRole:hot', 'GetRole:cold', 'GetRole:hot'])
      rig.clock.now += 30_000
      // 75 s after the first answer: the refreshed copy is 30 s old and fresh; cold has expired
      const hot = await rig.ask('hot')
      expect([hot.tier, hot.age]).toEqual(['gate', 30])
      expect((await rig.ask('cold')).tier).toBe('upstream')
    })
  })

  it('refreshes only from what callers would not miss: a nearly spent bucket waits', async () => {
    await withGate({ ratePerSecond: 1, burst: 2 }, async (rig) => {
      await rig.ask('hot')
      for (let i = 0; i < HOT_HITS; i++) await rig.ask('hot')
      rig.clock.now += 45_000
      await rig.ask('spend')
      expect(await rig.gate.refresh()).toBe(0)
      expect(rig.alarms.at(-1)).toBe(rig.clock.now + 1000)
      rig.clock.now += 1_000
      expect(await rig.gate.refresh()).toBe(1)
    })
  })

  it('stays within its entry and byte bounds under a flood of distinct keys, evicting the least recently used', async () => {
    await withGate({ ratePerSecond: 1e6, burst: 1e6, maxEntries: 40, maxBytes: 3_000 }, async (rig) => {
      await rig.ask('keep')
      for (let i = 0; i < 300; i++) {
        rig.clock.now += 10
        await rig.ask(`k${i}`)
        if (i % 10 === 0) await rig.ask('keep')
      }
      const usage = rig.gate.usage()
      expect(usage.entries).toBeLessThanOrEqual(40)
      expect(usage.bytes).toBeLessThanOrEqual(3_000)
      expect(usage.entries).toBeGreaterThan(10)
      const calls = rig.calls.length
      expect((await rig.ask('keep')).tier).toBe('gate')
      expect((await rig.ask('k299')).tier).toBe('gate')
      expect((await rig.ask('k0')).tier).toBe('upstream')
      expect(rig.calls.length).toBe(calls + 1)
    })
  })

  it('keeps its bookkeeping O(1): single-digit rows read and written per stored miss, per hit, and per eviction at 1,000 entries', async () => {
    await withGate({ ratePerSecond: 1e6, burst: 1e6, maxEntries: 1_000 }, async (rig) => {
      for (let i = 0; i < 1_000; i++) await rig.ask(`k${i}`)
      expect(rig.gate.usage().entries).toBe(1_000)
      rig.rows()
      await rig.ask('a-new-key') // a stored miss that also evicts the least recently used
      const miss = rig.rows()
      expect(rig.gate.usage().entries).toBe(1_000)
      rig.clock.now += 1_000
      await rig.ask('k500') // a hit
      const hit = rig.rows()
      await rig.ask('k501')
      await rig.ask('k502')
      const moreHits = rig.rows()
      expect(miss.read).toBeLessThan(10)
      expect(miss.written).toBeLessThan(10)
      expect(hit.read).toBeLessThan(10)
      // recency is batched: a hit writes nothing until the batch is due
      expect(hit.written).toBe(0)
      expect(moreHits.written).toBe(0)
      rig.clock.now += 10_000
      await rig.ask('k503')
      // the batch: one row for each key hit since the last one
      expect(rig.rows().written).toBeLessThanOrEqual(4 * 3)
      // the totals agree with a count of the table
      const counted = rig.sql.exec<{ n: number; b: number }>('SELECT count(*) AS n, sum(bytes) AS b FROM entries').one()
      expect(rig.gate.usage()).toEqual({ entries: counted.n, bytes: counted.b })
    })
  })

  it('counts key, parameters and body against its byte bound, and its database stays within it', async () => {
    await withGate({ ratePerSecond: 1e6, burst: 1e6, maxBytes: 256 * 1024 }, async (rig) => {
      const size = () => rig.sql.databaseSize
      const sizeBefore = size()
      for (let i = 0; i < 300; i++) {
        rig.clock.now += 10
        // 15,000 three-byte characters: a 45 KB row, nearly all of it parameters
        await rig.ask(`big${i}`, { action: 'GetContextKeysForCustomPolicy', params: [['PolicyInputList.member.1', `${i}${'€'.repeat(15_000)}`]] })
      }
      const usage = rig.gate.usage()
      expect(usage.bytes).toBeLessThanOrEqual(256 * 1024)
      const stored = rig.sql.exec<{ held: number }>('SELECT sum(length(CAST(key AS BLOB)) + length(CAST(params AS BLOB)) + length(CAST(body AS BLOB))) AS held FROM entries').one()
      expect(stored.held).toBeLessThanOrEqual(usage.bytes)
      expect(usage.entries).toBeGreaterThan(1)
      // SQLite's pages, indexes and free list on top of the rows: a fixed allowance, not a multiple
      expect(size() - sizeBefore).toBeLessThanOrEqual(256 * 1024 + 256 * 1024)
    })
  })

  it('loses nothing but in-flight work when the object restarts', async () => {
    await withGate({}, async (rig) => {
      await rig.ask('kept')
      for (let i = 0; i < HOT_HITS; i++) await rig.ask('kept')
      rig.mode.delayMs = 30
      const inFlight = rig.ask('flying')
      rig.restart()
      // the stored answer and its refresh schedule survive; the new object knows nothing of the call under way
      expect(rig.alarms.at(-1)).toBe(rig.clock.now + 45_000)
      expect((await rig.ask('kept')).tier).toBe('gate')
      const again = rig.ask('flying')
      await Promise.all([inFlight, again])
      expect(rig.calls.filter((c) => c === 'GetRole:flying')).toHaveLength(2)
      expect((await rig.ask('flying')).tier).toBe('gate')
    })
  })

  it('does not wait forever on a call another request started: past the join timeout it makes its own', async () => {
    await withGate({}, async (rig) => {
      rig.mode.fault = 'hang'
      // the first request's call never settles (as when workerd cancels the request that made it)
      void rig.ask('orphan')
      const joined = await rig.ask('orphan', { joinTimeoutMs: 30 })
      expect([joined.tier, rig.calls]).toEqual(['upstream', ['GetRole:orphan', 'GetRole:orphan']])
      expect((await rig.ask('orphan')).tier).toBe('gate')
    })
  })

  it('skips its stored copy for Cache-Control: no-cache, still within the budget', async () => {
    await withGate({ ratePerSecond: 1, burst: 1 }, async (rig) => {
      await rig.ask('r')
      const bypass = await rig.ask('r', { bypass: true })
      // no token left: the stored copy stands in, marked stale
      expect([bypass.tier, rig.calls.length]).toEqual(['stale', 1])
      rig.clock.now += 1_000
      expect((await rig.ask('r', { bypass: true })).tier).toBe('upstream')
      expect(rig.calls).toHaveLength(2)
    })
  })
})

describe('the gate Durable Object behind simulated locations', () => {
  afterEach(() => {
    gateEnvironment.fetch = (input, init) => fetch(input, init)
    gateEnvironment.now = () => Date.now()
  })

  /** N locations, each with its own isolate state (memory tier, coalescing) and its own Cache API. */
  async function locations(n: number) {
    const upstream = fakeUpstream()
    gateEnvironment.fetch = upstream.fetch
    // the gate's buckets run on this clock, not the runtime's: real time passing must not refill them
    const clock = { now: Date.now() }
    gateEnvironment.now = () => clock.now
    const workerEnv = { ...(await makeEnv({ PROXY_TOKENS: JSON.stringify({ browser: { sha256: await sha256Hex(TOKEN) }, victim: { sha256: await sha256Hex(VICTIM_TOKEN) } }) })), GATE: env.GATE }
    const logs: string[] = []
    const sites = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const cache = await caches.open(`location-${workerEnv.AWS_ACCESS_KEY_ID}-${i}`)
        const app = createApp({ fetch: () => Promise.reject(new Error('a location with a gate never calls upstream itself')), edge: new EdgeCache(() => cache) })
        return (req: Request) => dispatch(app, workerEnv, req, logs)
      }),
    )
    return { upstream, sites, logs, workerEnv, clock }
  }

  it('coalesces identical misses from every location into one upstream call, then answers from gate storage', async () => {
    const { upstream, sites } = await locations(6)
    upstream.delayMs = 50
    const answers = await Promise.all(sites.flatMap((send) => Array.from({ length: 4 }, () => send(bearer('/iam/GetRole?RoleName=global')))))
    expect(answers.map((r) => r.status)).toEqual(Array(24).fill(200))
    expect(upstream.count('GetRole')).toBe(1)
    upstream.delayMs = 0
    const first = await sites[0]?.(bearer('/iam/GetUser?UserName=u1'))
    const elsewhere = await sites[3]?.(bearer('/iam/GetUser?UserName=u1'))
    expect([first?.headers.get('x-cache-tier'), elsewhere?.headers.get('x-cache-tier'), elsewhere?.headers.get('x-cache')]).toEqual(['upstream', 'gate', 'HIT'])
    expect(upstream.count('GetUser')).toBe(1)
    const again = await sites[3]?.(bearer('/iam/GetUser?UserName=u1'))
    expect(again?.headers.get('x-cache-tier')).toBe('memory')
  })

  it('answers a spent budget with Throttling and Retry-After: IAM’s envelope on the Query API, 429 JSON on the facade', async () => {
    const { upstream, sites } = await locations(2)
    // the gate object's defaults: 10/s, burst 20, a caller's share half of it
    const facade = await Promise.all(Array.from({ length: 14 }, (_, i) => sites[i % 2]?.(bearer(`/iam/GetRole?RoleName=r${i}`)) as Promise<Response>))
    const refused = facade.filter((r) => r.status === 429)
    expect([facade.length - refused.length, refused.length]).toEqual([10, 4])
    expect(refused.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true)
    expect(((await refused[0]?.json()) as { error: { code: string } }).error.code).toBe('Throttling')
    // a SigV4 caller has its own share: it spends the other half of the shared bucket, then is refused too
    const signed = []
    for (let i = 0; i < 11; i++) signed.push(await sites[0]?.(await signedPost(`Action=GetRole&Version=2010-05-08&RoleName=s${i}`)))
    expect(signed.slice(0, 10).map((r) => r?.status)).toEqual(Array(10).fill(200))
    const query = signed[10]
    expect([query?.status, codeOf((await query?.text()) ?? ''), Number(query?.headers.get('retry-after')) >= 1]).toEqual([400, 'Throttling', true])
    expect(upstream.count('GetRole')).toBe(20)
    // the proxy's own account lookup for sts GetCallerIdentity is refused the same way
    const sts = await sites[1]?.(await signedPost('Action=GetCallerIdentity&Version=2011-06-15', { service: 'sts' }))
    expect([sts?.status, codeOf((await sts?.text()) ?? ''), Number(sts?.headers.get('retry-after')) >= 1]).toEqual([400, 'Throttling', true])
    // the answered keys are still answered
    const answeredKey = facade.findIndex((r) => r.status === 200)
    const known = await sites[(answeredKey + 1) % 2]?.(bearer(`/iam/GetRole?RoleName=r${answeredKey}`))
    expect(known?.status).toBe(200)
  })

  it('never hands one caller another’s refusal: a spent caller’s load in flight does not deny a caller with tokens', async () => {
    const { upstream, sites } = await locations(1)
    const send = sites[0] as (req: Request) => Promise<Response>
    const as = (token: string, path: string) => new Request(`http://127.0.0.1:8787${path}`, { headers: { authorization: `Bearer ${token}` } })
    // the attacker spends its whole share (10 of the bucket's 20) on keys of its own
    const spent = await Promise.all(Array.from({ length: 12 }, (_, i) => send(as(TOKEN, `/iam/GetRole?RoleName=flood${i}`))))
    expect(spent.filter((r) => r.status === 429).length).toBe(2)
    const victim: number[] = []
    for (let round = 0; round < 5; round++) {
      // the attacker asks first, so the victim's identical request joins the attacker's load
      const [attacker, mine] = await Promise.all([send(as(TOKEN, `/iam/GetRole?RoleName=hot${round}`)), send(as(VICTIM_TOKEN, `/iam/GetRole?RoleName=hot${round}`))])
      expect(attacker.status).toBe(429)
      victim.push(mine.status)
    }
    expect(victim).toEqual([200, 200, 200, 200, 200])
    expect(upstream.count('GetRole')).toBe(15)
  })

  it('shares an upstream failure with retries from every location: one upstream call, the retries JOINED', async () => {
    const { upstream, sites } = await locations(3)
    upstream.fault = '500'
    const first = await sites[0]?.(bearer('/iam/GetRole?RoleName=down'))
    expect([first?.status, first?.headers.get('x-cache'), first?.headers.get('retry-after')]).toEqual([500, 'MISS', '1'])
    for (const send of sites.slice(1)) {
      const retry = await send(bearer('/iam/GetRole?RoleName=down'))
      expect([retry.status, retry.headers.get('x-cache'), ((await retry.json()) as { error: { code: string } }).error.code]).toEqual([500, 'JOINED', 'ServiceFailure'])
    }
    expect(upstream.count('GetRole')).toBe(1)
  })

  it('labels a burst from every location by what happened: one MISS, the others JOINED', async () => {
    const { upstream, sites } = await locations(4)
    upstream.delayMs = 50
    const answers = await Promise.all(sites.flatMap((send) => Array.from({ length: 5 }, () => send(bearer('/iam/GetRole?RoleName=burst')))))
    const labels = answers.map((r) => r.headers.get('x-cache'))
    expect([labels.filter((l) => l === 'MISS').length, labels.filter((l) => l === 'JOINED').length]).toEqual([1, 19])
    expect(upstream.count('GetRole')).toBe(1)
  })

  it('does not remember a caller’s refusal as a failure: the next caller gets its own upstream call', async () => {
    const { upstream, sites } = await locations(1)
    const send = sites[0] as (req: Request) => Promise<Response>
    const as = (token: string, path: string) => new Request(`http://127.0.0.1:8787${path}`, { headers: { authorization: `Bearer ${token}` } })
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(as(TOKEN, `/iam/GetRole?RoleName=spend${i}`))))
    const refused = await send(as(TOKEN, '/iam/GetRole?RoleName=after'))
    expect(refused.status).toBe(429)
    const victim = await send(as(VICTIM_TOKEN, '/iam/GetRole?RoleName=after'))
    expect([victim.status, victim.headers.get('x-cache')]).toEqual([200, 'MISS'])
    expect(upstream.count('GetRole')).toBe(11)
  })

  it('stores nothing for parameters over the limit, at the edge or in the gate', async () => {
    const { upstream, sites, workerEnv } = await locations(1)
    const send = sites[0] as (req: Request) => Promise<Response>
    for (let i = 0; i < 8; i++) {
      // 85,000 three-byte characters, raw UTF-8 in the form: 255 KB of parameters
      const res = await send(await signedPost(`Action=GetContextKeysForCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=${i}${'€'.repeat(85_000)}`))
      expect([res.status, res.headers.get('x-cache')]).toEqual([200, 'MISS'])
    }
    expect(upstream.count('GetContextKeysForCustomPolicy')).toBe(8)
    const stub = env.GATE.get(env.GATE.idFromName(await fingerprint(workerEnv.AWS_ACCESS_KEY_ID as string)))
    const held = await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM entries').one().n)
    expect(held).toBe(0)
  })

  it('keeps its stored answers when the object is evicted', async () => {
    const { upstream, sites, workerEnv } = await locations(2)
    expect((await sites[0]?.(bearer('/iam/GetRole?RoleName=evicted')))?.status).toBe(200)
    const stub = env.GATE.get(env.GATE.idFromName(await fingerprint(workerEnv.AWS_ACCESS_KEY_ID as string)))
    // abort() ends the object's instance (it throws inside the object by design)
    await runInDurableObject(stub, (_instance, state) => state.abort('eviction under test')).catch(() => undefined)
    const after = await sites[1]?.(bearer('/iam/GetRole?RoleName=evicted'))
    expect([after?.status, after?.headers.get('x-cache-tier')]).toEqual([200, 'gate'])
    expect(upstream.count('GetRole')).toBe(1)
  })

  it('refreshes an answer that several locations read from its alarm, before it expires', async () => {
    const { upstream, sites, workerEnv, clock } = await locations(4)
    // the gate's clock runs an hour ahead of the runtime's, so its alarm runs only when the test says
    clock.now += 3_600_000
    const tiers = []
    for (const send of sites.slice(0, 3)) tiers.push((await send(bearer('/iam/GetRole?RoleName=popular'))).headers.get('x-cache-tier'))
    expect(tiers).toEqual(['upstream', 'gate', 'gate'])
    const stub = env.GATE.get(env.GATE.idFromName(await fingerprint(workerEnv.AWS_ACCESS_KEY_ID as string)))
    clock.now += 45_000
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(upstream.count('GetRole')).toBe(2)
    clock.now += 30_000
    // 75 s after the first answer (TTL 60 s): a location new to the key gets the refreshed copy, 30 s old
    const later = await sites[3]?.(bearer('/iam/GetRole?RoleName=popular'))
    expect([later?.status, later?.headers.get('x-cache-tier'), later?.headers.get('age')]).toEqual([200, 'gate', '30'])
    expect(upstream.count('GetRole')).toBe(2)
  })
})
