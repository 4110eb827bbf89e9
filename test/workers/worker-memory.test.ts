// L1: the isolate's bounded memory tier in front of the Cache API.
import { describe, expect, it } from 'vitest'
import { MAX_WINDOW_MS } from '../../worker/failures.js'
import { createApp } from '../../worker/app.js'
import { cacheKey, EdgeCache, MemoryTier } from '../../worker/cache.js'
import { bearer, dispatch, fakeUpstream, harness, makeEnv, signedPost, upstreamOf } from './worker-support.js'

const answer = (body: string) => ({ status: 200, body, requestId: undefined })

describe('the memory tier', () => {
  it('answers a hot key from memory even when the Cache API has lost it', async () => {
    const h = await harness({ CACHE_TTL_SECONDS: '60' })
    expect((await h.send(bearer('/iam/GetRole?RoleName=hot'))).headers.get('x-cache')).toBe('MISS')
    await caches.default.delete(new Request(await cacheKey('iam', 'GetRole', [['RoleName', 'hot']], upstreamOf(h.env))))
    const again = await h.send(bearer('/iam/GetRole?RoleName=hot'))
    expect([again.status, again.headers.get('x-cache')]).toEqual([200, 'HIT'])
    expect(h.upstream.count('GetRole')).toBe(1)
  })

  it('keeps the TTL, lets Cache-Control: no-cache through, and stands in when upstream fails', async () => {
    const h = await harness({ CACHE_TTL_SECONDS: '30', STALE_IF_ERROR_SECONDS: '300' })
    const key = await cacheKey('iam', 'GetRole', [['RoleName', 'ttl']], upstreamOf(h.env))
    await h.send(bearer('/iam/GetRole?RoleName=ttl'))
    expect((await h.send(bearer('/iam/GetRole?RoleName=ttl', { 'cache-control': 'no-cache' }))).headers.get('x-cache')).toBe('BYPASS')
    expect(h.upstream.count('GetRole')).toBe(2)
    h.clock.now += 31_000
    await caches.default.delete(new Request(key))
    h.upstream.fault = '500'
    const stale = await h.send(bearer('/iam/GetRole?RoleName=ttl'))
    expect([stale.status, stale.headers.get('x-cache')]).toEqual([200, 'STALE'])
    h.upstream.fault = 'ok'
    // a retry right after shares the failure: the stale copy again, no upstream call
    expect((await h.send(bearer('/iam/GetRole?RoleName=ttl'))).headers.get('x-cache')).toBe('STALE')
    expect(h.upstream.count('GetRole')).toBe(3)
    h.clock.now += MAX_WINDOW_MS
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
    // each entry: a 2-character key, a 100-character body and the fixed overhead
    const memoryTier = Object.assign(new MemoryTier(), { maxEntries: 5, maxBytes: 2000, maxEntryBytes: 800 })
    for (let i = 0; i < 5; i++) memoryTier.put(`k${i}`, answer('x'.repeat(100)), 0, 60, 0)
    expect(memoryTier.get('k0', 1000)).toBeDefined()
    for (let i = 5; i < 10; i++) memoryTier.put(`k${i}`, answer('x'.repeat(100)), 0, 60, 0)
    expect(memoryTier.entries.size).toBe(5)
    expect(memoryTier.get('k0', 1000)).toBeUndefined()
    memoryTier.put('big', answer('y'.repeat(590)), 0, 60, 0)
    memoryTier.put('big2', answer('y'.repeat(590)), 0, 60, 0)
    expect(memoryTier.bytes).toBeLessThanOrEqual(2000)
    expect(memoryTier.bytes).toBe([...memoryTier.entries.values()].reduce((n, e) => n + e.bytes, 0))
    memoryTier.put('huge', answer('z'.repeat(700)), 0, 60, 0)
    expect(memoryTier.get('huge', 0)).toBeUndefined()
    expect(memoryTier.get('big2', 61_000)).toBeUndefined()
    memoryTier.clear()
    expect([memoryTier.entries.size, memoryTier.bytes]).toEqual([0, 0])
  })

  it('counts the key and two bytes a character for text beyond Latin-1, as the isolate holds them', () => {
    const memoryTier = Object.assign(new MemoryTier(), { maxEntries: 100, maxBytes: 10_000 })
    memoryTier.put('k'.repeat(1000), answer('€'.repeat(1000)), 0, 60, 0)
    expect(memoryTier.bytes).toBeGreaterThanOrEqual(1000 + 2000)
    memoryTier.put('k2', answer('€'.repeat(4000)), 0, 60, 0)
    // 8,000 bytes of body: the first entry goes to keep within 10,000
    expect([memoryTier.entries.size, memoryTier.bytes <= 10_000]).toEqual([1, true])
  })

  it('stays within its bounds after hundreds of huge-parameter requests: the keys are digests, the answers not stored', async () => {
    const h = await harness()
    const edge = new EdgeCache()
    const app = createApp({ fetch: h.upstream.fetch, now: () => h.clock.now, edge })
    const logs: string[] = []
    // 85,000 three-byte characters as raw UTF-8 in a form body: 255 KB, under the body cap
    const huge = (i: number) => `Action=GetContextKeysForCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=${i}${'€'.repeat(85_000)}`
    for (let i = 0; i < 40; i++) {
      const res = await dispatch(app, h.env, await signedPost(huge(i)), logs)
      expect(res.status).toBe(200)
    }
    // parameters just under the limit are cached, each counted with its (fixed-size) key
    for (let i = 0; i < 300; i++) {
      const res = await dispatch(app, h.env, await signedPost(`Action=GetContextKeysForCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=${i}${'x'.repeat(15_000)}`), logs)
      expect(res.status).toBe(200)
    }
    const tier = edge.memory
    const held = [...tier.entries].reduce((n, [key, e]) => n + key.length + e.answer.body.length, 0)
    expect(tier.entries.size).toBe(300)
    expect(held).toBeLessThanOrEqual(tier.bytes)
    expect(tier.bytes).toBeLessThanOrEqual(tier.maxBytes)
    expect([...tier.entries.keys()].every((k) => k.length <= 128)).toBe(true)
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
    const mac = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const policy = { mac, ttlSeconds: 60, staleIfErrorSeconds: 0, negativeTtlSeconds: 0, bypass: false, now: () => Date.now(), waitUntil: () => undefined, joinTimeoutMs: 30 }
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
