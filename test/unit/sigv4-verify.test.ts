import { describe, expect, it } from 'vitest'
import { presignRequest, signRequest, verifyRequest, type Credentials, type SignOptions } from '../../src/sigv4/index.js'

const credentials: Credentials = { accessKeyId: 'AKIDPROXY', secretAccessKey: 'proxy-secret-0123456789' }
const now = new Date('2026-11-22T10:00:00Z')
const options: SignOptions = { credentials, region: 'us-east-1', service: 'iam', date: now }
const lookup = async (id: string) => (id === credentials.accessKeyId ? credentials : undefined)
const form = { method: 'POST', url: 'http://127.0.0.1:8787/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=ListUsers&Version=2010-05-08' }

async function signed(overrides: Partial<SignOptions> = {}, request: { method: string; url: string; headers: Record<string, string>; body: string } = form): Promise<Request> {
  const s = await signRequest(request, { ...options, ...overrides })
  return new Request(s.url, { method: s.method, headers: s.headers, body: s.body as BodyInit | null })
}

function withHeader(req: Request, name: string, value: string | null): Request {
  const headers = new Headers(req.headers)
  if (value === null) headers.delete(name)
  else headers.set(name, value)
  return new Request(req, { headers })
}

describe('verifyRequest accepts', () => {
  it('a header-signed form POST and returns the body it hashed', async () => {
    const result = await verifyRequest(await signed(), lookup, { now })
    expect(result).toMatchObject({ ok: true, accessKeyId: 'AKIDPROXY', region: 'us-east-1', service: 'iam', form: 'header' })
    if (result.ok) expect(new TextDecoder().decode(result.body)).toBe(form.body)
  })

  it('a presigned URL within its lifetime', async () => {
    const { url } = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers&Version=2010-05-08' }, { ...options, expiresIn: 60 })
    expect(await verifyRequest(new Request(url), lookup, { now: new Date(now.getTime() + 59_000) })).toMatchObject({ ok: true, form: 'query' })
  })

  it('temporary credentials whose token matches', async () => {
    const temp = { ...credentials, sessionToken: 'session-token' }
    const req = await signed({ credentials: temp })
    expect(await verifyRequest(req, async () => temp, { now })).toMatchObject({ ok: true })
  })

  it('the time within the skew window', async () => {
    expect(await verifyRequest(await signed(), lookup, { now: new Date(now.getTime() + 14 * 60_000) })).toMatchObject({ ok: true })
  })
})

