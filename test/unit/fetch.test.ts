// iam-edge/fetch as a drop-in for aws4fetch: the same inferred service and region, the same
// signatures on the same requests, and what it adds (throttling codes, Retry-After, clock skew,
// credential providers, clear body rules).
import * as aws4fetch from 'aws4fetch'
import { describe, expect, it } from 'vitest'
import { AwsClient, AwsV4Signer, guessServiceRegion } from '../../src/fetch/index.js'
import { signRequest } from '../../src/sigv4/index.js'
import { verifyRequestV4a } from '../../src/sigv4a/index.js'

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const datetime = '20261123T100000Z'

const HOSTS = [
  'https://sqs.us-east-1.amazonaws.com/',
  'https://queue.amazonaws.com/',
  'https://sns.eu-west-1.amazonaws.com/',
  'https://dynamodb.us-west-2.amazonaws.com/',
  'https://my-bucket.s3.amazonaws.com/key',
  'https://my-bucket.s3.us-west-2.amazonaws.com/key',
  'https://s3.us-west-2.amazonaws.com/my-bucket/key',
  'https://s3-eu-west-1.amazonaws.com/b/k',
  'https://s3-external-1.amazonaws.com/b/k',
  'https://my-bucket.s3-accelerate.amazonaws.com/k',
  'https://my-bucket.s3.dualstack.eu-central-1.amazonaws.com/k',
  'https://s3-fips.us-gov-west-1.amazonaws.com/b',
  'https://sts-fips.us-east-2.amazonaws.com/',
  'https://iam.amazonaws.com/',
  'https://iam.us-gov.amazonaws.com/',
  'https://s3.cn-north-1.amazonaws.com.cn/b',
  'https://email.us-east-1.amazonaws.com/',
  'https://abc123.execute-api.us-east-1.amazonaws.com/prod/items',
  'https://abcdefg.lambda-url.eu-west-1.on.aws/',
  'https://account.r2.cloudflarestorage.com/bucket/key',
  'https://s3.us-west-004.backblazeb2.com/bucket/key',
  'https://iot.us-east-1.amazonaws.com/things',
  'https://data.jobs.iot.us-east-1.amazonaws.com/x',
  'https://a1b2c3-ats.iot.us-east-1.amazonaws.com/mqtt',
  'https://a1b2c3-ats.iot.us-east-1.amazonaws.com/topics/t',
  'https://us-east-1.ec2.amazonaws.com/',
  'https://autoscaling.us-east-1.amazonaws.com/',
]

describe('service and region from the host', () => {
  it.each(HOSTS)('%s as aws4fetch reads it', (url) => {
    const theirs = new aws4fetch.AwsV4Signer({ url, ...keys })
    expect(guessServiceRegion(new URL(url), new Headers())).toEqual([theirs.service, theirs.region === 'us-east-1' && !guessServiceRegion(new URL(url), new Headers())[1] ? '' : theirs.region])
  })

  it('reads the Application Auto Scaling target header as aws4fetch does', () => {
    const headers = new Headers({ 'x-amz-target': 'AnyScaleFrontendService.DescribeScalableTargets' })
    expect(guessServiceRegion(new URL('https://autoscaling.us-east-1.amazonaws.com/'), headers)).toEqual(['application-autoscaling', 'us-east-1'])
  })
})

