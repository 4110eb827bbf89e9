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

async function stack(overrides: Record<string, string> = {}) {
  const env = await makeEnv({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_POLICIES: JSON.stringify(POLICIES), ...overrides })
  const upstream = fakeUpstream()
  let certFetches = 0
  const clock = { now: Date.now() }
  const app = createApp({
    now: () => clock.now,
    fetch: async (input, init) => {
      const url = new Request(input, init).url
      if (url === `${TEAM}/cdn-cgi/access/certs`) {
        certFetches++
        return Response.json(jwks)
      }
      return upstream.fetch(input, init)
    },
  })
  const logs: string[] = []
  const send = (req: Request) => dispatch(app, env, req, logs)
  return { send, logs, upstream, clock, certFetches: () => certFetches }
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