describe('verifyRequest refuses', () => {
  it('a request with no signature: MissingAuthenticationToken', async () => {
    expect(await verifyRequest(new Request('http://127.0.0.1/'), lookup)).toMatchObject({ ok: false, code: 'MissingAuthenticationToken' })
  })

  it.each([
    ['another algorithm', 'AWS4-HMAC-SHA512 Credential=AKIDPROXY/20261122/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', /only AWS4-HMAC-SHA256/],
    ['no Signature', 'AWS4-HMAC-SHA256 Credential=AKIDPROXY/20261122/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date', /missing Signature/],
    ['a short Credential', 'AWS4-HMAC-SHA256 Credential=AKIDPROXY/20261122/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', /Credential must have the form/],
    ['a wrong terminator', 'AWS4-HMAC-SHA256 Credential=AKIDPROXY/20261122/us-east-1/iam/aws5_request, SignedHeaders=host;x-amz-date, Signature=00', /must end in aws4_request/],
    ['unsorted SignedHeaders', 'AWS4-HMAC-SHA256 Credential=AKIDPROXY/20261122/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date;host, Signature=00', /sorted/],
  ])('a malformed Authorization (%s): IncompleteSignature', async (_, authorization, message) => {
    const req = withHeader(await signed(), 'authorization', authorization)
    const result = await verifyRequest(req, lookup, { now })
    expect(result).toMatchObject({ ok: false, code: 'IncompleteSignature' })
    if (!result.ok) expect(result.message).toMatch(message)
  })

  it('signed headers that leave out host', async () => {
    const s = await signed()
    const auth = (s.headers.get('authorization') as string).replace('SignedHeaders=content-type;host;x-amz-date', 'SignedHeaders=content-type;x-amz-date')
    expect(await verifyRequest(withHeader(s, 'authorization', auth), lookup, { now })).toMatchObject({ ok: false, code: 'IncompleteSignature', message: 'the host header must be signed' })
  })

  it('signed headers that leave out x-amz-date', async () => {
    const s = await signed()
    const auth = (s.headers.get('authorization') as string).replace('content-type;host;x-amz-date', 'content-type;host')
    expect(await verifyRequest(withHeader(s, 'authorization', auth), lookup, { now })).toMatchObject({ ok: false, code: 'IncompleteSignature' })
  })

  it('an unknown access key: InvalidClientTokenId', async () => {
    expect(await verifyRequest(await signed({ credentials: { ...credentials, accessKeyId: 'AKIDOTHER' } }), lookup, { now })).toMatchObject({
      ok: false,
      code: 'InvalidClientTokenId',
    })
  })

  it('a wrong secret: SignatureDoesNotMatch', async () => {
    expect(await verifyRequest(await signed({ credentials: { ...credentials, secretAccessKey: 'guess' } }), lookup, { now })).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
    })
  })

  it('a session token that does not match, or one where none is expected', async () => {
    const temp = { ...credentials, sessionToken: 'right' }
    expect(await verifyRequest(await signed({ credentials: { ...temp, sessionToken: 'wrong' } }), async () => temp, { now })).toMatchObject({ code: 'InvalidClientTokenId' })
    expect(await verifyRequest(await signed({ credentials: temp }), lookup, { now })).toMatchObject({ code: 'InvalidClientTokenId' })
    expect(await verifyRequest(await signed(), async () => temp, { now })).toMatchObject({ code: 'InvalidClientTokenId' })
  })

  it('a date outside the 15-minute window: RequestTimeTooSkewed', async () => {
    for (const offset of [16 * 60_000, -16 * 60_000]) {
      expect(await verifyRequest(await signed(), lookup, { now: new Date(now.getTime() + offset) })).toMatchObject({ code: 'RequestTimeTooSkewed' })
    }
    expect(await verifyRequest(await signed(), lookup, { now: new Date(now.getTime() + 120_000), maxSkewSeconds: 60 })).toMatchObject({ code: 'RequestTimeTooSkewed' })
  })

  it('a presigned URL past its expiry: RequestExpired', async () => {
    const { url } = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers' }, { ...options, expiresIn: 60 })
    expect(await verifyRequest(new Request(url), lookup, { now: new Date(now.getTime() + 61_000) })).toMatchObject({ code: 'RequestExpired' })
  })

  it('a presigned URL whose signature was edited', async () => {
    const { url } = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=ListUsers' }, options)
    const edited = url.replace(/X-Amz-Signature=(.)/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`)
    expect(await verifyRequest(new Request(edited), lookup, { now })).toMatchObject({ code: 'SignatureDoesNotMatch' })
    expect(await verifyRequest(new Request(`${url}&X-Amz-Expires=5`), lookup, { now })).toMatchObject({ code: 'IncompleteSignature' })
  })

  it('a presigned query whose %2B became a literal +: one signature, one meaning', async () => {
    // AWS (and the proxy) read `+` in a query as a space: `a+b` is "a b", `a%2Bb` is "a+b"
    const plus = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=GetUser&UserName=a%2Bb' }, { ...options, expiresIn: 60 })
    expect(await verifyRequest(new Request(plus.url), lookup, { now })).toMatchObject({ ok: true })
    const swapped = await verifyRequest(new Request(plus.url.replace('a%2Bb', 'a+b')), lookup, { now })
    expect(swapped).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
    // a space signed as %20 may travel as `+`: both mean the same to every reader
    const space = await presignRequest({ method: 'GET', url: 'http://127.0.0.1:8787/?Action=GetUser&UserName=a%20b' }, { ...options, expiresIn: 60 })
    expect(await verifyRequest(new Request(space.url.replace('a%20b', 'a+b')), lookup, { now })).toMatchObject({ ok: true })
    expect(space.canonicalRequest).toContain('UserName=a%20b')
    expect(plus.canonicalRequest).toContain('UserName=a%2Bb')
  })

  it('a credential scope whose date differs from x-amz-date', async () => {
    const s = await signed()
    expect(await verifyRequest(withHeader(s, 'x-amz-date', '20261121T100000Z'), lookup, { now: new Date('2026-11-21T10:00:00Z') })).toMatchObject({
      code: 'SignatureDoesNotMatch',
      message: expect.stringContaining('does not match the request date'),
    })
  })

  it('a service outside the accepted list', async () => {
    expect(await verifyRequest(await signed({ service: 's3' }), lookup, { now, services: ['iam', 'sts'] })).toMatchObject({
      code: 'SignatureDoesNotMatch',
      message: expect.stringContaining('valid service'),
    })
  })

  it('UNSIGNED-PAYLOAD unless allowed', async () => {
    const req = await signed({ unsignedPayload: true })
    expect(await verifyRequest(req.clone(), lookup, { now })).toMatchObject({ code: 'IncompleteSignature' })
    expect(await verifyRequest(req, lookup, { now, allowUnsignedPayload: true })).toMatchObject({ ok: true })
  })

  it('a body over the cap', async () => {
    const big = { ...form, body: 'x'.repeat(2048) }
    expect(await verifyRequest(await signed({}, big), lookup, { now, maxBodyBytes: 1024 })).toMatchObject({ code: 'RequestEntityTooLarge' })
  })

  it('a signed header that is absent, naming it', async () => {
    const s = await signed()
    expect(await verifyRequest(withHeader(s, 'content-type', null), lookup, { now })).toMatchObject({
      code: 'SignatureDoesNotMatch',
      message: 'the signed header content-type is not in the request',
    })
  })

  it('a rewritten accept-encoding, with a hint about why', async () => {
    const s = await signed({}, { ...form, headers: { ...form.headers, 'x-keep': '1' } })
    // a client that signs accept-encoding (this signer never does) meets a runtime that rewrites it
    const auth = (s.headers.get('authorization') as string).replace('SignedHeaders=content-type;host', 'SignedHeaders=accept-encoding;content-type;host')
    const req = withHeader(withHeader(s, 'authorization', auth), 'accept-encoding', 'br, gzip')
    const result = await verifyRequest(req, lookup, { now })
    expect(result).toMatchObject({ code: 'SignatureDoesNotMatch', message: expect.stringContaining('accept-encoding was signed') })
  })
})
