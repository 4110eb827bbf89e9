import { describe, expect, it } from 'vitest'
import { cacheKey } from '../../worker/cache.js'
import { createApp } from '../../worker/app.js'
import { FIRST_WINDOW_MS, MAX_WINDOW_MS } from '../../worker/failures.js'
import { bearer, codeOf, dispatch, harness, signedGet, signedPost, upstreamOf } from './worker-support.js'

const ONE = { accessKeyId: 'AKIAONE', secretAccessKey: 'secret-one-0123456789' }
const TWO = { accessKeyId: 'AKIATWO', secretAccessKey: 'secret-two-0123456789' }
const X = { accessKeyId: 'AKIAX', secretAccessKey: 'secret-x-0123456789' }

describe('cacheKey', () => {
  it('ignores parameter order and names service, action and account', async () => {
    const a = await cacheKey('iam', 'ListUsers', [['PathPrefix', '/'], ['MaxItems', '10']], ONE)
    const b = await cacheKey('iam', 'ListUsers', [['MaxItems', '10'], ['PathPrefix', '/']], ONE)
    expect(a).toBe(b)
    expect(await cacheKey('iam', 'ListUsers', [['MaxItems', '10'], ['PathPrefix', '/']], TWO)).not.toBe(a)
    expect(await cacheKey('iam', 'ListRoles', [['MaxItems', '10'], ['PathPrefix', '/']], ONE)).not.toBe(a)
    expect(await cacheKey('iam', 'ListUsers', [['MaxItems', '11'], ['PathPrefix', '/']], ONE)).not.toBe(a)
    expect(a).not.toContain('AKIAONE')
  })

  it('keeps values apart that would run together', async () => {
    expect(await cacheKey('iam', 'GetRole', [['RoleName', 'a&b=c']], X)).not.toBe(await cacheKey('iam', 'GetRole', [['RoleName', 'a'], ['b', 'c']], X))
  })

  it('is a fixed-size HMAC that only the holder of the upstream secret can compute', async () => {
    const huge = await cacheKey('iam', 'GetContextKeysForCustomPolicy', [['PolicyInputList.member.1', '€'.repeat(85_000)]], ONE)
    const small = await cacheKey('iam', 'GetRole', [['RoleName', 'r']], ONE)
    expect(huge.length).toBe(small.length)
    expect(small.length).toBeLessThanOrEqual(128)
    // same identity, same call, another secret: another key (a Worker on the same zone cannot guess it)
    const guessed = await cacheKey('iam', 'GetRole', [['RoleName', 'r']], { accessKeyId: 'AKIAONE', secretAccessKey: 'not-the-secret-0123456789' })
    expect(guessed).not.toBe(small)
    expect(small).not.toContain('RoleName')
  })
})

describe('Cache API entries on a shared zone', () => {
  it('serves only entries this Worker sealed: one planted under its key, or with its seal copied onto another body, is a miss', async () => {
    const h = await harness()
    expect((await h.send(bearer('/iam/GetRole?RoleName=planted'))).headers.get('x-cache')).toBe('MISS')
    const key = new Request(await cacheKey('iam', 'GetRole', [['RoleName', 'planted']], upstreamOf(h.env)))
    const real = (await caches.default.match(key)) as Response
    expect(real.headers.get('x-iam-edge-seal')).toMatch(/^[0-9a-f]{64}$/)
    // another Worker that learned the key writes its own answer there, keeping every header
    const forged = '<GetRoleResponse><GetRoleResult><Role><RoleName>attacker-chosen</RoleName></Role></GetRoleResult></GetRoleResponse>'
    await caches.default.put(key, new Response(forged, { headers: real.headers }))
    // a new isolate: its memory tier is empty, so the Cache API is asked
    const fresh = createApp({ fetch: h.upstream.fetch, now: () => h.clock.now })
    const res = await dispatch(fresh, h.env, bearer('/iam/GetRole?RoleName=planted'), [])
    expect([res.headers.get('x-cache'), JSON.stringify(await res.json()).includes('attacker-chosen')]).toEqual(['MISS', false])
    expect(h.upstream.count('GetRole')).toBe(2)
  })
})

