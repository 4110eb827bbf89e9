// The signer's edges a mutation run found untested: each check or rule here, changed, changes a
// signature or lets bad input through, and these tests notice.
import { describe, expect, it } from 'vitest'
import { payloadHash } from '../../src/sigv4/sign.js'
import { EMPTY_SHA256, presignRequest, signRequest, verifyRequest, type SignOptions } from '../../src/sigv4/index.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const date = new Date('2026-01-02T03:04:05Z')
const base: SignOptions = { credentials, region: 'us-east-1', service: 'iam', date }
const get = { method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers' }

describe('the signer names bad input', () => {
  it.each<[string, () => Promise<unknown>, RegExp]>([
    ['a region that is not a string', () => signRequest(get, { ...base, region: 5 as never }), /^SigV4: invalid region 5$/],
    ['a missing request', () => signRequest(undefined as never, base), /^SigV4: invalid HTTP method undefined$/],
    ['a non-string access key id', () => signRequest(get, { ...base, credentials: { ...credentials, accessKeyId: 5 as never } }), /^credentials\.accessKeyId: must be a non-empty string$/],
    ['a non-string session token', () => signRequest(get, { ...base, credentials: { ...credentials, sessionToken: 5 as never } }), /^credentials\.sessionToken: must be a string$/],
    ['credentials that are a string', () => signRequest(get, { ...base, credentials: 'AKID:secret' as never }), /^credentials\.accessKeyId: must be a non-empty string$/],
    ['a URL whose scheme lacks //', () => signRequest({ method: 'GET', url: 'https:/iam.amazonaws.com/' }, base), /^SigV4: invalid URL "https:\/iam\.amazonaws\.com\/"$/],
    ['a lone surrogate in the path', () => signRequest({ method: 'GET', url: 'https://iam.amazonaws.com/a\uD800b' }, base), /^SigV4: lone surrogate in/],
    ['a header pair of one', () => signRequest({ ...get, headers: [['x-a']] as never }, base), /^SigV4: invalid header \["x-a"\]$/],
    ['a header pair of three', () => signRequest({ ...get, headers: [['x-a', '1', '2']] as never }, base), /^SigV4: invalid header/],
    ['a header "pair" that is a string', () => signRequest({ ...get, headers: ['ab'] as never }, base), /^SigV4: invalid header "ab"$/],
    ['an expiry past seven days', () => presignRequest(get, { ...base, expiresIn: 604_801 }), /^SigV4: expiresIn must be 1\.\.604800 whole seconds, got 604801$/],
  ])('%s', async (_, run, message) => {
    await expect(run()).rejects.toThrow(message)
  })

  it('takes an empty or null session token as none', async () => {
    for (const sessionToken of ['', null]) {
      const signed = await signRequest(get, { ...base, credentials: { ...credentials, sessionToken: sessionToken as never } })
      expect(signed.headers.has('x-amz-security-token')).toBe(false)
      expect(signed.canonicalRequest).not.toContain('x-amz-security-token')
    }
  })

  it('refuses an empty access key id or secret, and one that is not a string', async () => {
    for (const [k, v] of [['accessKeyId', ''], ['secretAccessKey', ''], ['secretAccessKey', null], ['accessKeyId', ['AKID']]] as const) {
      await expect(signRequest(get, { ...base, credentials: { ...credentials, [k]: v } as never })).rejects.toThrow(`credentials.${k}: must be a non-empty string`)
    }
  })

  it('refuses only the parameters presigning adds, by their exact names', async () => {
    for (const name of ['X-Amz-Date', 'X-Amz-Signature', 'X-Amz-Expires']) {
      await expect(presignRequest({ method: 'GET', url: `https://iam.amazonaws.com/?a=1&${name}=x` }, base)).rejects.toThrow(`already carries ${name}`)
      await expect(presignRequest({ method: 'GET', url: `https://iam.amazonaws.com/?${name}` }, base)).rejects.toThrow(`already carries ${name}`)
    }
    for (const other of ['XX-Amz-Date=1', 'X-Amz-Dates=1', 'a=X-Amz-Date', 'X-Amz-Content-Sha256=1']) {
      await expect(presignRequest({ method: 'GET', url: `https://iam.amazonaws.com/?${other}` }, base)).resolves.toBeDefined()
    }
  })
})

describe('the signer signs what it is given', () => {
  it('signs a URL object as its parser left it', async () => {
    const signed = await signRequest({ method: 'GET', url: new URL('https://IAM.amazonaws.com:443/a/./b/../c?x=1') }, base)
    const [, uri, query] = signed.canonicalRequest.split('\n')
    expect([uri, query, signed.url]).toEqual(['/a/c', 'x=1', 'https://iam.amazonaws.com/a/c?x=1'])
    expect(signed.canonicalRequest).toContain('\nhost:iam.amazonaws.com\n')
  })

  it('keeps a Host header the caller gives, and signs it', async () => {
    const signed = await signRequest({ ...get, headers: { host: 'proxy.example:8443' } }, base)
    expect(signed.canonicalRequest).toContain('\nhost:proxy.example:8443\n')
    expect(signed.headers.get('host')).toBe('proxy.example:8443')
  })

  it('adds no session-token header when omitSessionToken is set without a token', async () => {
    const signed = await signRequest(get, { ...base, omitSessionToken: true })
    expect(signed.headers.has('x-amz-security-token')).toBe(false)
    const withToken = await signRequest(get, { ...base, omitSessionToken: true, credentials: { ...credentials, sessionToken: 'tok' } })
    expect([withToken.headers.get('x-amz-security-token'), withToken.canonicalRequest.includes('x-amz-security-token')]).toEqual(['tok', false])
  })

  it('hashes long canonical requests whole (beyond the reused encoding buffer)', async () => {
    const long = 'v'.repeat(5_000)
    const signed = await signRequest({ method: 'POST', url: 'http://127.0.0.1:8787/', headers: { 'x-long': long, 'content-type': 'application/x-www-form-urlencoded' }, body: `Action=ListUsers&x=${'é'.repeat(3_000)}` }, base)
    const req = new Request(signed.url, { method: 'POST', headers: signed.headers, body: signed.body as BodyInit })
    expect(await verifyRequest(req, async () => credentials, { now: date })).toMatchObject({ ok: true })
  })

  it('hands fetch a copy of a body viewed over shared memory, with the same bytes', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8))
    shared.set([1, 2, 3, 4, 5, 6, 7, 8])
    const view = shared.subarray(2, 6)
    const signed = await signRequest({ method: 'PUT', url: 'https://s3.amazonaws.com/b/k', body: view }, { ...base, service: 's3' })
    const body = signed.body as Uint8Array
    expect(body.buffer instanceof ArrayBuffer).toBe(true)
    expect([...body]).toEqual([3, 4, 5, 6])
    const plain = new Uint8Array([3, 4, 5, 6])
    expect((await signRequest({ method: 'PUT', url: 'https://s3.amazonaws.com/b/k', body: plain }, { ...base, service: 's3' })).body).toBe(plain)
  })

  it('payloadHash: UNSIGNED-PAYLOAD, the empty hash, or the hex SHA-256', async () => {
    const subtle = globalThis.crypto.subtle
    expect(payloadHash(subtle, 'x', true)).toBe('UNSIGNED-PAYLOAD')
    expect(await payloadHash(subtle, '', false)).toBe(EMPTY_SHA256)
    expect(await payloadHash(subtle, null, false)).toBe(EMPTY_SHA256)
    expect(await payloadHash(subtle, 'abc', false)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('says so when there is no WebCrypto', async () => {
    const real = Object.getOwnPropertyDescriptor(globalThis, 'crypto') as PropertyDescriptor
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true })
    try {
      await expect(signRequest(get, { ...base, keyCache: false })).rejects.toThrow(/^SigV4: no WebCrypto \(crypto\.subtle; browsers: https or localhost only\)$/)
    } finally {
      Object.defineProperty(globalThis, 'crypto', real)
    }
  })
})

describe('the signer at its small edges', () => {
  it('uppercases exactly the methods fetch uppercases', async () => {
    const method = async (m: string) => (await signRequest({ method: m, url: 'https://iam.amazonaws.com/' }, base)).canonicalRequest.split('\n')[0]
    expect(await Promise.all(['get', 'Post', 'xget', 'getx', 'patch'].map(method))).toEqual(['GET', 'POST', 'xget', 'getx', 'patch'])
  })

  it('names a body without a constructor', async () => {
    await expect(signRequest({ method: 'POST', url: 'https://iam.amazonaws.com/', body: Object.create(null) as never }, base)).rejects.toThrow('SigV4: cannot hash a undefined body; sign with unsignedPayload')
  })

  it('signs a URL without a path as /', async () => {
    const signed = await signRequest({ method: 'GET', url: 'https://iam.amazonaws.com' }, base)
    expect([signed.canonicalRequest.split('\n')[1], signed.url]).toEqual(['/', 'https://iam.amazonaws.com/'])
  })
})
