// Callers signed in with Cloudflare Access, and proxy keys in their rotation window, in workerd.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey as JoseKey } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../worker/app.js'
import { CALLER, codeOf, dispatch, fakeUpstream, makeEnv, signedPost } from './worker-support.js'

const TEAM = 'https://acme.cloudflareaccess.com'
const AUD = 'a1b2c3d4e5f6aud'
const POLICIES = { '*@acme.com': { actions: ['ListRoles', 'GetRole'] }, 'ci-token-id.access': {} }

let signing: { privateKey: JoseKey; publicKey: JoseKey }
let otherTeam: { privateKey: JoseKey; publicKey: JoseKey }
let jwks: { keys: object[] }

beforeAll(async () => {
  signing = await generateKeyPair('RS256', { extractable: true })
  otherTeam = await generateKeyPair('RS256', { extractable: true })
  jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'team-key-1', alg: 'RS256', use: 'sig' }] }
})

async function token(claims: Record<string, unknown>, options: { kid?: string; key?: JoseKey; iss?: string; aud?: string; exp?: string | number; nbf?: string | number } = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'team-key-1' })
    .setIssuer(options.iss ?? TEAM)
    .setAudience(options.aud ?? AUD)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf)
  return jwt.sign(options.key ?? signing.privateKey)
}

type CertsMode = 'ok' | '500' | 'html' | 'reset'

async function stack(overrides: Record<string, string> = {}) {
  const env = await makeEnv({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_POLICIES: JSON.stringify(POLICIES), ...overrides })
  const upstream = fakeUpstream()
  let certFetches = 0
  const certs: { mode: CertsMode; delayMs: number } = { mode: 'ok', delayMs: 0 }
  const clock = { now: Date.now() }
  const app = createApp({
    now: () => clock.now,
    fetch: async (input, init) => {
      const url = new Request(input, init).url
      if (url === `${TEAM}/cdn-cgi/access/certs`) {
        certFetches++
        if (certs.delayMs > 0) await new Promise((r) => setTimeout(r, certs.delayMs))
        if (certs.mode === '500') return new Response('upstream error', { status: 500 })
        if (certs.mode === 'html') return new Response('<html>Sign in</html>', { status: 200, headers: { 'content-type': 'text/html' } })
        if (certs.mode === 'reset') throw new TypeError('Network connection lost.')
        return Response.json(jwks)
      }
      return upstream.fetch(input, init)
    },
  })
  const logs: string[] = []
  const send = (req: Request) => dispatch(app, env, req, logs)
  return { send, logs, upstream, clock, certs, certFetches: () => certFetches }
}

const viaAccess = (path: string, jwt: string, headers: Record<string, string> = {}) => new Request(`http://127.0.0.1:8787${path}`, { headers: { 'cf-access-jwt-assertion': jwt, ...headers } })
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

