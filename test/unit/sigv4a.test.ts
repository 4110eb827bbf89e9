import { describe, expect, it, vi } from 'vitest'
import { signRequest } from '../../src/sigv4/index.js'
import { deriveKeyPairV4a, presignRequestV4a, SignerV4a, signRequestV4a, verifyRequestV4a } from '../../src/sigv4a/index.js'
import { derivePrivateScalar } from '../../src/sigv4a/key.js'
import { derToRaw, publicPoint, rawToDer } from '../../src/sigv4a/p256.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
// public-key.json of every case of the AWS v4a suite (these credentials)
const SUITE_X = 'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1'
const SUITE_Y = '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518'
const now = new Date('2026-12-02T10:00:00Z')
const base = { credentials, service: 's3', date: now }
const lookup = (id: string) => (id === credentials.accessKeyId ? credentials : undefined)
const url = 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/a.jpg?versionId=3'

describe('SigV4a keys', () => {
  it('computes the public point in JavaScript equal to the suite key (the path where WebCrypto cannot derive it)', async () => {
    const d = await derivePrivateScalar(crypto.subtle, credentials.accessKeyId, credentials.secretAccessKey)
    expect(publicPoint(d)).toEqual([SUITE_X, SUITE_Y])
    expect(publicPoint(1n)[0]).toBe('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296')
  })

  it('falls back to that computation when PKCS#8 import fails', async () => {
    const subtle = crypto.subtle
    const picky = new Proxy(subtle, {
      get: (t, p) => (p === 'importKey' ? (format: string, ...rest: unknown[]) => (format === 'pkcs8' ? Promise.reject(new Error('no')) : (t.importKey as (...a: unknown[]) => unknown).call(t, format, ...rest)) : (Reflect.get(t, p) as (...a: unknown[]) => unknown).bind(t)),
    })
    const pair = await deriveKeyPairV4a(credentials, picky)
    expect([pair.x, pair.y]).toEqual([SUITE_X, SUITE_Y])
  })

  it('derives a different pair for another access key id with the same secret', async () => {
    const other = await deriveKeyPairV4a({ ...credentials, accessKeyId: 'AKIDOTHER' })
    expect(other.x).not.toBe(SUITE_X)
  })

  it('derives once per credentials and caches the pair (a repeated signature derives nothing)', async () => {
    const creds = { accessKeyId: 'AKIDCACHE', secretAccessKey: 'cache-secret' }
    const spy = vi.spyOn(crypto.subtle, 'importKey')
    await signRequestV4a({ method: 'GET', url }, { ...base, credentials: creds })
    const first = spy.mock.calls.length
    await signRequestV4a({ method: 'GET', url }, { ...base, credentials: { ...creds } })
    expect(spy.mock.calls.length).toBe(first)
    await signRequestV4a({ method: 'GET', url }, { ...base, credentials: creds, keyCache: false })
    expect(spy.mock.calls.length).toBeGreaterThan(first)
    spy.mockRestore()
  })
})

describe('DER signatures', () => {
  it('round-trips r ‖ s, with the zero byte a high bit needs and without leading zeros', () => {
    const raw = new Uint8Array(64)
    raw[0] = 0x80
    raw[63] = 1
    const der = rawToDer(raw.buffer)
    expect(der).toBe(`3026022100${'80'}${'00'.repeat(31)}020101`)
    expect(derToRaw(der)).toEqual(raw)
  })

  it.each([
    ['empty', ''],
    ['not a sequence', '3100'],
    ['a length that lies', '3006020101020102ff'],
    ['r of zero', '3006020100020101'],
    ['trailing bytes', '300602010102010100'],
    ['r past the group order', `302502${'21'}00${'ff'.repeat(32)}020101`],
  ])('refuses %s', (_, hex) => {
    expect(derToRaw(hex)).toBeUndefined()
  })
})

