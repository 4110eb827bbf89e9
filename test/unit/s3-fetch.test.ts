// AwsClient's upload options against a fetch that records what it is given: checksums asked for
// and given by default, chunked streams, the abort signal, and the headers left unsigned.
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { AwsClient } from '../../src/fetch/index.js'
import { checksum, encodedLength } from '../../src/s3/index.js'

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const BUCKET = 'https://uploads-bucket.s3.us-east-1.amazonaws.com'

function recording() {
  const sent: Request[] = []
  const client = new AwsClient({
    ...keys,
    retries: 0,
    fetch: async (input, init) => {
      const req = new Request(input, init)
      sent.push(req)
      if (req.body) await req.arrayBuffer()
      return new Response('', { status: 200 })
    },
  })
  return { client, sent, last: () => sent.at(-1) as Request }
}
const signedNames = (req: Request) => (/SignedHeaders=([^,]+)/.exec(req.headers.get('authorization') ?? '')?.[1] ?? '').split(';')
const crcOf = (text: string) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(crc32(text))
  return b.toString('base64')
}

describe('AwsClient: checksums', () => {
  it('DeleteObjects gets a signed CRC32 unasked', async () => {
    const { client, last } = recording()
    const body = '<Delete><Object><Key>a</Key></Object></Delete>'
    await client.fetch(`${BUCKET}/?delete`, { method: 'POST', body })
    expect(last().headers.get('x-amz-checksum-crc32')).toBe(crcOf(body))
    expect(last().headers.get('x-amz-sdk-checksum-algorithm')).toBe('CRC32')
    expect(signedNames(last())).toEqual(expect.arrayContaining(['x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm']))
  })

  it('a configuration PUT too; a GET of it, PutObject, UploadPart, a request with Content-MD5 or its own checksum do not', async () => {
    const { client, last } = recording()
    await client.fetch(`${BUCKET}/?tagging`, { method: 'PUT', body: '<Tagging/>' })
    expect(last().headers.get('x-amz-checksum-crc32')).toBe(crcOf('<Tagging/>'))
    for (const [url, init] of [
      [`${BUCKET}/?tagging`, { method: 'GET' }],
      [`${BUCKET}/key.txt`, { method: 'PUT', body: 'x' }],
      [`${BUCKET}/key.txt?partNumber=1&uploadId=u`, { method: 'PUT', body: 'x' }],
      [`${BUCKET}/?delete`, { method: 'POST', body: 'x', headers: { 'content-md5': 'LRcKVgNDZwuc1zj1SvnQTw==' } }],
      [`${BUCKET}/?delete`, { method: 'POST', body: 'x', headers: { 'x-amz-checksum-sha256': 'abc=' } }],
    ] as const) {
      await client.fetch(url, init)
      expect([url, init.method, last().headers.get('x-amz-checksum-crc32')]).toEqual([url, init.method, null])
    }
  })

  it('a checksum asked for, on any call, in any case', async () => {
    const { client, last } = recording()
    await client.fetch(`${BUCKET}/key.txt`, { method: 'PUT', body: 'hello', aws: { checksum: 'SHA256' as 'sha256' } })
    expect(last().headers.get('x-amz-checksum-sha256')).toBe(await checksum('sha256', 'hello'))
    expect(last().headers.get('x-amz-sdk-checksum-algorithm')).toBe('SHA256')
    await client.fetch(`${BUCKET}/?delete`, { method: 'POST', body: 'x', aws: { checksum: 'crc32c' } })
    expect(last().headers.get('x-amz-checksum-crc32c')).toBe(await checksum('crc32c', 'x'))
    await client.fetch(`${BUCKET}/key.txt`, { method: 'PUT', body: 'hello', aws: { checksum: 'crc64nvme' } })
    expect([last().headers.get('x-amz-checksum-crc64nvme'), last().headers.get('x-amz-sdk-checksum-algorithm')]).toEqual([await checksum('crc64nvme', 'hello'), 'CRC64NVME'])
    expect(last().headers.get('x-amz-checksum-crc32')).toBeNull()
  })

  it('an unknown checksum is refused by name, and nothing is sent', async () => {
    const { client, sent } = recording()
    await expect(client.fetch(`${BUCKET}/key.txt`, { method: 'PUT', body: 'x', aws: { checksum: 'md5' as 'crc32' } })).rejects.toThrow('checksum: "md5" is not a checksum S3 takes here')
    expect(sent).toEqual([])
  })
})