describe('Cloudflare Access callers', () => {
  it('lets a user in, scoped by ACCESS_POLICIES, and names them in the log', async () => {
    const s = await stack()
    const jwt = await token({ email: 'dana@acme.com' })
    expect((await s.send(viaAccess('/iam/ListRoles', jwt))).status).toBe(200)
    const denied = await s.send(viaAccess('/iam/ListUsers', jwt))
    expect([denied.status, await errorCode(denied)]).toEqual([403, 'AccessDenied'])
    expect(s.logs.some((l) => (JSON.parse(l) as { caller?: string }).caller === 'dana@acme.com')).toBe(true)
  })

  it('lets a service token in by its common_name', async () => {
    const s = await stack()
    expect((await s.send(viaAccess('/iam/ListUsers', await token({ common_name: 'ci-token-id.access' })))).status).toBe(200)
  })

  it('refuses an identity no policy names', async () => {
    const s = await stack()
    const res = await s.send(viaAccess('/iam/ListRoles', await token({ email: 'eve@evil.example' })))
    expect([res.status, await errorCode(res)]).toEqual([403, 'AccessDenied'])
  })

  it.each<[string, string, () => Promise<string>]>([
    ['expired', 'AccessTokenExpired', () => token({ email: 'dana@acme.com' }, { exp: Math.floor(Date.now() / 1000) - 120 })],
    ['not yet valid', 'AccessTokenNotYetValid', () => token({ email: 'dana@acme.com' }, { nbf: Math.floor(Date.now() / 1000) + 600 })],
    ['for another application', 'AccessTokenWrongAudience', () => token({ email: 'dana@acme.com' }, { aud: 'someone-elses-aud' })],
    ['from another issuer', 'AccessTokenWrongIssuer', () => token({ email: 'dana@acme.com' }, { iss: 'https://evil.cloudflareaccess.com' })],
    ['for another team (its own key)', 'AccessKeyUnknown', () => token({ email: 'dana@acme.com' }, { key: otherTeam.privateKey, kid: 'other-team-key' })],
    ['signed by another key under the team key id', 'AccessSignatureInvalid', () => token({ email: 'dana@acme.com' }, { key: otherTeam.privateKey })],
    [
      'with a tampered payload',
      'AccessSignatureInvalid',
      async () => {
        const [h, , sig] = (await token({ email: 'dana@acme.com' })).split('.')
        const forged = btoa(JSON.stringify({ email: 'dana@acme.com', iss: TEAM, aud: AUD, exp: 9_999_999_999, admin: true })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
        return `${h}.${forged}.${sig}`
      },
    ],
    [
      "with alg 'none'",
      'AccessTokenAlgorithm',
      async () => {
        const enc = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
        return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ email: 'dana@acme.com', iss: TEAM, aud: AUD, exp: 9_999_999_999 })}.`
      },
    ],
    [
      'HS256-signed with the public key',
      'AccessTokenAlgorithm',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]))
        return new SignJWT({ email: 'dana@acme.com' }).setProtectedHeader({ alg: 'HS256', kid: 'team-key-1' }).setIssuer(TEAM).setAudience(AUD).setExpirationTime('5m').sign(secret)
      },
    ],
    ['malformed', 'AccessTokenMalformed', async () => 'not.a.jwt-at-all'],
  ])('refuses a token %s with 403 %s', async (_, code, make) => {
    const s = await stack()
    const res = await s.send(viaAccess('/iam/ListRoles', await make()))
    expect([res.status, await errorCode(res)]).toEqual([403, code])
    expect(s.upstream.calls).toHaveLength(0)
  })

  it('fetches the team keys at most once a minute under a flood of unknown key ids', async () => {
    const s = await stack()
    await s.send(viaAccess('/iam/ListRoles', await token({ email: 'dana@acme.com' })))
    const before = s.certFetches()
    for (let i = 0; i < 30; i++) {
      const res = await s.send(viaAccess('/iam/ListRoles', await token({ email: 'dana@acme.com' }, { kid: `made-up-${i}` })))
      expect(res.status).toBe(403)
    }
    expect(s.certFetches() - before).toBeLessThanOrEqual(1)
  })

  it('shares one key-set fetch among 30 concurrent tokens with made-up key ids on a cold isolate', async () => {
    const s = await stack()
    s.certs.delayMs = 20
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => token({ email: 'dana@acme.com' }, { kid: `made-up-${i}` })))
    const answers = await Promise.all(tokens.map((t) => s.send(viaAccess('/iam/ListRoles', t))))
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(403))
    expect(await errorCode(answers[0] as Response)).toBe('AccessKeyUnknown')
    expect(s.certFetches()).toBe(1)
  })

  it('shares one key-set fetch among 20 concurrent valid requests on a cold isolate', async () => {
    const s = await stack()
    s.certs.delayMs = 20
    const jwt = await token({ email: 'dana@acme.com' })
    const answers = await Promise.all(Array.from({ length: 20 }, () => s.send(viaAccess('/iam/ListRoles', jwt))))
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(s.certFetches()).toBe(1)
  })

  it.each<CertsMode>(['500', 'html', 'reset'])('against a key endpoint that fails (%s): 503 AccessKeysUnavailable with the cause logged, at most one fetch per cooldown', async (mode) => {
    const s = await stack()
    s.certs.mode = mode
    for (let i = 0; i < 10; i++) {
      s.clock.now += 1_000
      const res = await s.send(viaAccess('/iam/ListRoles', await token({ email: 'dana@acme.com' }, { kid: `made-up-${i}` })))
      expect([res.status, await errorCode(res)]).toEqual([503, 'AccessKeysUnavailable'])
    }
    expect(s.certFetches()).toBe(1)
    const line = JSON.parse(s.logs.at(-1) as string) as { code?: string; cause?: string }
    expect(line.code).toBe('AccessKeysUnavailable')
    expect(line.cause).toContain('/cdn-cgi/access/certs')
    // a minute after the last try, one more
    s.clock.now += 60_000
    await s.send(viaAccess('/iam/ListRoles', await token({ email: 'dana@acme.com' })))
    expect(s.certFetches()).toBe(2)
  })

  it('keeps letting valid tokens in with the keys it knows while the key endpoint fails', async () => {
    const s = await stack()
    const jwt = await token({ email: 'dana@acme.com' }, { exp: '2h' })
    expect((await s.send(viaAccess('/iam/ListRoles', jwt))).status).toBe(200)
    s.certs.mode = '500'
    // past the keys' ten-minute age: each request may try a refresh (one a minute); none is needed to verify
    for (let i = 0; i < 5; i++) {
      s.clock.now += 11 * 60_000
      const res = await s.send(viaAccess('/iam/ListRoles', jwt, { 'cache-control': 'no-cache' }))
      expect(res.status).toBe(200)
    }
    expect(s.certFetches()).toBe(1 + 5)
  })

  it('refuses a token without exp, however old its iat', async () => {
    const s = await stack()
    const noExp = await new SignJWT({ email: 'dana@acme.com' }).setProtectedHeader({ alg: 'RS256', kid: 'team-key-1' }).setIssuer(TEAM).setAudience(AUD).setIssuedAt(978_307_200).sign(signing.privateKey)
    const res = await s.send(viaAccess('/iam/ListRoles', noExp))
    expect([res.status, await errorCode(res)]).toEqual([403, 'AccessTokenNoExpiry'])
    expect(s.upstream.calls).toHaveLength(0)
  })

  it('keeps service tokens and emails apart: a common_name never matches an email pattern', async () => {
    const s = await stack()
    const posing = await s.send(viaAccess('/iam/ListRoles', await token({ common_name: 'svc@acme.com' })))
    expect([posing.status, await errorCode(posing)]).toEqual([403, 'AccessDenied'])
    const star = await stack({ ACCESS_POLICIES: JSON.stringify({ '*@*': {}, 'ci-token-id.access': { actions: ['ListRoles'] } }) })
    expect((await star.send(viaAccess('/iam/ListUsers', await token({ common_name: 'anything.access' })))).status).toBe(403)
    expect((await star.send(viaAccess('/iam/ListRoles', await token({ common_name: 'ci-token-id.access' })))).status).toBe(200)
    expect((await star.send(viaAccess('/iam/ListUsers', await token({ common_name: 'ci-token-id.access' })))).status).toBe(403)
  })

  it('does not take the CF_Authorization cookie alone', async () => {
    const s = await stack()
    const res = await s.send(new Request('http://127.0.0.1:8787/iam/ListRoles', { headers: { cookie: `CF_Authorization=${await token({ email: 'dana@acme.com' })}` } }))
    expect(res.status).toBe(403)
    expect(await errorCode(res)).toBe('MissingAuthenticationToken')
  })

  it('refuses a half-configured Access with a named setting', async () => {
    const s = await stack({ ACCESS_AUD: '' })
    const res = await s.send(viaAccess('/iam/ListRoles', await token({ email: 'dana@acme.com' })))
    expect(res.status).toBe(500)
    expect(JSON.stringify(await res.json())).toContain('ACCESS_AUD')
  })
})

describe('key rotation window', () => {
  it('accepts the previous secret until its expiry, then refuses it; the new one throughout', async () => {
    const oldSecret = 'old-secret-0123456789abcdef'
    const newSecret = 'new-secret-0123456789abcdef'
    const expires = new Date(Date.now() + 3600_000).toISOString()
    const s = await stack({ PROXY_KEYS: JSON.stringify({ [CALLER.id]: { name: 'cli', secrets: [{ secretAccessKey: newSecret }, { secretAccessKey: oldSecret, expires }] } }) })
    const body = 'Action=ListUsers&Version=2010-05-08'
    const withOld = () => signedPost(body, { key: { id: CALLER.id, secret: oldSecret } })
    const withNew = () => signedPost(body, { key: { id: CALLER.id, secret: newSecret } })
    expect((await s.send(await withOld())).status).toBe(200)
    expect((await s.send(await withNew())).status).toBe(200)
    s.clock.now += 2 * 3600_000
    const late = await s.send(await signedPost(body, { key: { id: CALLER.id, secret: oldSecret }, date: new Date(s.clock.now) }))
    expect(late.status).toBe(403)
    expect(codeOf(await late.text())).toBe('SignatureDoesNotMatch')
    expect((await s.send(await signedPost(body, { key: { id: CALLER.id, secret: newSecret }, date: new Date(s.clock.now) }))).status).toBe(200)
  })
})