type Case = { url: string; method?: string; headers?: Record<string, string>; body?: string; aws?: Record<string, unknown>; sessionToken?: string }
const CASES: Case[] = [
  { url: 'https://sqs.us-east-1.amazonaws.com/', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage&QueueUrl=https%3A%2F%2Fq&MessageBody=hi' },
  { url: 'https://dynamodb.us-west-2.amazonaws.com/', method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{"TableName":"t"}' },
  { url: 'https://my-bucket.s3.us-west-2.amazonaws.com/my%20file%2Bplus.txt' },
  { url: 'https://my-bucket.s3.us-west-2.amazonaws.com/dir/s%C3%BC%C3%9F.txt?versionId=abc%2F1' },
  { url: 'https://my-bucket.s3.us-west-2.amazonaws.com/up.bin', method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'x-amz-meta-owner': 'ci' }, body: 'payload' },
  { url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/items?limit=10&start=a%20b', headers: { accept: 'application/json' } },
  { url: 'https://abcdefg.lambda-url.eu-west-1.on.aws/hook', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
  { url: 'https://sns.eu-west-1.amazonaws.com/', method: 'POST', body: 'Action=Publish&Message=x', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' },
  { url: 'https://sqs.us-east-1.amazonaws.com/', method: 'POST', body: 'Action=ListQueues', sessionToken: 'tok', aws: { appendSessionToken: true } },
  { url: 'https://sqs.us-east-1.amazonaws.com/', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x', aws: { allHeaders: true } },
  { url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/a%20b', aws: { singleEncode: true } },
  { url: 'https://my-bucket.s3.us-west-2.amazonaws.com/report%20final.csv', aws: { signQuery: true } },
  { url: 'https://my-bucket.s3.us-west-2.amazonaws.com/r.csv?X-Amz-Expires=300', aws: { signQuery: true }, sessionToken: 'tok' },
  { url: 'https://sqs.us-east-1.amazonaws.com/?Action=ListQueues&X-Amz-Expires=60', aws: { signQuery: true } },
  // no X-Amz-Expires given: aws4fetch adds one for S3 only
  { url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', aws: { signQuery: true } },
  { url: 'https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15', aws: { signQuery: true }, sessionToken: 'tok' },
]

describe('AwsV4Signer', () => {
  it.each(CASES)('signs $url ($method) as aws4fetch does', async (c) => {
    const init = { url: c.url, ...keys, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), datetime, ...(c.method ? { method: c.method } : {}), ...(c.headers ? { headers: c.headers } : {}), ...(c.body ? { body: c.body } : {}), ...c.aws }
    const theirs = await new aws4fetch.AwsV4Signer(init).sign()
    const ours = await new AwsV4Signer(init).sign()
    if (c.aws?.signQuery) {
      expect(ours.url.searchParams.get('X-Amz-Signature')).toBe(theirs.url.searchParams.get('X-Amz-Signature'))
      expect(ours.url.searchParams.get('X-Amz-Expires')).toBe(theirs.url.searchParams.get('X-Amz-Expires'))
    } else {
      expect(ours.headers.get('authorization')).toBe(theirs.headers.get('authorization'))
      for (const [name, value] of theirs.headers) expect([name, ours.headers.get(name)]).toEqual([name, value])
    }
  })

  it('hashes a body once, and asks for x-amz-content-sha256 when it cannot hash one', async () => {
    const signer = new AwsV4Signer({ url: 'https://sqs.us-east-1.amazonaws.com/', ...keys, body: new URLSearchParams({ Action: 'ListQueues' }) })
    expect(await signer.hexBodyHash()).toBe(await new aws4fetch.AwsV4Signer({ url: 'https://sqs.us-east-1.amazonaws.com/', ...keys, body: 'Action=ListQueues' }).hexBodyHash())
    const stream = new ReadableStream({ start: (c) => c.close() })
    await expect(new AwsV4Signer({ url: 'https://sqs.us-east-1.amazonaws.com/', ...keys, body: stream }).sign()).rejects.toThrow('body: cannot hash a ReadableStream body; set X-Amz-Content-Sha256 (its hex SHA-256, or UNSIGNED-PAYLOAD)')
    await expect(new AwsV4Signer({ url: 'https://sqs.us-east-1.amazonaws.com/', ...keys, body: new Blob(['x']) }).sign()).rejects.toThrow(/cannot hash a Blob body/)
    const s3 = await new AwsV4Signer({ url: 'https://b.s3.us-east-1.amazonaws.com/k', ...keys, method: 'PUT', body: stream }).sign()
    expect(s3.headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD')
  })
})

// S3 URLs as users write them: dot segments and '//', '+', '%2F', '%20', raw and encoded non-ASCII,
// the characters encodeURIComponent leaves alone, and list / version / multipart queries
const S3_PATHS = [
  '/a/b/../c//d.txt',
  '/./x/./y.txt',
  '/bucket-key+with+plus',
  '/%E2%82%AC/x%2Fy',
  '/my%20file.txt',
  '/my file.txt',
  '/süß/ü.txt',
  "/it's%20(1)*!.txt",
  "/it's (1)*!.txt",
  '/tilde~ok-_.txt',
  '/dir/',
  '/%2B%2b%25.bin',
]
const S3_QUERIES = ['', '?list-type=2&prefix=dir%2F&delimiter=%2F', '?versions&prefix=a+b', '?versionId=3%2FL4kq%2BrmS&partNumber=1', "?prefix=it's(1)!"]
const S3_HOSTS = ['https://bucket.s3.us-west-2.amazonaws.com', 'https://s3.us-east-1.amazonaws.com/bucket']

describe('S3 URLs signed as they go on the wire', () => {
  const urls = S3_HOSTS.flatMap((host) => S3_PATHS.flatMap((path) => S3_QUERIES.map((q) => `${host}${path}${q}`)))
  it(`gives aws4fetch's signature for ${urls.length} S3 URLs × GET/PUT × header/presigned`, async () => {
    let compared = 0
    for (const url of urls) {
      for (const method of ['GET', 'PUT']) {
        for (const signQuery of [false, true]) {
          const init = { url, method, ...keys, datetime, signQuery, ...(method === 'PUT' ? { body: 'payload' } : {}) }
          const theirs = await new aws4fetch.AwsV4Signer(init).sign()
          const ours = await new AwsV4Signer(init).sign()
          const sig = (r: { url: URL; headers: Headers }) => (signQuery ? r.url.searchParams.get('X-Amz-Signature') : r.headers.get('authorization'))
          expect([url, method, signQuery, sig(ours)]).toEqual([url, method, signQuery, sig(theirs)])
          // and both send the same URL
          expect(ours.url.pathname).toBe(theirs.url.pathname)
          compared++
        }
      }
    }
    expect(compared).toBe(urls.length * 4)
  })

  it('signs S3 paths by S3’s reading: + a space, %2F a slash, one encoding', async () => {
    const s3 = { credentials: keys, region: 'us-east-1', service: 's3', normalizePath: false, singleEncode: true } as const
    const path = async (url: string) => (await signRequest({ method: 'GET', url }, s3)).canonicalRequest.split('\n')[1]
    expect(await path('https://b.s3.amazonaws.com/key+with+plus')).toBe('/key%20with%20plus')
    expect(await path('https://b.s3.amazonaws.com/%E2%82%AC/x%2Fy')).toBe('/%E2%82%AC/x/y')
    expect(await path('https://b.s3.amazonaws.com/a%2Bb')).toBe('/a%2Bb')
    // signRequest signs a string as written; the fetch signer, what fetch sends
    expect(await path('https://b.s3.amazonaws.com/a/b/../c//d.txt')).toBe('/a/b/../c//d.txt')
    const viaFetch = await new AwsV4Signer({ url: 'https://b.s3.amazonaws.com/a/b/../c//d.txt', ...keys, datetime }).sign()
    expect(viaFetch.url.pathname).toBe('/a/c//d.txt')
  })
})

function scripted(answers: Array<() => Response>) {
  const seen: Request[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Request(input, init))
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    return next()
  }
  return { fetch: fetch as typeof globalThis.fetch, seen }
}
const xmlError = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`, { status, headers })

describe('AwsClient', () => {
  it('retries on throttling codes, 5xx and 429 but not on other client errors', async () => {
    const s = scripted([() => xmlError(400, 'Throttling'), () => new Response('{"__type":"com.amazonaws.dynamodb#ThrottlingException"}', { status: 400 }), () => xmlError(503, 'SlowDown'), () => new Response('ok')])
    const aws = new AwsClient({ ...keys, initRetryMs: 1, fetch: s.fetch })
    const res = await aws.fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'POST', body: 'Action=ListQueues' })
    expect([res.status, await res.text(), s.seen.length]).toEqual([200, 'ok', 4])
    const denied = scripted([() => xmlError(403, 'AccessDenied'), () => new Response('unexpected')])
    const once = await new AwsClient({ ...keys, initRetryMs: 1, fetch: denied.fetch }).fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'POST', body: 'x' })
    expect([once.status, denied.seen.length]).toEqual([403, 1])
    expect(await once.text()).toContain('AccessDenied')
  })

  it('waits as Retry-After says and stops after `retries`', async () => {
    const s = scripted([() => xmlError(429, 'TooManyRequestsException', { 'retry-after': '0' }), () => xmlError(429, 'TooManyRequestsException', { 'retry-after': '0' })])
    const res = await new AwsClient({ ...keys, retries: 1, fetch: s.fetch }).fetch('https://sns.us-east-1.amazonaws.com/', { method: 'POST', body: 'x' })
    expect([res.status, s.seen.length]).toEqual([429, 2])
  })

  it('learns a skewed clock from Date and signs again with the server’s time', async () => {
    const server = new Date(Date.now() + 3 * 3600_000)
    const s = scripted([() => xmlError(403, 'RequestTimeTooSkewed', { date: server.toUTCString() }), () => new Response('ok')])
    const res = await new AwsClient({ ...keys, fetch: s.fetch }).fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'POST', body: 'x' })
    expect(res.status).toBe(200)
    const second = s.seen[1]?.headers.get('x-amz-date') ?? ''
    const signedAt = Date.parse(`${second.slice(0, 4)}-${second.slice(4, 6)}-${second.slice(6, 8)}T${second.slice(9, 11)}:${second.slice(11, 13)}:${second.slice(13, 15)}Z`)
    expect(Math.abs(signedAt - server.getTime())).toBeLessThan(60_000)
  })

  it('asks a credential provider before each request', async () => {
    let n = 0
    const credentials = async () => ({ accessKeyId: `AKIDROTATED${++n}`, secretAccessKey: 's', sessionToken: `t${n}` })
    const s = scripted([() => new Response('a'), () => new Response('b')])
    const aws = new AwsClient({ credentials, fetch: s.fetch, service: 'sqs', region: 'us-east-1' })
    await aws.fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'POST', body: 'x' })
    await aws.fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'POST', body: 'x' })
    expect(s.seen.map((r) => [/Credential=(\w+)\//.exec(r.headers.get('authorization') ?? '')?.[1], r.headers.get('x-amz-security-token')])).toEqual([
      ['AKIDROTATED1', 't1'],
      ['AKIDROTATED2', 't2'],
    ])
  })

  it('signs a Request as aws4fetch does, and does not retry a streamed upload', async () => {
    const req = new Request('https://sqs.us-east-1.amazonaws.com/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListQueues' })
    const ours = await new AwsClient({ ...keys }).sign(req, { aws: { datetime } })
    const theirs = await new aws4fetch.AwsClient({ ...keys }).sign(req, { aws: { datetime } })
    expect(ours.headers.get('authorization')).toBe(theirs.headers.get('authorization'))
    const s = scripted([() => xmlError(503, 'ServiceUnavailable'), () => new Response('never')])
    const body = new ReadableStream({ start: (c) => { c.enqueue(new TextEncoder().encode('x')); c.close() } })
    const res = await new AwsClient({ ...keys, fetch: s.fetch }).fetch('https://b.s3.us-east-1.amazonaws.com/k', { method: 'PUT', body, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })
    expect([res.status, s.seen.length]).toEqual([503, 1])
  })

  it('names what is missing', () => {
    expect(() => new AwsClient({ secretAccessKey: 'x' })).toThrow('accessKeyId is a required option')
    expect(() => new AwsClient({ ...keys, retries: -1 })).toThrow(/retries/)
    expect(() => new AwsV4Signer({ url: 'https://example.com/', ...keys })).toThrow(/cannot tell the service from example.com/)
  })
})

describe('SigV4a through AwsClient', () => {
  const now = new Date('2026-11-23T10:00:00Z')
  const lookup = (id: string) => (id === keys.accessKeyId ? keys : undefined)
  const mrap = 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/a%20b.jpg'

  it('signs an S3 Multi-Region Access Point host with SigV4a by itself, valid in every region, and the signature verifies', async () => {
    const signer = new AwsV4Signer({ url: mrap, ...keys, datetime })
    expect([signer.sigv4a, signer.service, signer.region]).toEqual([true, 's3', '*'])
    const req = await new AwsClient({ ...keys }).sign(mrap, { aws: { datetime } })
    expect(req.headers.get('authorization')).toMatch(/^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/20261123\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature=30[\da-f]+$/)
    expect([req.headers.get('x-amz-region-set'), req.headers.get('x-amz-content-sha256')]).toEqual(['*', 'UNSIGNED-PAYLOAD'])
    const s3 = { now, normalizePath: false, singleEncode: true, allowUnsignedPayload: true }
    expect(await verifyRequestV4a(req, lookup, s3)).toMatchObject({ ok: true, region: '*', service: 's3', form: 'header' })
    // the path is signed as S3 reads it (encoded once), as for SigV4: read twice-encoded, it does not match
    expect(await verifyRequestV4a(req, lookup, { ...s3, singleEncode: false })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' })
  })

  it('presigns with X-Amz-Region-Set: a Multi-Region Access Point URL as S3 presigns, any service on request', async () => {
    const req = await new AwsClient({ ...keys }).sign(mrap, { aws: { datetime, signQuery: true } })
    const url = new URL(req.url)
    expect([url.searchParams.get('X-Amz-Algorithm'), url.searchParams.get('X-Amz-Region-Set'), url.searchParams.get('X-Amz-Expires')]).toEqual(['AWS4-ECDSA-P256-SHA256', '*', '86400'])
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261123/s3/aws4_request')
    // (an S3 presigned URL signs UNSIGNED-PAYLOAD, which verifyRequest does not assume for a query)
    const sqs = await new AwsClient({ ...keys, sigv4a: true }).sign('https://sqs.us-east-1.amazonaws.com/?Action=ListQueues', { aws: { datetime, signQuery: true } })
    expect(await verifyRequestV4a(new Request(sqs.url), lookup, { now })).toMatchObject({ ok: true, form: 'query', region: '*', service: 'sqs' })
  })

  it('signs any service with SigV4a on request, client-wide or per request, for the region set given', async () => {
    const url = 'https://sqs.us-east-1.amazonaws.com/'
    const init = { method: 'POST', body: 'Action=ListQueues', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
    const client = new AwsClient({ ...keys, sigv4a: true, regionSet: ['us-east-1', 'us-west-2'] })
    const signed = await client.sign(url, { ...init, aws: { datetime } })
    expect(signed.headers.get('x-amz-region-set')).toBe('us-east-1,us-west-2')
    expect(await verifyRequestV4a(signed, lookup, { now })).toMatchObject({ ok: true, service: 'sqs', region: 'us-east-1,us-west-2' })
    const perRequest = await new AwsClient({ ...keys }).sign(url, { ...init, aws: { datetime, sigv4a: true, regionSet: ['eu-*'] } })
    expect(perRequest.headers.get('x-amz-region-set')).toBe('eu-*')
    expect((await verifyRequestV4a(perRequest, lookup, { now })).ok).toBe(true)
    // and SigV4 stays SigV4: a SigV4 signature is not accepted by the SigV4a check
    const v4 = await new AwsClient({ ...keys }).sign(url, { ...init, aws: { datetime } })
    expect(v4.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 /)
    // a client-wide sigv4a can be turned off for one request
    const off = await client.sign(url, { ...init, aws: { datetime, sigv4a: false, regionSet: undefined } })
    expect(off.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 /)
  })

  it('names a region set given without SigV4a, and a bad region set', async () => {
    expect(() => new AwsV4Signer({ url: 'https://sqs.us-east-1.amazonaws.com/', ...keys, regionSet: ['us-east-1'] })).toThrow('regionSet: SigV4a only; set sigv4a: true as well')
    await expect(new AwsClient({ ...keys, sigv4a: true, regionSet: [] }).sign('https://sqs.us-east-1.amazonaws.com/')).rejects.toThrow(/regionSet must be a non-empty array/)
  })
})
