// L1: the isolate's bounded memory tier in front of the Cache API.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../worker/app.js'
import { cacheKey, EdgeCache, MemoryTier } from '../../worker/cache.js'
import { bearer, dispatch, fakeUpstream, harness, makeEnv } from './worker-support.js'

const answer = (body: string) => ({ status: 200, body, requestId: undefined })

describe('the memory tier', () => {
  it('answers a hot key from memory even when the Cache API has lost it', async () => {
    const h = await harness({ CACHE_TTL_SECONDS: '60' })
    expect((await h.send(bearer('/iam/GetRole?RoleName=hot'))).headers.get('x-cache')).toBe('MISS')
    await caches.default.delete(new Request(await cacheKey('iam', 'GetRole', [['RoleName', 'hot']], h.env.AWS_ACCESS_KEY_ID as string)))
    const again = await h.send(bearer('/iam/GetRole?RoleName=hot'))
    expect([again.status, again.headers.get('x-cache')]).toEqual([200, 'HIT'])
    expect(h.upstream.count('GetRole')).toBe(1)
  })

  it('keeps the TTL, lets Cache-Control: no-cache through, and stands in when upstream fails', async () => {
    const h = await harness({ CACHE_TTL_SECONDS: '30', STALE_IF_ERROR_SECONDS: '300' })
    const key = await cacheKey('iam', 'GetRole', [['RoleName', 'ttl']], h.env.AWS_ACCESS_KEY_ID as string)
    await h.send(bearer('/iam/GetRole?RoleName=ttl'))
    expect((await h.send(bearer('/iam/GetRole?RoleName=ttl', { 'cache-control': 'no-cache' }))).headers.get('x-cache')).toBe('BYPASS')
    expect(h.upstream.count('GetRole')).toBe(2)
    h.clock.now += 31_000
    await caches.default.delete(new Request(key))
    h.upstream.fault = '500'
    const stale = await h.send(bearer('/iam/GetRole?RoleName=ttl'))
    expect([stale.status, stale.headers.get('x-cache')]).toEqual([200, 'STALE'])
    h.upstream.fault = 'ok'
    expect((await h.send(bearer('/iam/GetRole?RoleName=ttl'))).headers.get('x-cache')).toBe('MISS')
  })

  it('shares parsed outputs between hits without one request changing another’s answer', async () => {
    const h = await harness()
    const page = async () => (await h.send(bearer('/iam/ListUsers'))).json()
    const first = await page()
    const all = (await (await h.send(bearer('/iam/ListUsers?all=1'))).json()) as { Users: unknown[]; IsTruncated: boolean }
    expect([all.Users.length, all.IsTruncated]).toEqual([6, false])
    expect(await (await h.send(bearer('/iam/ListUsers?all=1'))).json()).toEqual(all)
    expect(await page()).toEqual(first)
    expect(first).toMatchObject({ IsTruncated: true, Marker: 'm1' })
    expect(h.upstream.count('ListUsers')).toBe(3)
  })

  it('holds at most maxEntries and maxBytes, dropping the least recently used first', () => {
    const memoryTier = Object.assign(new MemoryTier(), { maxEntries: 5, maxBytes: 1000, maxEntryBytes: 400 })
    for (let i = 0; i < 5; i++) memoryTier.put(`k${i}`, answer('x'.repeat(100)), 0, 60, 0)
    expect(memoryTier.get('k0', 1000)).toBeDefined()
    for (let i = 5; i < 10; i++) memoryTier.put(`k${i}`, answer('x'.repeat(100)), 0, 60, 0)
    expect(memoryTier.entries.size).toBe(5)
    expect(memoryTier.get('k0', 1000)).toBeUndefined()
    memoryTier.put('big', answer('y'.repeat(390)), 0, 60, 0)
    memoryTier.put('big2', answer('y'.repeat(390)), 0, 60, 0)
    expect(memoryTier.bytes).toBeLessThanOrEqual(1000)
    expect(memoryTier.bytes).toBe([...memoryTier.entries.values()].reduce((n, e) => n + e.bytes, 0))
    memoryTier.put('huge', answer('z'.repeat(500)), 0, 60, 0)
    expect(memoryTier.get('huge', 0)).toBeUndefined()
    expect(memoryTier.get('big2', 61_000)).toBeUndefined()
    memoryTier.clear()
    expect([memoryTier.entries.size, memoryTier.bytes]).toEqual([0, 0])
  })
})

describe('a Cache API that fails', () => {
  it('counts as a miss: the answer comes from memory or upstream, never a 500', async () => {
    const broken = {
      match: () => Promise.reject(new Error('Network connection lost.')),
      put: () => Promise.reject(new Error('Network connection lost.')),
    } as unknown as Cache
    const env = await makeEnv()
    const upstream = fakeUpstream()
    const app = createApp({ fetch: upstream.fetch, edge: new EdgeCache(() => broken) })
    const logs: string[] = []
    const first = await dispatch(app, env, bearer('/iam/GetRole?RoleName=broken-cache'), logs)
    const second = await dispatch(app, env, bearer('/iam/GetRole?RoleName=broken-cache'), logs)
    expect([first.status, first.headers.get('x-cache-tier'), second.status, second.headers.get('x-cache-tier')]).toEqual([200, 'upstream', 200, 'memory'])
    expect(upstream.count('GetRole')).toBe(1)
  })
})

describe('joining another request’s load', () => {
  it('waits at most the join timeout, then loads on its own', async () => {
    const edge = new EdgeCache()
    const policy = { ttlSeconds: 60, staleIfErrorSeconds: 0, negativeTtlSeconds: 0, bypass: false, now: () => Date.now(), waitUntil: () => undefined, joinTimeoutMs: 30 }
    const key = `https://cache.iam-edge.invalid/test/join-${Date.now()}`
    let loads = 0
    // the first load never settles: its request was cancelled, say
    void edge.call(key, policy, () => {
      loads++
      return new Promise(() => undefined)
    })
    const second = await edge.call(key, policy, async () => {
      loads++
      return { answer: { status: 200, body: '<ok/>', requestId: undefined }, age: 0, tier: 'upstream' }
    })
    expect([second.status, second.answer.body, loads]).toEqual(['MISS', '<ok/>', 2])
  })
})
