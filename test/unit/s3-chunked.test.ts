// Chunked uploads against AWS's documented examples (sigv4-streaming and sigv4-streaming-trailers):
// the 66,560-byte object of 'a' in 64 KiB chunks, signed at 20130524T000000Z.
import { describe, expect, it } from 'vitest'
import { encodedLength, signChunked } from '../../src/s3/index.js'

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
const date = new Date(Date.UTC(2013, 4, 24))
const url = 'https://s3.amazonaws.com/examplebucket/chunkObject.txt'
const payload = new Uint8Array(66560).fill(0x61)
const options = { credentials, region: 'us-east-1', service: 's3', date, length: payload.length }

const streamOf = (bytes: Uint8Array, piece = 1000) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += piece) c.enqueue(bytes.slice(i, i + piece))
      c.close()
    },
  })

async function read(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer())
}
const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes)

describe('the documented chunked upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  it('seed, chunk and final signatures, headers and Content-Length are the documented ones', async () => {
    const signed = await signChunked({ method: 'PUT', url, headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' }, body: streamOf(payload) }, options)
    expect(signed.signature).toBe('4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9')
    expect(signed.headers.get('authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    )
    expect(signed.headers.get('content-length')).toBe('66824')
    expect(signed.contentLength).toBe(66824)
    const body = await read(signed.body)
    expect(body.length).toBe(66824)
    const text = latin1(body)
    expect(text).toBe(
      `10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n${'a'.repeat(65536)}\r\n` +
        `400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n${'a'.repeat(1024)}\r\n` +
        '0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n',
    )
  })

  it('the same bytes whatever the pieces the source gives', async () => {
    for (const piece of [1, 7, 65536, 70000]) {
      const small = payload.subarray(0, piece === 1 ? 9000 : payload.length)
      const a = await read((await signChunked({ method: 'PUT', url, body: streamOf(small, piece) }, { ...options, length: small.length })).body)
      const b = await read((await signChunked({ method: 'PUT', url, body: small }, { ...options, length: small.length })).body)
      expect(latin1(a)).toBe(latin1(b))
    }
  })
})

describe('the documented upload with a signed trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', () => {
  it('the seed over the documented headers, then every chunk, the trailer and its signature', async () => {
    // the documented request leaves Content-Length to the transport
    const signed = await signChunked(
      { method: 'PUT', url, headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' }, body: streamOf(payload) },
      { ...options, checksum: 'crc32c', contentLength: false },
    )
    expect(signed.signature).toBe('106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e')
    expect(signed.headers.get('content-length')).toBeNull()
    expect(signed.headers.get('x-amz-trailer')).toBe('x-amz-checksum-crc32c')
    expect(signed.headers.get('authorization')).toContain('SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,')
    const body = signed.body
    const bytes = await read(body)
    expect(latin1(bytes)).toBe(
      `10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n${'a'.repeat(65536)}\r\n` +
        `400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n${'a'.repeat(1024)}\r\n` +
        '0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n' +
        'x-amz-checksum-crc32c:sOO8/Q==\r\n' +
        'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n',
    )
    expect(bytes.length).toBe(encodedLength(payload.length, 'signed-trailer', 65536, 'crc32c'))
  })
})
