// What the signer keeps between signatures must never change an answer: the canonical URI and
// query kept per URL and path options, the hex buffer reused for digests, the result's shape.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { presignRequest, signRequest, toAmzDate, toHex } from '../../src/sigv4/index.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const base = { credentials, region: 'us-east-1', service: 's3', date: new Date(Date.UTC(2026, 11, 6)) }

describe('toHex', () => {
  it('any length, before and after a 32-byte digest', () => {
    for (const n of [0, 1, 2, 31, 32, 33, 40, 64, 100]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + 11) & 255)
      expect([n, toHex(bytes)]).toEqual([n, Buffer.from(bytes).toString('hex')])
      expect([n, toHex(bytes.buffer)]).toEqual([n, Buffer.from(bytes).toString('hex')])
    }
    const digest = createHash('sha256').update('x').digest()
    expect(toHex(new Uint8Array(digest))).toBe(digest.toString('hex'))
    expect(toHex(new Uint8Array([0xff]))).toBe('ff')
  })
})

describe('the canonical URI and query kept per URL', () => {
  const url = 'https://examplebucket.s3.amazonaws.com/a//b/../c+d%2Fe.txt?b=2&a=1'
  it('one URL signed with each combination of path options gives each its own canonical URI', async () => {
    const seen: string[] = []
    for (let round = 0; round < 2; round++) {
      for (const normalizePath of [true, false]) {
        for (const singleEncode of [true, false]) {
          const signed = await signRequest({ method: 'GET', url }, { ...base, normalizePath, singleEncode })
          const uri = signed.canonicalRequest.split('\n')[1] as string
          if (round === 0) seen.push(uri)
          else expect([normalizePath, singleEncode, uri]).toEqual([normalizePath, singleEncode, seen.shift()])
        }
      }
    }
    const again = async (normalizePath: boolean, singleEncode: boolean) => (await signRequest({ method: 'GET', url }, { ...base, normalizePath, singleEncode })).canonicalRequest.split('\n')[1]
    expect(await again(true, false)).toBe('/a/c%2Bd%252Fe.txt')
    expect(await again(false, true)).toBe('/a//b/../c%20d/e.txt')
    expect(await again(true, true)).toBe('/a/c%20d/e.txt')
    expect(await again(false, false)).toBe('/a//b/../c%2Bd%252Fe.txt')
  })

  it('a presigned URL of the same URL neither reads nor writes what signing kept', async () => {
    const signed = await signRequest({ method: 'GET', url }, base)
    const presigned = await presignRequest({ method: 'GET', url }, base)
    expect(presigned.canonicalRequest.split('\n')[2]).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256')
    const signedAgain = await signRequest({ method: 'GET', url }, base)
    expect(signedAgain.canonicalRequest).toBe(signed.canonicalRequest)
    expect(signedAgain.canonicalRequest.split('\n')[2]).toBe('a=1&b=2')
  })

  it('a presigned request is the URL and how it was signed, nothing more', async () => {
    const presigned = await presignRequest({ method: 'GET', url }, base)
    expect(Object.keys(presigned).sort()).toEqual(['canonicalRequest', 'signature', 'stringToSign', 'url'])
    const signed = await signRequest({ method: 'GET', url }, base)
    expect(Object.keys(signed).sort()).toEqual(['body', 'canonicalRequest', 'method', 'signature', 'stringToSign', 'url'])
    expect(signed.headers.get('x-amz-date')).toBe('20261206T000000Z')
  })
})

describe('toAmzDate', () => {
  it('a Date or milliseconds; an invalid one refused', () => {
    expect(toAmzDate(Date.UTC(2026, 11, 6, 1, 2, 3, 999))).toBe('20261206T010203Z')
    expect(toAmzDate(new Date(Date.UTC(2026, 11, 6, 1, 2, 4)))).toBe('20261206T010204Z')
    expect(() => toAmzDate(Number.NaN)).toThrow('SigV4: date is an invalid Date')
    expect(() => toAmzDate(new Date(Number.NaN))).toThrow('SigV4: date is an invalid Date')
  })
})
