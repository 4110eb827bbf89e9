// What verifyRequest refuses before it computes anything: every malformed part of a presigned URL
// or an Authorization header gets its own code and message, and never a thrown TypeError.
// (Written to kill the mutants a mutation run found surviving: each check removed must fail here.)
import { describe, expect, it } from 'vitest'
import { presignRequest, signRequest, verifyRequest, type Credentials } from '../../src/sigv4/index.js'

const credentials: Credentials = { accessKeyId: 'AKIDPROXY', secretAccessKey: 'proxy-secret-0123456789' }
const now = new Date('2026-11-22T10:00:00Z')
const lookup = async (id: string) => (id === credentials.accessKeyId ? credentials : undefined)
const opts = { credentials, region: 'us-east-1', service: 'iam', date: now }

async function presigned(expiresIn = 60, date = now): Promise<URL> {
  return new URL((await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers&Version=2010-05-08' }, { ...opts, date, expiresIn })).url)
}

/** The URL without one query parameter. */
function withParamUrl(url: URL, name: string): URL {
  return new URL(withParam(url, name, null).url)
}

/** The URL with one query parameter set to `value` as written (already encoded), or removed. */
function withParam(url: URL, name: string, value: string | null): Request {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((p) => p.split('=')[0] !== name)
  if (value !== null) kept.push(`${name}=${value}`)
  return new Request(`${url.origin}${url.pathname}?${kept.join('&')}`)
}

describe('verifyRequest refuses a presigned URL', () => {
  it.each<[string, string, string | null, RegExp]>([
    ['with another algorithm', 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1', /only AWS4-HMAC-SHA256 is accepted/],
    ['with a credential of three parts', 'X-Amz-Credential', 'AKIDPROXY%2F20261122%2Fus-east-1', /Credential must have the form/],
    ['with a credential with an empty part', 'X-Amz-Credential', 'AKIDPROXY%2F20261122%2F%2Fiam%2Faws4_request', /Credential must have the form/],
    ['with a scope that does not end in aws4_request', 'X-Amz-Credential', 'AKIDPROXY%2F20261122%2Fus-east-1%2Fiam%2Faws5_request', /must end in aws4_request, not aws5_request/],
    ['with a scope date that is not YYYYMMDD', 'X-Amz-Credential', 'AKIDPROXY%2F2026112x%2Fus-east-1%2Fiam%2Faws4_request', /date must be YYYYMMDD/],
    ['with an uppercase signed header', 'X-Amz-SignedHeaders', 'Host', /SignedHeaders has an invalid name "Host"/],
    ['with signed headers out of order', 'X-Amz-SignedHeaders', 'x-b%3Bhost', /lowercase, sorted and without repeats/],
    ['with a repeated signed header', 'X-Amz-SignedHeaders', 'host%3Bhost', /lowercase, sorted and without repeats/],
    ['with an empty signed-header name', 'X-Amz-SignedHeaders', 'host%3B', /invalid name ""/],
    ['with X-Amz-Expires past seven days', 'X-Amz-Expires', '604801', /X-Amz-Expires must be 1\.\.604800/],
    ['with X-Amz-Expires 0', 'X-Amz-Expires', '0', /X-Amz-Expires must be 1\.\.604800/],
    ['with X-Amz-Expires not a number', 'X-Amz-Expires', 'abc', /X-Amz-Expires must be 1\.\.604800/],
    ['with X-Amz-Expires not whole', 'X-Amz-Expires', '1.5', /X-Amz-Expires must be 1\.\.604800/],
    ['without X-Amz-Date', 'X-Amz-Date', null, /missing or repeats X-Amz-Date/],
    ['without X-Amz-Signature', 'X-Amz-Signature', null, /missing or repeats X-Amz-Signature/],
    ['with a credential that is not UTF-8', 'X-Amz-Credential', '%FF', /missing or repeats X-Amz-Credential/],
  ])('%s: IncompleteSignature naming it', async (_, name, value, message) => {
    const result = await verifyRequest(withParam(await presigned(), name, value), lookup, { now })
    expect(result.ok).toBe(false)
    if (!result.ok) expect([result.code, result.message]).toEqual(['IncompleteSignature', expect.stringMatching(message)])
  })

  it('naming every parameter missing', async () => {
    const url = await presigned()
    const result = await verifyRequest(withParam(withParamUrl(url, 'X-Amz-Date'), 'X-Amz-Signature', null), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: 'presigned URL is missing or repeats X-Amz-Date, X-Amz-Signature' })
  })

  it('but takes X-Amz-Expires of 1 and of 604800', async () => {
    for (const expires of [1, 604_800]) expect(await verifyRequest(new Request((await presigned(expires)).href), lookup, { now })).toMatchObject({ ok: true })
  })

  it('with X-Amz-Expires given empty', async () => {
    const result = await verifyRequest(withParam(await presigned(), 'X-Amz-Expires', ''), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: 'presigned URL is missing or repeats X-Amz-Expires' })
  })

  it('signed with X-Amz-Expires and sent without it', async () => {
    const result = await verifyRequest(withParam(await presigned(), 'X-Amz-Expires', null), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
  })

  it('that repeats a parameter', async () => {
    const url = await presigned()
    const result = await verifyRequest(new Request(`${url.href}&X-Amz-Expires=60`), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: expect.stringMatching(/repeats X-Amz-Expires/) })
  })

  it('dated beyond the skew window in the future, but not one within it', async () => {
    const future = await verifyRequest(new Request((await presigned(60, new Date(now.getTime() + 16 * 60_000))).href), lookup, { now })
    expect(future).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed', message: expect.stringMatching(/future/) })
    const near = await verifyRequest(new Request((await presigned(60, new Date(now.getTime() + 14 * 60_000))).href), lookup, { now })
    expect(near).toMatchObject({ ok: true })
  })

  it('one second past its expiry, but not at it', async () => {
    const url = new Request((await presigned(60)).href)
    expect(await verifyRequest(url.clone(), lookup, { now: new Date(now.getTime() + 60_000) })).toMatchObject({ ok: true })
    expect(await verifyRequest(url, lookup, { now: new Date(now.getTime() + 61_000) })).toMatchObject({ ok: false, code: 'RequestExpired' })
  })
})

describe('verifyRequest refuses an Authorization header', () => {
  async function signed(): Promise<Request> {
    const s = await signRequest({ method: 'POST', url: 'http://127.0.0.1:8787/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers' }, opts)
    return new Request(s.url, { method: 'POST', headers: s.headers, body: 'Action=ListUsers' })
  }
  const withHeader = (req: Request, name: string, value: string | null) => {
    const headers = new Headers(req.headers)
    if (value === null) headers.delete(name)
    else headers.set(name, value)
    return new Request(req, { headers })
  }

  it.each<[string, (auth: string) => string, RegExp]>([
    ['with another algorithm', (a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1'), /uses "AWS4-HMAC-SHA1"; only AWS4-HMAC-SHA256/],
    ['that is only an algorithm', () => 'AWS4-HMAC-SHA256', /missing Credential, SignedHeaders, Signature/],
    ['without a Signature', (a) => a.replace(/, Signature=\w+/, ''), /missing Signature/],
    ['with a malformed credential', (a) => a.replace(/Credential=[^,]+/, 'Credential=AKIDPROXY/20261122/us-east-1/iam'), /Credential must have the form/],
    ['with unsorted signed headers', (a) => a.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date;host'), /sorted/],
  ])('%s: IncompleteSignature naming it', async (_, edit, message) => {
    const req = await signed()
    const result = await verifyRequest(withHeader(req, 'authorization', edit(req.headers.get('authorization') as string)), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: expect.stringMatching(message) })
  })

  it('without the x-amz-date header', async () => {
    const result = await verifyRequest(withHeader(await signed(), 'x-amz-date', null), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: 'the x-amz-date header is missing' })
  })

  it('with an x-amz-date that is not YYYYMMDDTHHMMSSZ, quoting at most 32 characters of it', async () => {
    const result = await verifyRequest(withHeader(await signed(), 'x-amz-date', '2026-11-22T10:00:00Z'), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: expect.stringMatching(/not in the form YYYYMMDDTHHMMSSZ/) })
    const long = await verifyRequest(withHeader(await signed(), 'x-amz-date', `20261122T100000Z${'9'.repeat(30)}`), lookup, { now })
    expect(long).toMatchObject({ ok: false, message: `the request date "20261122T100000Z${'9'.repeat(16)}" is not in the form YYYYMMDDTHHMMSSZ` })
  })
})

describe('verifyRequest says exactly what was wrong', () => {
  const form = { method: 'POST', url: 'http://127.0.0.1:8787/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers' }
  async function signed(more: Partial<typeof opts> & { signBody?: boolean; normalizePath?: boolean } = {}, request: { method: string; url: string; headers: Record<string, string>; body: string } = form): Promise<Request> {
    const s = await signRequest(request, { ...opts, ...more })
    return new Request(s.url, { method: request.method, headers: s.headers, body: request.method === 'GET' ? null : request.body })
  }
  const result = (r: Awaited<ReturnType<typeof verifyRequest>>) => (r.ok ? ['ok'] : [r.code, r.message])

  it('the x-amz-date header left unsigned', async () => {
    const s = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers' }, opts)
    const req = await signed()
    const auth = (req.headers.get('authorization') as string).replace('SignedHeaders=content-type;host;x-amz-date', 'SignedHeaders=content-type;host')
    const headers = new Headers(req.headers)
    headers.set('authorization', auth)
    expect(result(await verifyRequest(new Request(req, { headers }), lookup, { now }))).toEqual(['IncompleteSignature', 'the x-amz-date header must be signed'])
    expect(s.url).toContain('X-Amz-SignedHeaders=host')
  })

  it('a service outside the list, an unknown key, a token that does not match, a scope date that does not match', async () => {
    expect(result(await verifyRequest(await signed(), lookup, { now, services: ['sts', 's3'] }))).toEqual(['SignatureDoesNotMatch', 'Credential should be scoped to a valid service (sts or s3), not "iam"'])
    expect(result(await verifyRequest(await signed(), async () => undefined, { now }))).toEqual(['InvalidClientTokenId', 'The security token included in the request is invalid: unknown access key'])
    expect(result(await verifyRequest(await signed(), async () => ({ ...credentials, sessionToken: 't' }), { now }))).toEqual(['InvalidClientTokenId', 'The security token included in the request is invalid'])
    const req = await signed()
    const headers = new Headers(req.headers)
    headers.set('x-amz-date', '20261123T100000Z')
    expect(result(await verifyRequest(new Request(req, { headers }), lookup, { now: new Date('2026-11-23T10:00:00Z') }))).toEqual(['SignatureDoesNotMatch', 'Credential scope date 20261122 does not match the request date 20261123'])
  })

  it('a body over the default cap of 1 MiB', async () => {
    const big = { ...form, body: `Action=ListUsers&x=${'a'.repeat(1 << 20)}` }
    expect(result(await verifyRequest(await signed({}, big), lookup, { now }))).toEqual(['RequestEntityTooLarge', 'the body is larger than 1048576 bytes'])
  })

  it('a wrong signature, without a hint when accept-encoding was not signed', async () => {
    expect(result(await verifyRequest(await signed(), async () => ({ ...credentials, secretAccessKey: 'another-secret-0123456789' }), { now }))).toEqual([
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided',
    ])
  })

  it('a presigned URL with no parameters of signing at all, and UNSIGNED-PAYLOAD refused by default', async () => {
    expect(result(await verifyRequest(new Request('http://127.0.0.1:8787/?Action=ListUsers'), lookup, { now }))).toEqual(['MissingAuthenticationToken', 'Request is missing Authentication Token'])
    const unsigned = await signed({ unsignedPayload: true } as never)
    expect(result(await verifyRequest(unsigned, lookup, { now }))).toEqual(['IncompleteSignature', 'UNSIGNED-PAYLOAD is not accepted: sign the body'])
    expect(result(await verifyRequest(await signed({ unsignedPayload: true } as never), lookup, { now, allowUnsignedPayload: true }))).toEqual(['ok'])
  })

  it('accepts a body signed with its x-amz-content-sha256, and a path signed without normalizing when told so', async () => {
    expect(result(await verifyRequest(await signed({ signBody: true }), lookup, { now }))).toEqual(['ok'])
    const path = { method: 'GET', url: 'http://127.0.0.1:8787/a//b', headers: {}, body: '' }
    expect(result(await verifyRequest(await signed({ normalizePath: false }, path), lookup, { now, normalizePath: false }))).toEqual(['ok'])
    expect(result(await verifyRequest(await signed({ normalizePath: false }, path), lookup, { now }))[0]).toBe('SignatureDoesNotMatch')
  })

  it('a presigned URL carrying its session token, and a token sent in a header instead', async () => {
    const temp = { ...credentials, sessionToken: 'session/token+=' }
    const { url } = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers' }, { ...opts, credentials: temp })
    expect(result(await verifyRequest(new Request(url), async () => temp, { now }))).toEqual(['ok'])
    const { url: plain } = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers' }, opts)
    const viaHeader = new Request(plain, { headers: { 'x-amz-security-token': 'session/token+=' } })
    expect(result(await verifyRequest(viaHeader, lookup, { now }))).toEqual(['InvalidClientTokenId', 'The security token included in the request is invalid'])
  })

  it('at the edges of the skew window and of a presigned lifetime', async () => {
    const header = await signed()
    expect(result(await verifyRequest(header.clone(), lookup, { now: new Date(now.getTime() + 900_000) }))).toEqual(['ok'])
    const late = result(await verifyRequest(header, lookup, { now: new Date(now.getTime() + 901_000) }))
    expect(late).toEqual(['RequestTimeTooSkewed', 'The difference between the request time (2026-11-22T10:00:00.000Z) and the current time is too large'])
    const ahead = await presigned(60, new Date(now.getTime() + 900_000))
    expect(result(await verifyRequest(new Request(ahead.href), lookup, { now }))).toEqual(['ok'])
    const expired = result(await verifyRequest(new Request((await presigned(60)).href), lookup, { now: new Date(now.getTime() + 61_000) }))
    expect(expired).toEqual(['RequestExpired', 'Request has expired: signed at 2026-11-22T10:00:00.000Z for 60 s'])
  })
})

describe('verifyRequest reads Authorization fields as written', () => {
  it('with spaces around the values, and a long algorithm named only in part', async () => {
    const s = await signRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers' }, opts)
    const spaced = (s.headers.get('authorization') as string).replace('SignedHeaders=', 'SignedHeaders=  ').replace('Signature=', 'Signature= ')
    const req = new Request(s.url, { headers: { ...Object.fromEntries(s.headers), authorization: spaced } })
    expect(await verifyRequest(req, lookup, { now })).toMatchObject({ ok: true })
    const long = new Request(s.url, { headers: { ...Object.fromEntries(s.headers), authorization: `${'A'.repeat(100)} Credential=x` } })
    const refused = await verifyRequest(long, lookup, { now })
    expect(refused).toMatchObject({ ok: false, message: `Authorization header uses "${'A'.repeat(40)}"; only AWS4-HMAC-SHA256 is accepted` })
  })

  it.each(['x20261122', '20261122x'])('refuses a scope date %s that only contains eight digits', async (day) => {
    const url = await presigned()
    const result = await verifyRequest(withParam(url, 'X-Amz-Credential', `AKIDPROXY%2F${day}%2Fus-east-1%2Fiam%2Faws4_request`), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: 'Credential scope date must be YYYYMMDD' })
  })

  it('refuses a signed-header name with an uppercase letter at its end', async () => {
    const result = await verifyRequest(withParam(await presigned(), 'X-Amz-SignedHeaders', 'hosT'), lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature', message: 'SignedHeaders has an invalid name "hosT"' })
  })
})

describe('verifyRequest takes a presigned URL without X-Amz-Expires (aws4fetch’s form for every service but S3)', () => {
  const bare = async (date = now) => new URL((await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers&Version=2010-05-08' }, { ...opts, date, expiresIn: null })).url)

  it('within the skew window around its date, either side', async () => {
    const url = await bare()
    expect(url.searchParams.has('X-Amz-Expires')).toBe(false)
    for (const offset of [-15 * 60_000, 0, 15 * 60_000]) {
      expect(await verifyRequest(new Request(url.href), lookup, { now: new Date(now.getTime() + offset) })).toMatchObject({ ok: true, form: 'query' })
    }
  })

  it('but not a second past the window, nor dated beyond it in the future', async () => {
    expect(await verifyRequest(new Request((await bare()).href), lookup, { now: new Date(now.getTime() + 15 * 60_000 + 1000) })).toMatchObject({ ok: false, code: 'RequestExpired', message: expect.stringMatching(/for 900 s/) })
    expect(await verifyRequest(new Request((await bare()).href), lookup, { now: new Date(now.getTime() - 15 * 60_000 - 1000) })).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed' })
    expect(await verifyRequest(new Request((await bare()).href), lookup, { now: new Date(now.getTime() + 61_000), maxSkewSeconds: 60 })).toMatchObject({ ok: false, code: 'RequestExpired', message: expect.stringMatching(/for 60 s/) })
  })

  it('and refuses one that adds X-Amz-Expires after signing', async () => {
    const url = await bare()
    expect(await verifyRequest(new Request(`${url.href}&X-Amz-Expires=60`), lookup, { now })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
  })
})
