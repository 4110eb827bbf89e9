import { describe, expect, it, vi } from 'vitest'
import { presignRequest, SigningKeyCache, Signer, signRequest, type SignOptions } from '../../src/sigv4/index.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const base: SignOptions = { credentials, region: 'us-east-1', service: 'iam', date: new Date('2026-01-02T03:04:05Z') }
const req = { method: 'POST', url: 'https://iam.amazonaws.com/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' }

describe('signRequest input checks', () => {
  it.each([
    ['credentials', { ...base, credentials: undefined as never }, /^credentials\.accessKeyId: must be a non-empty string$/],
    ['accessKeyId', { ...base, credentials: { ...credentials, accessKeyId: '' } }, /credentials.accessKeyId/],
    ['secretAccessKey', { ...base, credentials: { accessKeyId: 'A' } as never }, /credentials.secretAccessKey/],
    ['region', { ...base, region: '' }, /invalid region ""/],
    ['service', { ...base, service: 'i am' }, /invalid service "i am"/],
    ['date', { ...base, date: new Date('nope') }, /invalid Date/],
  ])('names a bad %s', async (_, options, message) => {
    await expect(signRequest(req, options)).rejects.toThrow(message)
  })

  it('names an unparseable URL', async () => {
    await expect(signRequest({ ...req, url: 'not a url' }, base)).rejects.toThrow(/invalid URL "not a url"/)
  })

  it('refuses a non-ASCII or malformed header name', async () => {
    await expect(signRequest({ ...req, headers: [['x-naïve', '1']] }, base)).rejects.toThrow(/invalid header name "x-naïve"/)
    await expect(signRequest({ ...req, headers: [['bad name', '1']] }, base)).rejects.toThrow(/invalid header name/)
  })

  it('refuses a stream body unless the payload is unsigned', async () => {
    const body = new ReadableStream() as unknown as string
    await expect(signRequest({ ...req, body }, base)).rejects.toThrow(/cannot hash a ReadableStream body.*unsignedPayload/)
    const signed = await signRequest({ ...req, body }, { ...base, unsignedPayload: true })
    expect(signed.headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD')
    expect(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true)
  })

  it('refuses expiresIn outside 1..604800', async () => {
    for (const expiresIn of [0, 604_801, 1.5, Number.NaN]) {
      await expect(presignRequest(req, { ...base, expiresIn })).rejects.toThrow(RangeError)
    }
    await expect(presignRequest(req, { ...base, expiresIn: 604_800 })).resolves.toBeDefined()
  })

  it('leaves X-Amz-Expires out with expiresIn: null, signing the query without it', async () => {
    const { url, canonicalRequest } = await presignRequest({ method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08' }, { ...base, expiresIn: null })
    expect(url).not.toContain('X-Amz-Expires')
    expect(canonicalRequest).not.toContain('X-Amz-Expires')
    const given = await presignRequest({ method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08' }, base)
    expect(new URL(given.url).searchParams.get('X-Amz-Expires')).toBe('3600')
  })

  it('refuses to presign a URL that is signed already', async () => {
    const { url } = await presignRequest({ method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers' }, base)
    await expect(presignRequest({ method: 'GET', url }, base)).rejects.toThrow(/already carries X-Amz-Algorithm/)
  })
})

describe('signRequest output', () => {
  it('hashes strings, ArrayBuffers and views of the same bytes alike', async () => {
    const bytes = new TextEncoder().encode(req.body)
    const padded = new Uint8Array(bytes.length + 4)
    padded.set(bytes, 2)
    const sigs = await Promise.all(
      [req.body, bytes.buffer, bytes, new DataView(padded.buffer, 2, bytes.length)].map(async (body) => (await signRequest({ ...req, body }, base)).signature),
    )
    expect(new Set(sigs).size).toBe(1)
  })

  it('signs the session token, or adds it unsigned with omitSessionToken', async () => {
    const withToken = { ...base, credentials: { ...credentials, sessionToken: 'TOKEN' } }
    const signed = await signRequest(req, withToken)
    expect(signed.headers.get('authorization')).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,')
    const omitted = await signRequest(req, { ...withToken, omitSessionToken: true })
    expect(omitted.headers.get('x-amz-security-token')).toBe('TOKEN')
    expect(omitted.headers.get('authorization')).toContain('SignedHeaders=content-type;host;x-amz-date,')
  })

  it('leaves hop-by-hop and runtime-owned headers unsigned but sends them', async () => {
    const signed = await signRequest({ ...req, headers: { 'user-agent': 'x', 'accept-encoding': 'gzip', 'x-amz-target': 't' } }, base)
    expect(signed.headers.get('authorization')).toContain('SignedHeaders=host;x-amz-date;x-amz-target,')
    expect(signed.headers.get('user-agent')).toBe('x')
  })

  it('does not put Host in the returned headers unless given (fetch sets it)', async () => {
    expect((await signRequest(req, base)).headers.has('host')).toBe(false)
    expect((await signRequest({ ...req, headers: { Host: 'iam.amazonaws.com' } }, base)).headers.get('host')).toBe('iam.amazonaws.com')
  })

  it('replaces a stale Authorization and x-amz-date', async () => {
    const signed = await signRequest({ ...req, headers: { Authorization: 'old', 'X-Amz-Date': '20000101T000000Z' } }, base)
    expect(signed.headers.get('x-amz-date')).toBe('20260102T030405Z')
    expect(signed.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/us-east-1\/iam\/aws4_request/)
  })

  it('signBody adds x-amz-content-sha256 with the body hash', async () => {
    const signed = await signRequest(req, { ...base, signBody: true })
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(req.body)))
    expect(signed.headers.get('x-amz-content-sha256')).toBe([...digest].map((b) => b.toString(16).padStart(2, '0')).join(''))
  })

  it('uppercases the methods fetch normalizes and keeps others as written', async () => {
    expect((await signRequest({ ...req, method: 'post' }, base)).method).toBe('POST')
    expect((await signRequest({ ...req, method: 'patch' }, base)).method).toBe('patch')
  })

  it('keeps the path as written when normalizePath is false', async () => {
    const signed = await signRequest({ method: 'GET', url: 'https://s3.amazonaws.com/a//b/../c' }, { ...base, normalizePath: false })
    expect(signed.canonicalRequest.split('\n')[1]).toBe('/a//b/../c')
    expect(signed.url).toBe('https://s3.amazonaws.com/a//b/../c')
  })
})

describe('the Headers object is made only when read', () => {
  it('once per signed request, and never by presigning', async () => {
    const made = vi.fn()
    const Original = globalThis.Headers
    class Counting extends Original {
      constructor(init?: HeadersInit) {
        super(init)
        made()
      }
    }
    vi.stubGlobal('Headers', Counting)
    try {
      const options = { credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, region: 'us-east-1', service: 'iam' }
      const request = { method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers', headers: { 'x-a': '1' } }
      await presignRequest(request, options)
      const signed = await signRequest(request, options)
      expect(made).not.toHaveBeenCalled()
      expect(signed.headers).toBe(signed.headers)
      expect(made).toHaveBeenCalledTimes(1)
      expect([...signed.headers.keys()]).toEqual(['authorization', 'x-a', 'x-amz-date'])
      // a getter on the prototype: Request and fetch read it like a field, a spread must name it
      expect(new Request(signed.url, signed).headers.get('authorization')).toBe(signed.headers.get('authorization'))
      expect(Object.keys(signed)).not.toContain('headers')
      expect(new Request(signed.url, { ...signed, headers: signed.headers }).headers.get('x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('signing-key cache', () => {
  it('is bounded and evicts the oldest entry', async () => {
    const cache = new SigningKeyCache(2)
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) await signRequest(req, { ...base, region, keyCache: cache })
    expect(cache.size).toBe(2)
  })

  it('gives the same signatures as deriving each time', async () => {
    const signer = new Signer({ credentials, region: 'us-east-1', service: 'iam', now: () => base.date as Date })
    const a = await signer.sign(req)
    const b = await signer.sign(req)
    const c = await signRequest(req, base)
    expect([a.signature, b.signature]).toEqual([c.signature, c.signature])
    expect(signer.keyCache.size).toBe(1)
  })

  it('notices a credentials object whose secret changed', async () => {
    const cache = new SigningKeyCache()
    const creds = { ...credentials }
    const first = await signRequest(req, { ...base, credentials: creds, keyCache: cache })
    creds.secretAccessKey = 'another-secret'
    const second = await signRequest(req, { ...base, credentials: creds, keyCache: cache })
    expect(second.signature).not.toBe(first.signature)
    expect(second.signature).toBe((await signRequest(req, { ...base, credentials: { ...creds } })).signature)
  })

  it('derives again after clear() and for a new scope on the same credentials object', async () => {
    const cache = new SigningKeyCache()
    const creds = { ...credentials }
    const imports = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    try {
      await signRequest(req, { ...base, credentials: creds, keyCache: cache })
      const derived = imports.mock.calls.length
      await signRequest(req, { ...base, credentials: creds, keyCache: cache })
      expect(imports.mock.calls.length).toBe(derived)
      cache.clear()
      await signRequest(req, { ...base, credentials: creds, keyCache: cache })
      expect(imports.mock.calls.length).toBe(2 * derived)
      const west = await signRequest(req, { ...base, region: 'us-west-2', credentials: creds, keyCache: cache })
      expect(imports.mock.calls.length).toBe(3 * derived)
      expect(west.signature).toBe((await signRequest(req, { ...base, region: 'us-west-2', credentials: { ...creds }, keyCache: false })).signature)
      // back to the first scope: still cached, not derived again
      await signRequest(req, { ...base, credentials: creds, keyCache: cache })
      expect(imports.mock.calls.length).toBe(3 * derived + 5)
    } finally {
      imports.mockRestore()
    }
  })

  it('does not keep a derivation that failed', async () => {
    const cache = new SigningKeyCache()
    const creds = { ...credentials }
    const real = globalThis.crypto.subtle
    let failing = true
    const subtle = {
      digest: real.digest.bind(real),
      sign: real.sign.bind(real),
      importKey: (...args: Parameters<SubtleCrypto['importKey']>) => (failing ? Promise.reject(new Error('HSM offline')) : real.importKey(...args)),
    } as Pick<SubtleCrypto, 'digest' | 'importKey' | 'sign'>
    await expect(signRequest(req, { ...base, credentials: creds, keyCache: cache, subtle })).rejects.toThrow('HSM offline')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(cache.size).toBe(0)
    failing = false
    const ok = await signRequest(req, { ...base, credentials: creds, keyCache: cache, subtle })
    expect(ok.signature).toBe((await signRequest(req, base)).signature)
  })

  it('refuses a size that is not a positive integer', () => {
    expect(() => new SigningKeyCache(0)).toThrow(RangeError)
    expect(() => new SigningKeyCache(2.5)).toThrow(/positive integer/)
  })
})

describe('the free functions are fast by default', () => {
  const req = { method: 'POST', url: 'https://iam.amazonaws.com/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' }
  const opts = (secret: string) => ({ credentials: { accessKeyId: 'AKIDSHAREDCACHE', secretAccessKey: secret }, region: 'us-east-1', service: 'iam', date: new Date('2026-11-23T10:00:00Z') })

  async function importsDuring(run: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    try {
      await run()
      return spy.mock.calls.length
    } finally {
      spy.mockRestore()
    }
  }

  it('derive a key once per secret and scope, then reuse it from the shared bounded cache', async () => {
    const o = opts(`secret-${Math.random()}`)
    expect(await importsDuring(() => signRequest(req, o))).toBe(5)
    expect(await importsDuring(() => signRequest(req, { ...o, credentials: { ...o.credentials } }))).toBe(0)
    expect(await importsDuring(() => presignRequest(req, o))).toBe(0)
    expect(await importsDuring(() => signRequest(req, { ...o, region: 'eu-west-1' }))).toBe(5)
  })

  it('derive afresh with keyCache: false, and notice a secret changed on the same object', async () => {
    const o = opts(`secret-${Math.random()}`)
    await signRequest(req, o)
    expect(await importsDuring(() => signRequest(req, { ...o, keyCache: false }))).toBe(5)
    const before = (await signRequest(req, o)).signature
    o.credentials.secretAccessKey = `rotated-${Math.random()}`
    const after = await signRequest(req, o)
    expect(after.signature).not.toBe(before)
    expect(after.signature).toBe((await signRequest(req, { ...o, keyCache: false })).signature)
  })
})

describe('concurrent signing', () => {
  // the signer encodes WebCrypto input into a reused buffer: every call must have copied it
  // before the next one writes there, whatever the runtime's crypto does asynchronously
  it('gives each of 200 concurrent requests the signature it gets alone', async () => {
    const requests = Array.from({ length: 200 }, (_, i) => ({
      method: i % 3 === 0 ? 'GET' : 'POST',
      url: `https://iam.amazonaws.com/?n=${i}${'x'.repeat(i * 13)}`, // some past the 2 KB the URL cache keeps
      headers: { 'x-amz-meta-i': String(i).repeat(1 + (i % 50)) },
      body: i % 3 === 0 ? undefined : `Action=ListUsers&Version=2010-05-08&Marker=${'m'.repeat(i * 31)}`,
    }))
    const options = { credentials, region: 'us-east-1', service: 'iam', date: new Date('2026-11-23T10:00:00Z') }
    const together = await Promise.all(requests.map((r, i) => (i % 2 ? signRequest(r, options) : presignRequest(r, options))))
    for (const [i, r] of requests.entries()) {
      const alone = await (i % 2 ? signRequest(r, options) : presignRequest(r, options))
      expect(together[i]?.signature).toBe(alone.signature)
      expect(together[i]?.canonicalRequest).toBe(alone.canonicalRequest)
    }
    // and the same as deriving with fresh buffers (a caller's own subtle gets no shared buffer)
    const fresh = await signRequest(requests[1] as (typeof requests)[number], { ...options, subtle: globalThis.crypto.subtle, keyCache: false })
    expect(together[1]?.signature).toBe(fresh.signature)
  })
})