describe('the cache', () => {
  it('answers a repeat from cache, across parameter order, GET/POST and the JSON facade', async () => {
    const h = await harness()
    const first = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08&PathPrefix=%2F&MaxItems=5'))
    expect(first.headers.get('x-cache')).toBe('MISS')
    const body = await first.text()
    const again = await h.send(await signedPost('MaxItems=5&Action=ListUsers&PathPrefix=%2F&Version=2010-05-08'))
    // the same answer, under this request's own id (in the body as in the header)
    const requestId = (text: string) => /<RequestId>([^<]*)<\/RequestId>/.exec(text)?.[1]
    const againBody = await again.text()
    expect([again.headers.get('x-cache'), againBody.replace(/<RequestId>[^<]*</, '<RequestId><')]).toEqual(['HIT', body.replace(/<RequestId>[^<]*</, '<RequestId><')])
    expect([requestId(body), requestId(againBody)]).toEqual([first.headers.get('x-amzn-requestid'), again.headers.get('x-amzn-requestid')])
    expect(requestId(againBody)).not.toBe(requestId(body))
    const get = await h.send(await signedGet('Action=ListUsers&Version=2010-05-08&MaxItems=5&PathPrefix=%2F'))
    expect(get.headers.get('x-cache')).toBe('HIT')
    const json = await h.send(bearer('/iam/ListUsers?PathPrefix=%2F&MaxItems=5'))
    expect(json.headers.get('x-cache')).toBe('HIT')
    expect(h.upstream.count('ListUsers')).toBe(1)
  })

  it('says how old a hit is, and misses again after the TTL', async () => {
    const h = await harness({ CACHE_TTL_SECONDS: '30' })
    await h.send(bearer('/iam/GetRole?RoleName=a'))
    h.clock.now += 12_000
    const hit = await h.send(bearer('/iam/GetRole?RoleName=a'))
    expect([hit.headers.get('x-cache'), hit.headers.get('age')]).toEqual(['HIT', '12'])
    h.clock.now += 20_000
    const miss = await h.send(bearer('/iam/GetRole?RoleName=a'))
    expect(miss.headers.get('x-cache')).toBe('MISS')
    expect(h.upstream.count('GetRole')).toBe(2)
  })

  it('takes per-action TTLs from CACHE_TTL_OVERRIDES (0: never cached)', async () => {
    const h = await harness({ CACHE_TTL_OVERRIDES: JSON.stringify({ GetRole: 0 }) })
    await h.send(bearer('/iam/GetRole?RoleName=a'))
    const again = await h.send(bearer('/iam/GetRole?RoleName=a'))
    expect(again.headers.get('x-cache')).toBe('MISS')
    expect(h.upstream.count('GetRole')).toBe(2)
  })

  it('bypasses on Cache-Control: no-cache and refreshes the entry', async () => {
    const h = await harness()
    await h.send(bearer('/iam/ListUsers'))
    const bypass = await h.send(bearer('/iam/ListUsers', { 'cache-control': 'no-cache' }))
    expect(bypass.headers.get('x-cache')).toBe('BYPASS')
    expect(h.upstream.count('ListUsers')).toBe(2)
    expect((await h.send(bearer('/iam/ListUsers'))).headers.get('x-cache')).toBe('HIT')
  })

  it('shares one upstream call among identical concurrent misses', async () => {
    const h = await harness()
    h.upstream.delayMs = 50
    const answers = await Promise.all(Array.from({ length: 25 }, () => h.send(bearer('/iam/GetRole?RoleName=busy'))))
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(h.upstream.count('GetRole')).toBe(1)
  })

  it('never caches an error, but keeps NoSuchEntity for the short negative TTL', async () => {
    const h = await harness({ NEGATIVE_CACHE_SECONDS: '10' })
    h.upstream.fault = '500'
    expect((await h.send(bearer('/iam/GetRole?RoleName=x'))).status).toBe(500)
    h.upstream.fault = 'ok'
    // its retries share the failure for a moment (see the retry-storm tests), then upstream is asked again
    h.clock.now += FIRST_WINDOW_MS
    expect((await h.send(bearer('/iam/GetRole?RoleName=x'))).status).toBe(200)
    expect(h.upstream.count('GetRole')).toBe(2)

    h.upstream.fault = 'nosuchentity'
    const missing = await h.send(bearer('/iam/GetUser?UserName=ghost'))
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'NoSuchEntity' } })
    const again = await h.send(bearer('/iam/GetUser?UserName=ghost'))
    expect([again.status, again.headers.get('x-cache')]).toEqual([404, 'HIT'])
    h.clock.now += 11_000
    h.upstream.fault = 'ok'
    expect((await h.send(bearer('/iam/GetUser?UserName=ghost'))).status).toBe(200)
  })

  it.each(['500', 'throttle', 'timeout', 'slowbody', 'reset', 'garbage'] as const)('serves stale within STALE_IF_ERROR_SECONDS when upstream fails (%s)', async (fault) => {
    const h = await harness({ CACHE_TTL_SECONDS: '60', STALE_IF_ERROR_SECONDS: '300', UPSTREAM_TIMEOUT_MS: '200' })
    const fresh = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=app'))
    const body = await fresh.text()
    h.clock.now += 120_000
    h.upstream.fault = fault
    const stale = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=app'))
    expect([stale.status, stale.headers.get('x-cache'), stale.headers.get('age')]).toEqual([200, 'STALE', '120'])
    expect(await stale.text()).toBe(body)
    h.clock.now += 300_000
    const gone = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=app'))
    expect(gone.status).toBeGreaterThanOrEqual(400)
    const goneText = await gone.text()
    if (fault === 'throttle') expect(codeOf(goneText)).toBe('Throttling')
    h.upstream.fault = 'ok'
    // an immediate retry shares the failure, with the same code, without calling upstream
    const calls = h.upstream.count('GetRole')
    const retry = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=app'))
    expect([retry.status, retry.headers.get('x-cache'), retry.headers.get('retry-after'), codeOf(await retry.text())]).toEqual([gone.status, 'JOINED', '1', codeOf(goneText)])
    expect(h.upstream.count('GetRole')).toBe(calls)
    h.clock.now += MAX_WINDOW_MS
    const recovered = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=app'))
    expect([recovered.status, recovered.headers.get('x-cache')]).toEqual([200, 'MISS'])
  })

  it('answers within its timeout when upstream hangs, with IAM’s envelope', async () => {
    const h = await harness({ UPSTREAM_TIMEOUT_MS: '100' })
    h.upstream.fault = 'timeout'
    const res = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=slow'))
    expect([res.status, codeOf(await res.text())]).toEqual([504, 'RequestTimeout'])
  })

  it('answers 502 in JSON when upstream sends XML it cannot read, and caches nothing', async () => {
    const h = await harness()
    h.upstream.fault = 'garbage'
    const res = await h.send(bearer('/iam/ListUsers'))
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: { code: 'UpstreamUnreadable' } })
    h.upstream.fault = 'ok'
    h.clock.now += FIRST_WINDOW_MS
    const next = await h.send(bearer('/iam/ListUsers'))
    expect([next.status, next.headers.get('x-cache')]).toEqual([200, 'MISS'])
  })

  // the Query API hands answers on unparsed: a cut answer or a portal's page must not be stored
  // and served to every caller for the TTL
  it.each([
    ['a cut answer', '<ListUsersResponse><ListUsersResult><Users><member>'],
    ['an HTML page', '<!doctype html><html><body>Sign in to the network</body></html>'],
    ['another action’s answer', '<GetUserResponse><GetUserResult></GetUserResult></GetUserResponse>'],
    ['an empty body', ''],
  ])('answers an upstream HTTP 200 carrying %s on the Query API with IAM’s UpstreamUnreadable envelope, and stores nothing', async (_what, body) => {
    const h = await harness()
    h.upstream.fault = 'ok'
    h.upstream.override = () => new Response(body, { status: 200 })
    const res = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08'))
    const text = await res.text()
    expect([res.status, codeOf(text)]).toEqual([502, 'UpstreamUnreadable'])
    expect(text).not.toContain('Sign in')
    h.upstream.override = undefined
    h.clock.now += FIRST_WINDOW_MS
    const next = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08'))
    expect([next.status, next.headers.get('x-cache')]).toEqual([200, 'MISS'])
    expect(await next.text()).toContain('</ListUsersResponse>')
  })
})

describe('the JSON facade', () => {
  it('follows every page with ?all=1', async () => {
    const h = await harness()
    const res = await h.send(bearer('/iam/ListUsers?all=1'))
    const json = (await res.json()) as { Users: unknown[]; IsTruncated: boolean; Marker?: string }
    expect(json.Users).toHaveLength(6)
    expect(json.IsTruncated).toBe(false)
    expect(json.Marker).toBeUndefined()
    expect(h.upstream.count('ListUsers')).toBe(3)
  })

  it('URL-decodes policy documents', async () => {
    const h = await harness()
    const json = (await (await h.send(bearer('/iam/GetRole?RoleName=r'))).json()) as { Role: { AssumeRolePolicyDocument: string } }
    expect(json.Role.AssumeRolePolicyDocument).toBe('{}')
  })
})
