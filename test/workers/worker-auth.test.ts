import { describe, expect, it } from 'vitest'
import { presignRequest } from '../../src/sigv4/index.js'
import { presignRequestV4a, signRequestV4a } from '../../src/sigv4a/index.js'
import { bearer, CALLER, codeOf, harness, LIMITED, PROXY, sha256Hex, signedGet, signedPost, TOKEN, UPSTREAM_SECRET } from './worker-support.js'

const LIST_USERS = 'Action=ListUsers&Version=2010-05-08'

describe('routing', () => {
  it('answers /healthz without credentials', async () => {
    const h = await harness()
    const res = await h.send(new Request(`${PROXY}/healthz`))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('answers an unknown path with 404', async () => {
    const h = await harness()
    expect((await h.send(new Request(`${PROXY}/nope`))).status).toBe(404)
  })
})

describe('callers', () => {
  it('lets a SigV4-signed POST through and forwards IAM XML', async () => {
    const h = await harness()
    const res = await h.send(await signedPost(LIST_USERS))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/xml')
    expect(await res.text()).toContain('<ListUsersResponse')
    expect(h.upstream.count('ListUsers')).toBe(1)
  })

  it('lets a SigV4-signed GET through', async () => {
    const h = await harness()
    const res = await h.send(await signedGet(`${LIST_USERS}&PathPrefix=%2F`))
    expect(res.status).toBe(200)
  })

  it('refuses a request without credentials: MissingAuthenticationToken', async () => {
    const h = await harness()
    const res = await h.send(new Request(`${PROXY}/?${LIST_USERS}`))
    expect(res.status).toBe(403)
    expect(codeOf(await res.text())).toBe('MissingAuthenticationToken')
    expect(h.upstream.count()).toBe(0)
  })

  it('refuses a wrong secret, an unknown key and a stale signature', async () => {
    const h = await harness()
    const wrong = await h.send(await signedPost(LIST_USERS, { key: { id: CALLER.id, secret: 'not-the-secret-0123456789' } }))
    expect([wrong.status, codeOf(await wrong.text())]).toEqual([403, 'SignatureDoesNotMatch'])
    const unknown = await h.send(await signedPost(LIST_USERS, { key: { id: 'APXYUNKNOWN000000001', secret: CALLER.secret } }))
    expect(codeOf(await unknown.text())).toBe('InvalidClientTokenId')
    const stale = await h.send(await signedPost(LIST_USERS, { date: new Date(Date.now() - 3600_000) }))
    expect(codeOf(await stale.text())).toBe('RequestTimeTooSkewed')
    expect(h.upstream.count()).toBe(0)
  })

  it('refuses a tampered body after signing', async () => {
    const h = await harness()
    const signed = await signedPost(LIST_USERS)
    const tampered = new Request(signed, { body: 'Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fx' })
    const res = await h.send(tampered)
    expect(codeOf(await res.text())).toBe('SignatureDoesNotMatch')
  })

  it('takes a bearer token on the JSON facade and refuses a wrong one', async () => {
    const h = await harness()
    const ok = await h.send(bearer('/iam/ListUsers'))
    expect(ok.status).toBe(200)
    const json = (await ok.json()) as { Users: Array<{ UserName: string; CreateDate: string }> }
    expect(json.Users[0]).toMatchObject({ UserName: 'u0', CreateDate: '2026-01-01T00:00:00.000Z' })
    const bad = await h.send(new Request(`${PROXY}/iam/ListUsers`, { headers: { authorization: 'Bearer wrong' } }))
    expect(bad.status).toBe(403)
    expect(await bad.json()).toMatchObject({ error: { code: 'InvalidClientTokenId' } })
  })

  it('rebuilds the upstream request: the Worker signs, nothing of the caller goes upstream', async () => {
    const h = await harness()
    await h.send(await signedPost('Version=2010-05-08&PathPrefix=%2Fteam%2F&Action=ListUsers', { headers: { 'x-caller-header': 'leak?' } }))
    const [call] = h.upstream.calls
    expect(call?.body).toBe('Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fteam%2F')
    expect(call?.authorization).toContain(`Credential=${h.env.AWS_ACCESS_KEY_ID}/`)
    expect(call?.authorization).not.toContain(CALLER.id)
    expect(call?.url).toBe('https://iam.upstream.test/')
  })

  it('answers sts GetCallerIdentity for the proxy caller', async () => {
    const h = await harness()
    const res = await h.send(await signedPost('Action=GetCallerIdentity&Version=2011-06-15', { service: 'sts' }))
    const xml = await res.text()
    expect(res.status).toBe(200)
    expect(xml).toContain('<Account>123456789012</Account>')
    expect(xml).toContain('<Arn>arn:aws:iam::123456789012:user/iam-edge/cli</Arn>')
    expect(xml).toContain(`<UserId>${CALLER.id}</UserId>`)
  })

  it('applies a caller’s action list to the STS actions too', async () => {
    const h = await harness()
    const limited = await h.send(await signedPost('Action=GetCallerIdentity&Version=2011-06-15', { service: 'sts', key: LIMITED }))
    expect([limited.status, codeOf(await limited.text())]).toEqual([403, 'AccessDenied'])
    const info = await h.send(await signedPost(`Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=${LIMITED.id}`, { service: 'sts', key: LIMITED }))
    expect([info.status, codeOf(await info.text())]).toEqual([403, 'AccessDenied'])
    expect(h.upstream.count()).toBe(0)
  })

  it('answers GetAccessKeyInfo only for the caller’s own key: another caller’s id and an unknown one look the same', async () => {
    const h = await harness()
    const own = await h.send(await signedPost(`Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=${CALLER.id}`, { service: 'sts' }))
    expect([own.status, (await own.text()).includes('<Account>123456789012</Account>')]).toEqual([200, true])
    const other = await h.send(await signedPost(`Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=${LIMITED.id}`, { service: 'sts' }))
    const unknown = await h.send(await signedPost('Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=AKIANOSUCHPROXYKEY01', { service: 'sts' }))
    const [a, b] = [await other.text(), await unknown.text()]
    expect([other.status, unknown.status]).toEqual([403, 403])
    expect(a.replace(/<RequestId>[^<]*<\/RequestId>/, '')).toBe(b.replace(/<RequestId>[^<]*<\/RequestId>/, ''))
  })

  it('verifies what it forwards: a presigned %2B swapped for + is SignatureDoesNotMatch, and nothing goes upstream', async () => {
    const h = await harness()
    const { url } = await presignRequest({ method: 'GET', url: `${PROXY}/?Action=GetUser&Version=2010-05-08&UserName=a%2Bb` }, { credentials: { accessKeyId: CALLER.id, secretAccessKey: CALLER.secret }, region: 'us-east-1', service: 'iam', expiresIn: 60, date: new Date(h.clock.now) })
    const swapped = await h.send(new Request(url.replace('a%2Bb', 'a+b')))
    expect([swapped.status, codeOf(await swapped.text())]).toEqual([403, 'SignatureDoesNotMatch'])
    expect(h.upstream.count()).toBe(0)
    const real = await h.send(new Request(url))
    expect(real.status).toBe(200)
    expect(new URLSearchParams(h.upstream.calls[0]?.body).get('UserName')).toBe('a+b')
  })

  it('refuses other sts actions for SigV4 callers', async () => {
    const h = await harness()
    const res = await h.send(await signedPost('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx&RoleSessionName=s', { service: 'sts' }))
    expect([res.status, codeOf(await res.text())]).toEqual([403, 'AccessDenied'])
    expect(h.upstream.count()).toBe(0)
  })

  it('never puts a secret in a response or a log line', async () => {
    const h = await harness()
    const responses = await Promise.all([
      h.send(await signedPost(LIST_USERS)),
      h.send(await signedPost(LIST_USERS, { key: { id: CALLER.id, secret: 'x'.repeat(20) } })),
      h.send(bearer('/iam/ListUsers')),
      h.send(bearer('/iam/CreateUser?UserName=x')),
      h.send(await signedPost(LIST_USERS, { key: LIMITED })),
    ])
    const texts = await Promise.all(responses.map(async (r) => `${[...r.headers].join('\n')}\n${await r.text()}`))
    const everything = [...texts, ...h.logs].join('\n')
    for (const secret of [CALLER.secret, LIMITED.secret, TOKEN, UPSTREAM_SECRET]) expect(everything).not.toContain(secret)
    expect(everything).not.toMatch(/Signature=[0-9a-f]{64}/)
    expect(h.logs.length).toBeGreaterThanOrEqual(5)
    for (const line of h.logs) expect(() => JSON.parse(line)).not.toThrow()
  })
})

describe('who is calling, at the edges', () => {
  const json = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
  const req = (path: string, headers: Record<string, string>) => new Request(`${PROXY}${path}`, { headers })

  it('reads a bearer token case-insensitively and trimmed, and nothing else as one', async () => {
    const h = await harness()
    expect((await h.send(req('/iam/ListUsers', { authorization: `bearer   ${TOKEN}  ` }))).status).toBe(200)
    // not a bearer scheme: read as SigV4, whose parser names what it got
    const basic = await h.send(req('/iam/ListUsers', { authorization: `Basic bearer ${TOKEN}` }))
    expect([basic.status, await json(basic)]).toEqual([403, 'IncompleteSignature'])
    const glued = await h.send(req('/iam/ListUsers', { authorization: `Bearer${TOKEN}` }))
    expect([glued.status, await json(glued)]).toEqual([403, 'IncompleteSignature'])
  })

  it('never takes an empty bearer token, even where a configured hash is the empty string’s', async () => {
    const h = await harness({ PROXY_TOKENS: JSON.stringify({ empty: { sha256: await sha256Hex('') } }) })
    // fetch trims the header to `Bearer`: not a bearer scheme at all, so SigV4 refuses it
    for (const value of ['Bearer ', 'Bearer \t ']) {
      const res = await h.send(req('/iam/ListUsers', { authorization: value }))
      expect([res.status, await json(res)]).toEqual([403, 'IncompleteSignature'])
    }
  })

  it('narrows a bearer token to its actions', async () => {
    const h = await harness({ PROXY_TOKENS: JSON.stringify({ browser: { sha256: await sha256Hex(TOKEN), actions: ['ListUsers'] } }) })
    expect((await h.send(bearer('/iam/ListUsers'))).status).toBe(200)
    const role = await h.send(bearer('/iam/GetRole?RoleName=r'))
    expect([role.status, await json(role)]).toEqual([403, 'AccessDenied'])
  })

  it('reads an Access header only without Authorization, without a presigned signature, and only when Access is configured', async () => {
    const h = await harness()
    // no Access configured: the header is ignored and the request is unauthenticated
    const plain = await h.send(req('/iam/ListUsers', { 'cf-access-jwt-assertion': 'x.y.z' }))
    expect([plain.status, await json(plain)]).toEqual([403, 'MissingAuthenticationToken'])
    const withBearer = await h.send(req('/iam/ListUsers', { 'cf-access-jwt-assertion': 'x.y.z', authorization: `Bearer ${TOKEN}` }))
    expect(withBearer.status).toBe(200)
  })

  it('tries a key’s second secret when the first is expired or does not match, and says SignatureDoesNotMatch when neither does', async () => {
    const past = new Date(Date.now() - 60_000).toISOString()
    const current = 'current-secret-0123456789abcdef'
    const h = await harness({ PROXY_KEYS: JSON.stringify({ [CALLER.id]: { name: 'cli', secrets: [{ secretAccessKey: 'expired-secret-0123456789', expires: past }, { secretAccessKey: current }] } }) })
    const body = 'Action=ListUsers&Version=2010-05-08'
    expect((await h.send(await signedPost(body, { key: { id: CALLER.id, secret: current } }))).status).toBe(200)
    const wrong = await h.send(await signedPost(body, { key: { id: CALLER.id, secret: 'wrong-secret-0123456789abcd' } }))
    expect([wrong.status, codeOf(await wrong.text())]).toEqual([403, 'SignatureDoesNotMatch'])
    const expired = await h.send(await signedPost(body, { key: { id: CALLER.id, secret: 'expired-secret-0123456789' } }))
    expect([expired.status, codeOf(await expired.text())]).toEqual([403, 'SignatureDoesNotMatch'])
  })

  it('refuses a secret at the very instant it expires', async () => {
    const at = Date.now() + 3_600_000
    const h = await harness({ PROXY_KEYS: JSON.stringify({ [CALLER.id]: { name: 'cli', secrets: [{ secretAccessKey: 'new-secret-0123456789abcdef' }, { secretAccessKey: CALLER.secret, expires: new Date(at).toISOString() }] } }) })
    h.clock.now = at - 1
    expect((await h.send(await signedPost('Action=ListUsers&Version=2010-05-08', { date: new Date(h.clock.now) }))).status).toBe(200)
    h.clock.now = at
    const res = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08', { date: new Date(h.clock.now) }))
    expect([res.status, codeOf(await res.text())]).toEqual([403, 'SignatureDoesNotMatch'])
  })

  it('answers STS for a caller whose credential scope names sts', async () => {
    const h = await harness()
    const res = await h.send(await signedPost('Action=GetCallerIdentity&Version=2011-06-15', { service: 'sts' }))
    const text = await res.text()
    expect([res.status, text.includes('<GetCallerIdentityResponse'), text.includes(`<UserId>${CALLER.id}</UserId>`)]).toEqual([200, true, true])
  })
})

describe('SigV4a callers', () => {
  const LIST = 'Action=ListUsers&Version=2010-05-08'
  const credentials = (key = CALLER) => ({ accessKeyId: key.id, secretAccessKey: key.secret })
  const postV4a = async (body: string, key = CALLER, regionSet?: string[], date?: Date) => {
    const signed = await signRequestV4a(
      { method: 'POST', url: `${PROXY}/`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
      { credentials: credentials(key), service: 'iam', ...(regionSet ? { regionSet } : {}), ...(date ? { date } : {}) },
    )
    return new Request(signed.url, { method: 'POST', headers: signed.headers, body })
  }

  it('lets a SigV4a-signed POST and a presigned SigV4a GET through; upstream sees only the Worker’s own SigV4', async () => {
    const h = await harness()
    const res = await h.send(await postV4a(LIST, CALLER, ['us-east-1', 'eu-*']))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<ListUsersResponse')
    const { url } = await presignRequestV4a({ method: 'GET', url: `${PROXY}/?Action=GetUser&Version=2010-05-08&UserName=a%2Bb` }, { credentials: credentials(), service: 'iam', expiresIn: 60, date: new Date(h.clock.now) })
    expect((await h.send(new Request(url))).status).toBe(200)
    expect(h.upstream.calls.map((c) => c.action)).toEqual(['ListUsers', 'GetUser'])
    for (const call of h.upstream.calls) {
      expect(call.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/)
      expect(`${call.url} ${call.body}`).not.toMatch(/Region-Set|ECDSA|X-Amz-/i)
    }
  })

  it('refuses a wrong secret, an unknown key, a widened region set and an HMAC signature under the SigV4a name; nothing goes upstream', async () => {
    const h = await harness()
    const wrong = await h.send(await postV4a(LIST, { id: CALLER.id, secret: 'not-the-secret-0123456789' }))
    expect([wrong.status, codeOf(await wrong.text())]).toEqual([403, 'SignatureDoesNotMatch'])
    const unknown = await h.send(await postV4a(LIST, { id: 'APXYUNKNOWN000000001', secret: CALLER.secret }))
    expect([unknown.status, codeOf(await unknown.text())]).toEqual([403, 'InvalidClientTokenId'])
    const narrow = await postV4a(LIST, CALLER, ['us-east-1'])
    const widened = new Request(narrow, { headers: new Headers(narrow.headers), body: LIST })
    widened.headers.set('x-amz-region-set', '*')
    expect(codeOf(await (await h.send(widened)).text())).toBe('SignatureDoesNotMatch')
    // a SigV4 signature relabelled as SigV4a: checked by SigV4a's rules, which want the region set signed
    const v4 = await signedPost(LIST)
    const relabelled = new Request(v4, { headers: new Headers(v4.headers), body: LIST })
    relabelled.headers.set('authorization', (v4.headers.get('authorization') as string).replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256').replace('/us-east-1/', '/'))
    relabelled.headers.set('x-amz-region-set', '*')
    const res = await h.send(relabelled)
    expect([res.status, codeOf(await res.text())]).toEqual([403, 'IncompleteSignature'])
    const stale = await h.send(await postV4a(LIST, CALLER, undefined, new Date(Date.now() - 3600_000)))
    expect(codeOf(await stale.text())).toBe('RequestTimeTooSkewed')
    expect(h.upstream.count()).toBe(0)
  })

  it('holds a SigV4a caller to its action list, and tries a rotated key’s second secret', async () => {
    const h = await harness()
    const limited = await h.send(await postV4a('Action=GetUser&Version=2010-05-08&UserName=x', LIMITED))
    expect([limited.status, codeOf(await limited.text())]).toEqual([403, 'AccessDenied'])
    expect((await h.send(await postV4a(LIST, LIMITED))).status).toBe(200)
    const current = 'current-secret-0123456789abcdef'
    const rotated = await harness({ PROXY_KEYS: JSON.stringify({ [CALLER.id]: { name: 'cli', secrets: [{ secretAccessKey: 'newest-secret-0123456789abcd' }, { secretAccessKey: current }] } }) })
    expect((await rotated.send(await postV4a(LIST, { id: CALLER.id, secret: current }))).status).toBe(200)
  })
})