describe('AwsClient: chunked streams', () => {
  const stream = (text: string) => new Blob([text]).stream()

  it('a stream with its length: aws-chunked, the decoded and encoded lengths, the checksum trailer', async () => {
    const { client, last } = recording()
    const text = 'y'.repeat(70_000)
    await client.fetch(`${BUCKET}/big.txt`, { method: 'PUT', body: stream(text), headers: { 'content-length': String(text.length), 'content-type': 'text/plain' }, aws: { streaming: 'signed-trailer', checksum: 'crc32' } })
    const req = last()
    expect(req.headers.get('content-encoding')).toBe('aws-chunked')
    expect(req.headers.get('x-amz-content-sha256')).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER')
    expect(req.headers.get('x-amz-decoded-content-length')).toBe('70000')
    expect(req.headers.get('content-length')).toBe(String(encodedLength(70_000, 'signed-trailer', 65536, 'crc32')))
    expect(req.headers.get('x-amz-trailer')).toBe('x-amz-checksum-crc32')
    expect(req.headers.get('x-amz-sdk-checksum-algorithm')).toBe('CRC32')
    expect(req.headers.get('content-type')).toBe('text/plain')
    const names = signedNames(req)
    expect(names).toEqual(['content-encoding', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-decoded-content-length', 'x-amz-sdk-checksum-algorithm', 'x-amz-trailer'])
  })

  it('a stream of unknown length, a chunk size, a caller\'s own algorithm header kept', async () => {
    const { client, last, sent } = recording()
    const res = await client.fetch(`${BUCKET}/u.txt`, { method: 'PUT', body: stream('z'.repeat(20_000)), headers: { 'x-amz-sdk-checksum-algorithm': 'CRC32C' }, aws: { streaming: 'unsigned-trailer', checksum: 'crc32c', chunkSize: 8192 } })
    expect(res.status).toBe(200)
    expect(sent.length).toBe(1)
    expect(last().headers.get('x-amz-decoded-content-length')).toBeNull()
    expect(last().headers.get('content-length')).toBeNull()
    expect(last().headers.get('x-amz-sdk-checksum-algorithm')).toBe('CRC32C')
  })

  it('with SigV4a, or a bad chunk size: refused by name before anything is sent', async () => {
    const { client, sent } = recording()
    await expect(client.fetch(`${BUCKET}/a.txt`, { method: 'PUT', body: stream('x'), aws: { streaming: 'signed', sigv4a: true } })).rejects.toThrow('streaming: chunks are signed with SigV4, not SigV4a')
    await expect(client.fetch(`${BUCKET}/a.txt`, { method: 'PUT', body: stream('x'), aws: { streaming: 'signed', chunkSize: 1024 } })).rejects.toThrow('chunkSize: S3 takes chunks of at least 8192 bytes')
    expect(sent).toEqual([])
  })

  it('the request carries a signal that the body\'s failure aborts, and that follows the caller\'s', async () => {
    const { client } = recording()
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(new Error('source broke'))
      },
    })
    const req = await client.sign(`${BUCKET}/f.txt`, { method: 'PUT', body: failing, aws: { streaming: 'signed' } })
    expect(req.signal.aborted).toBe(false)
    await expect(req.arrayBuffer()).rejects.toThrow()
    expect(req.signal.aborted).toBe(true)
    const mine = new AbortController()
    const second = await client.sign(`${BUCKET}/g.txt`, { method: 'PUT', body: stream('x'), signal: mine.signal, aws: { streaming: 'signed' } })
    mine.abort('stop')
    expect(second.signal.aborted).toBe(true)
  })
})

describe("AwsClient: the headers Cloudflare's edge adds go unsigned", () => {
  const edge = {
    'cf-connecting-ip': '203.0.113.9',
    'cf-ipcountry': 'NL',
    'cf-ray': '8c0a1b2c3d4e5f60-AMS',
    'cf-visitor': '{"scheme":"https"}',
    'cf-worker': 'example.com',
    'cdn-loop': 'cloudflare',
    'true-client-ip': '203.0.113.9',
    'x-forwarded-for': '203.0.113.9',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'example.com',
    'x-real-ip': '203.0.113.9',
    forwarded: 'for=203.0.113.9',
    via: '1.1 example',
    'accept-encoding': 'gzip, br',
  }
  it('each is sent and none is signed; allHeaders signs them', async () => {
    const { client, last } = recording()
    await client.fetch(`${BUCKET}/k.txt`, { headers: { ...edge, 'x-amz-meta-a': 'b' } })
    for (const [name, value] of Object.entries(edge)) expect([name, last().headers.get(name)]).toEqual([name, value])
    expect(signedNames(last())).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-meta-a'])
    await client.fetch(`${BUCKET}/k.txt`, { headers: edge, aws: { allHeaders: true } })
    expect(signedNames(last())).toEqual(expect.arrayContaining(['cf-ray', 'cdn-loop', 'x-forwarded-for', 'via', 'forwarded']))
  })

  it('look-alike names are signed', async () => {
    const { client, last } = recording()
    await client.fetch(`${BUCKET}/k.txt`, { headers: { 'x-cf-ray': '1', 'my-via': '2', 'x-forwarded': '3', 'content-types': '4' } })
    expect(signedNames(last())).toEqual(expect.arrayContaining(['x-cf-ray', 'my-via', 'x-forwarded', 'content-types']))
  })
})
