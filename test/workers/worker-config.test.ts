import { describe, expect, it } from 'vitest'
import { bearer, codeOf, harness, signedPost, UPSTREAM_SECRET } from './worker-support.js'

describe('configuration', () => {
  it('tells an unauthenticated caller which setting is wrong, not its value: no account id, key ids or token names', async () => {
    const h = await harness({
      AWS_ROLE_ARN: 'arn:aws:iam::210987654321:user/not-a-role',
      PROXY_KEYS: JSON.stringify({ AKIAREALPROXYKEY0001: { name: 'ops-laptop', secretAccessKey: 's'.repeat(20), actions: ['CreateUser'] } }),
      PROXY_TOKENS: JSON.stringify({ 'grafana-prod': { sha256: 'nope' } }),
    })
    const text = await (await h.send(new Request('http://127.0.0.1:8787/?Action=ListUsers'))).text()
    const json = JSON.stringify(await (await h.send(new Request('http://127.0.0.1:8787/iam/ListUsers'))).json())
    for (const body of [text, json]) {
      expect(body).toContain('AWS_ROLE_ARN')
      for (const secret of ['210987654321', 'not-a-role', 'AKIAREALPROXYKEY0001', 'ops-laptop', 'grafana-prod']) expect(body).not.toContain(secret)
    }
    expect(h.logs.some((l) => l.includes('210987654321'))).toBe(true)
  })


  it.each([
    ['AWS_SECRET_ACCESS_KEY', { AWS_SECRET_ACCESS_KEY: '' }],
    ['AWS_ACCESS_KEY_ID', { AWS_ACCESS_KEY_ID: undefined }],
    ['PROXY_KEYS', { PROXY_KEYS: '{not json', PROXY_TOKENS: undefined }],
    ['PROXY_KEYS', { PROXY_KEYS: undefined, PROXY_TOKENS: undefined }],
    ['PROXY_TOKENS', { PROXY_TOKENS: JSON.stringify({ t: { sha256: 'short' } }) }],
    ['CACHE_TTL_OVERRIDES', { CACHE_TTL_OVERRIDES: JSON.stringify({ ListEverything: 5 }) }],
    ['CACHE_TTL_SECONDS', { CACHE_TTL_SECONDS: '-1' }],
    ['IAM_ENDPOINT', { IAM_ENDPOINT: 'not a url' }],
    ['AWS_ROLE_ARN', { AWS_ROLE_ARN: 'role/admin' }],
    ['PROXY_KEYS', { PROXY_KEYS: JSON.stringify({ APXYWRITER0000000001: { secretAccessKey: 'w'.repeat(20), actions: ['CreateUser'] } }) }],
    ['UPSTREAM_RATE_PER_SECOND', { UPSTREAM_RATE_PER_SECOND: '0' }],
    ['UPSTREAM_BURST', { UPSTREAM_BURST: '2.5' }],
    ['UPSTREAM_ACTION_RATES', { UPSTREAM_ACTION_RATES: JSON.stringify({ GetRole: -1 }) }],
    ['UPSTREAM_ACTION_RATES', { UPSTREAM_ACTION_RATES: JSON.stringify({ GetEverything: 5 }) }],
    ['UPSTREAM_CALLER_SHARE', { UPSTREAM_CALLER_SHARE: '1.5' }],
    ['GATE_MAX_ENTRIES', { GATE_MAX_ENTRIES: 'many' }],
  ])('a bad %s fails loudly with a 500 naming it, letting nothing through', async (setting, overrides) => {
    const h = await harness(overrides)
    const res = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08'))
    const text = await res.text()
    expect(res.status).toBe(500)
    expect(codeOf(text)).toBe('ServiceMisconfigured')
    expect(text).toContain(setting)
    expect(text).not.toContain(UPSTREAM_SECRET)
    // the setting's name, never its value: the problem is in the log line only
    expect(text).toContain(`misconfigured: ${setting};`)
    expect(JSON.parse(h.logs.at(-1) as string).cause).toContain(`ConfigError: ${setting}`)
    const json = await h.send(bearer('/iam/ListUsers'))
    expect(json.status).toBe(500)
    expect(h.upstream.count()).toBe(0)
  })
})
