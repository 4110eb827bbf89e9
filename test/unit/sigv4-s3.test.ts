// S3's signing rules in the signer: the path encoded once (singleEncode), the caller's own
// x-amz-content-sha256 signed as given, the session token reserved when presigning. Held to
// aws4fetch and to botocore's S3 signer on the same requests at the same instant.
import { spawnSync } from 'node:child_process'
import { AwsV4Signer } from 'aws4fetch'
import { describe, expect, it } from 'vitest'
import { EMPTY_SHA256 } from '../../src/sigv4/sign.js'
import { presignRequest, signRequest } from '../../src/sigv4/index.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const date = new Date('2026-11-23T10:00:00Z')
const amzDate = '20261123T100000Z'
const HOST = 'https://reports.s3.us-east-1.amazonaws.com'
const s3 = { credentials, region: 'us-east-1', service: 's3', date, normalizePath: false, singleEncode: true } as const
// keys as S3 users name them, written on the wire as botocore writes them (RFC 3986, '/' kept)
const KEYS = ['my file.txt', 'a+b.txt', 'dir/süß ü.txt', "it's (1)*.txt", 'tilde~ok.txt', 'x%2Fy.txt', '日本/レポート.csv']
const wire = (key: string) => `/${key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`
const QUERIES = ['', '?list-type=2&prefix=dir%2F&delimiter=%2F', '?versionId=3%2FL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY&partNumber=1']
const signatureOf = (authorization: string | null) => /Signature=([0-9a-f]{64})/.exec(authorization ?? '')?.[1]

describe('S3 signing', () => {
  it('signs /my%20file.txt once encoded, however the space is written', async () => {
    const encoded = await signRequest({ method: 'GET', url: `${HOST}/my%20file.txt` }, s3)
    const raw = await signRequest({ method: 'GET', url: `${HOST}/my file.txt` }, s3)
    expect(encoded.canonicalRequest.split('\n')[1]).toBe('/my%20file.txt')
    expect(raw.signature).toBe(encoded.signature)
    const twice = await signRequest({ method: 'GET', url: `${HOST}/my%20file.txt` }, { ...s3, singleEncode: false })
    expect(twice.canonicalRequest.split('\n')[1]).toBe('/my%2520file.txt')
  })

  it('signs the x-amz-content-sha256 the caller gives, even for a stream it cannot hash', async () => {
    const body = new ReadableStream({ start: (c) => c.close() })
    const signed = await signRequest({ method: 'PUT', url: `${HOST}/upload.bin`, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body }, s3)
    expect(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true)
    expect(signed.canonicalRequest).toContain('x-amz-content-sha256:UNSIGNED-PAYLOAD')
    const hashed = await signRequest({ method: 'PUT', url: `${HOST}/a.txt`, headers: { 'x-amz-content-sha256': 'ab'.repeat(32) }, body: 'not what the header says' }, s3)
    expect(hashed.canonicalRequest.endsWith(`\n${'ab'.repeat(32)}`)).toBe(true)
  })

  it('refuses a URL that already carries X-Amz-Security-Token when presigning', async () => {
    await expect(presignRequest({ method: 'GET', url: `${HOST}/a.txt?X-Amz-Security-Token=abc` }, { ...s3, credentials: { ...credentials, sessionToken: 'tok' } })).rejects.toThrow(
      /already carries X-Amz-Security-Token; presigning adds it/,
    )
  })

  const requests = KEYS.flatMap((key) => QUERIES.map((q) => `${HOST}${wire(key)}${q}`))

  it(`gives aws4fetch's signatures for ${requests.length} S3 requests (header and presigned)`, async () => {
    for (const url of requests) {
      const theirs = await new AwsV4Signer({ url, method: 'GET', ...credentials, service: 's3', region: 'us-east-1', datetime: amzDate, headers: { 'X-Amz-Content-Sha256': EMPTY_SHA256 } }).sign()
      const ours = await signRequest({ method: 'GET', url, headers: { 'x-amz-content-sha256': EMPTY_SHA256 } }, s3)
      expect([url, ours.signature]).toEqual([url, signatureOf(theirs.headers.get('authorization'))])
      const theirPresign = await new AwsV4Signer({ url, method: 'GET', ...credentials, service: 's3', region: 'us-east-1', datetime: amzDate, signQuery: true }).sign()
      const ourPresign = await presignRequest({ method: 'GET', url }, { ...s3, expiresIn: 86400, unsignedPayload: true })
      expect([url, ourPresign.signature]).toEqual([url, theirPresign.url.searchParams.get('X-Amz-Signature')])
    }
  })

  it(`gives botocore's S3 signatures for the same ${requests.length} requests`, async () => {
    const py = spawnSync('python3', ['test/support/botocore-s3-sign.py'], { input: JSON.stringify({ ...credentials, amzDate, requests: requests.map((url) => ({ method: 'GET', url })) }), encoding: 'utf8' })
    if (py.status !== 0) {
      if (process.env.CI) throw new Error(`botocore is needed for this test: ${py.stderr}`)
      console.warn('skipping: python3 with botocore not found')
      return
    }
    const theirs = JSON.parse(py.stdout) as string[]
    for (const [i, url] of requests.entries()) {
      const ours = await signRequest({ method: 'GET', url, headers: { 'x-amz-content-sha256': EMPTY_SHA256 } }, s3)
      expect([url, ours.signature]).toEqual([url, signatureOf(theirs[i] as string)])
    }
  })
})