describe('signRequestV4a / presignRequestV4a', () => {
  it('signs the region set as x-amz-region-set, comma-joined, "*" by default, no region in the scope', async () => {
    const all = await signRequestV4a({ method: 'GET', url }, base)
    expect(all.headers.get('x-amz-region-set')).toBe('*')
    const two = await signRequestV4a({ method: 'GET', url }, { ...base, regionSet: ['us-east-1', 'eu-*'] })
    expect(two.headers.get('x-amz-region-set')).toBe('us-east-1,eu-*')
    expect(two.stringToSign.split('\n')[2]).toBe('20261202/s3/aws4_request')
    expect(two.canonicalRequest).toContain('x-amz-region-set:us-east-1,eu-*\n')
  })

  it.each([
    ['an empty region set', { regionSet: [] }, /regionSet must be a non-empty array/],
    ['a region with a comma', { regionSet: ['us-east-1,eu-west-1'] }, /invalid region in regionSet/],
    ['no credentials', { credentials: undefined as never }, /credentials\.accessKeyId/],
    ['no service', { service: '' }, /invalid service/],
  ])('names %s', async (_, bad, message) => {
    await expect(signRequestV4a({ method: 'GET', url }, { ...base, ...bad })).rejects.toThrow(message)
  })

  it('SignerV4a signs and presigns with its options', async () => {
    const signer = new SignerV4a({ ...base, regionSet: ['us-west-2'] })
    expect((await signer.sign({ method: 'GET', url })).headers.get('x-amz-region-set')).toBe('us-west-2')
    expect((await signer.presign({ method: 'GET', url })).url).toContain('X-Amz-Region-Set=us-west-2')
    expect(() => new SignerV4a({ ...base, regionSet: [] })).toThrow(/regionSet/)
  })
})

describe('verifyRequestV4a', () => {
  const asRequest = (signed: { method: string; url: string; headers?: Headers }) => new Request(signed.url, { method: signed.method, ...(signed.headers ? { headers: signed.headers } : {}) })

  it('accepts its own header and presigned signatures, and says which region set was signed', async () => {
    const signed = await signRequestV4a({ method: 'GET', url }, { ...base, regionSet: ['us-east-1', 'us-west-2'] })
    const ok = await verifyRequestV4a(asRequest(signed), lookup, { now })
    expect(ok).toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1,us-west-2', service: 's3', form: 'header' })
    const presigned = await presignRequestV4a({ method: 'GET', url }, base)
    expect(await verifyRequestV4a(new Request(presigned.url), lookup, { now })).toMatchObject({ ok: true, form: 'query', region: '*' })
  })

  it('refuses a tampered region set, path or signature with SignatureDoesNotMatch', async () => {
    const signed = await signRequestV4a({ method: 'GET', url }, { ...base, regionSet: ['us-east-1'] })
    const widened = asRequest(signed)
    widened.headers.set('x-amz-region-set', '*')
    expect(await verifyRequestV4a(widened, lookup, { now })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
    expect(await verifyRequestV4a(asRequest({ ...signed, url: url.replace('a.jpg', 'b.jpg'), headers: signed.headers }), lookup, { now })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
    const bent = asRequest(signed)
    bent.headers.set('authorization', (signed.headers.get('authorization') as string).replace(/Signature=30/, 'Signature=31'))
    expect(await verifyRequestV4a(bent, lookup, { now })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
  })

  it('refuses a SigV4 signature, an unsigned region set, an unknown key and an expired presigned URL', async () => {
    const v4 = await signRequest({ method: 'GET', url }, { ...base, region: 'us-east-1' })
    expect(await verifyRequestV4a(asRequest(v4), lookup, { now })).toMatchObject({ ok: false, code: 'IncompleteSignature', message: expect.stringContaining('only AWS4-ECDSA-P256-SHA256') })
    const bare = await signRequestV4a({ method: 'GET', url }, base)
    const stripped = asRequest(bare)
    stripped.headers.delete('x-amz-region-set')
    expect(await verifyRequestV4a(stripped, lookup, { now })).toMatchObject({ ok: false, code: 'IncompleteSignature', message: expect.stringContaining('x-amz-region-set') })
    expect(await verifyRequestV4a(asRequest(bare), () => undefined, { now })).toMatchObject({ ok: false, code: 'InvalidClientTokenId' })
    const presigned = await presignRequestV4a({ method: 'GET', url }, { ...base, expiresIn: 60 })
    expect(await verifyRequestV4a(new Request(presigned.url), lookup, { now: new Date(now.getTime() + 61_000) })).toMatchObject({ ok: false, code: 'RequestExpired' })
  })

  it('accepts the suite signature of get-vanilla as signed by aws-c-auth', async () => {
    const req = new Request('https://example.amazonaws.com/', {
      headers: {
        'x-amz-date': '20150830T123600Z',
        'x-amz-region-set': 'us-east-1',
        authorization:
          'AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3046022100fddaaf816a31e30d04973875b13bc27b98da10907a3a1872fd5819a221334abc022100de2ee81d83b54f31efc82834de07e6cd4d5c6f25bfa08e0f29a15bb0977c343e',
      },
    })
    expect(await verifyRequestV4a(req, lookup, { now: new Date('2015-08-30T12:36:00Z') })).toMatchObject({ ok: true, service: 'service', region: 'us-east-1' })
  })
})
