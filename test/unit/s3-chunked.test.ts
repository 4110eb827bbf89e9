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

describe('signChunked: every mode, any length', () => {
  const modes = [
    ['signed', undefined],
    ['signed-trailer', 'crc32'],
    ['signed-trailer', 'sha256'],
    ['unsigned-trailer', 'crc32c'],
    ['signed-trailer', 'crc64nvme'],
    ['unsigned-trailer', 'crc64nvme'],
  ] as const
  it('the body is as long as Content-Length says, and decodes to the payload', async () => {
    for (const [mode, checksum] of modes) {
      for (const size of [0, 1, 8191, 8192, 8193, 3 * 8192, 50_001]) {
        const data = new Uint8Array(size).map((_, i) => i & 255)
        const signed = await signChunked({ method: 'PUT', url, body: streamOf(data, 3000) }, { ...options, length: size, mode, checksum, chunkSize: 8192 })
        const body = await read(signed.body)
        expect([mode, size, body.length]).toEqual([mode, size, signed.contentLength])
        expect([mode, size, Number(signed.headers.get('content-length'))]).toEqual([mode, size, body.length])
        // decode: <hex>[;chunk-signature=…]\r\n<data>\r\n … 0…\r\n[trailer]\r\n
        const text = latin1(body)
        const out: number[] = []
        let at = 0
        for (;;) {
          const eol = text.indexOf('\r\n', at)
          const n = Number.parseInt(text.slice(at, eol).split(';')[0] as string, 16)
          if (mode !== 'unsigned-trailer') expect(text.slice(at, eol)).toMatch(/^[0-9a-f]+;chunk-signature=[0-9a-f]{64}$/)
          at = eol + 2
          if (n === 0) break
          expect(n).toBeLessThanOrEqual(8192)
          for (let i = 0; i < n; i++) out.push(text.charCodeAt(at + i))
          at += n + 2
        }
        expect(Uint8Array.from(out)).toEqual(data)
        const rest = text.slice(at)
        if (checksum) {
          const { checksum: sum } = await import('../../src/s3/index.js')
          expect(rest.startsWith(`x-amz-checksum-${checksum}:${await sum(checksum, data)}\r\n`)).toBe(true)
          expect(rest.endsWith('\r\n\r\n')).toBe(true)
          expect(rest.includes('x-amz-trailer-signature:')).toBe(mode === 'signed-trailer')
        } else {
          expect(rest).toBe('\r\n')
        }
      }
    }
  })

  it('sets the headers S3 reads, keeps the caller\'s content-encoding after aws-chunked, drops what it writes itself', async () => {
    const signed = await signChunked(
      {
        method: 'PUT',
        url,
        headers: { 'Content-Encoding': 'gzip', 'Content-Length': '5', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'x-amz-decoded-content-length': '9', 'x-amz-trailer': 'x', 'transfer-encoding': 'chunked', 'x-amz-meta-a': 'b' },
        body: 'hello',
      },
      { ...options, length: 5, mode: 'unsigned-trailer', checksum: 'CRC32' },
    )
    expect(Object.fromEntries(signed.headers)).toMatchObject({
      'content-encoding': 'aws-chunked,gzip',
      'content-length': String(signed.contentLength),
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '5',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-meta-a': 'b',
    })
    expect(signed.headers.has('transfer-encoding')).toBe(false)
    const own = await signChunked({ method: 'PUT', url, body: 'x' }, { ...options, length: 1, checksum: 'crc32' })
    expect(own.headers.get('x-amz-content-sha256')).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER')
  })

  it('without a length: no x-amz-decoded-content-length, no Content-Length', async () => {
    const { length: _, ...rest } = options
    const signed = await signChunked({ method: 'PUT', url, body: streamOf(payload) }, rest)
    expect(signed.headers.has('x-amz-decoded-content-length')).toBe(false)
    expect(signed.headers.has('content-length')).toBe(false)
    expect(signed.contentLength).toBeUndefined()
    expect((await read(signed.body)).length).toBe(encodedLength(payload.length, 'signed'))
  })

  it('reads the source only as the body is read: a chunk being filled and one being sent', async () => {
    let pulled = 0
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++
        c.enqueue(new Uint8Array(8192))
      },
    }, { highWaterMark: 0 })
    const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length: undefined, chunkSize: 8192 })
    await new Promise((r) => setTimeout(r, 20))
    expect(pulled).toBe(0)
    const reader = signed.body.getReader()
    await reader.read()
    expect(pulled).toBeLessThanOrEqual(2)
    await reader.cancel('done')
  })
})

describe('signChunked: bad input is refused before a byte is read', () => {
  const body = () => streamOf(payload)
  const cases: [string, Parameters<typeof signChunked>[1], RegExp][] = [
    ['a chunk under 8 KiB', { ...options, chunkSize: 8191 }, /chunkSize: S3 takes chunks of at least 8192 bytes \(8 KiB\), got 8191/],
    ['a fractional chunk size', { ...options, chunkSize: 10000.5 }, /chunkSize: .* got 10000.5/],
    ['a trailer that is not a checksum', { ...options, checksum: 'x-amz-meta-foo' as 'crc32' }, /checksum \(the trailer\): "x-amz-meta-foo" is not a checksum S3 takes here; use one of crc32, crc32c, crc64nvme, sha256/],
    ['an unknown mode', { ...options, mode: 'chunked' as 'signed' }, /mode: "chunked" is not a streaming mode; use one of signed, signed-trailer, unsigned-trailer/],
    ['a trailer mode without a checksum', { ...options, mode: 'unsigned-trailer' }, /mode unsigned-trailer: needs a checksum for its trailer/],
    ['a checksum in the mode without a trailer', { ...options, mode: 'signed', checksum: 'crc32' }, /mode signed: sends no trailer, so no checksum/],
    ['a negative length', { ...options, length: -1 }, /length: the payload's length must be a whole number of bytes ≥ 0, got -1/],
    ['bad credentials', { ...options, credentials: { accessKeyId: '', secretAccessKey: 'x' } }, /credentials.accessKeyId: must be a non-empty string/],
  ]
  for (const [what, o, message] of cases) {
    it(what, async () => {
      let pulled = false
      const source = new ReadableStream<Uint8Array>(
        {
          pull(c) {
            pulled = true
            c.close()
          },
        },
        { highWaterMark: 0 },
      )
      await expect(signChunked({ method: 'PUT', url, body: source }, o)).rejects.toThrow(message)
      expect(pulled).toBe(false)
      void body
    })
  }

  it('a locked stream', async () => {
    const source = streamOf(payload)
    source.getReader()
    await expect(signChunked({ method: 'PUT', url, body: source }, options)).rejects.toThrow('body: the stream is locked')
  })
})

describe('signChunked: a source that fails', () => {
  async function drain(stream: ReadableStream<Uint8Array>): Promise<[string, unknown]> {
    const reader = stream.getReader()
    let text = ''
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return [text, undefined]
        text += latin1(value)
      }
    } catch (error) {
      return [text, error]
    }
  }

  it('errors midway: the body errors with it, and no final chunk was sent', async () => {
    let n = 0
    let cancelled: unknown
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++n > 3) c.error(new Error('disk read failed'))
        else c.enqueue(new Uint8Array(10_000).fill(0x61))
      },
      cancel(reason) {
        cancelled = reason
      },
    })
    const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length: 100_000, chunkSize: 8192 })
    const [text, error] = await drain(signed.body)
    expect(String(error)).toContain('disk read failed')
    expect(text).toContain(';chunk-signature=')
    expect(text).not.toMatch(/(^|\r\n)0;chunk-signature=/)
    expect(cancelled).toBeUndefined()
  })

  it('ends short of its length, or runs past it: a RangeError naming both, no final chunk, the source cancelled', async () => {
    for (const [size, length, message] of [
      [20_000, 20_001, 'body: the stream ended at 20000 bytes, short of the length given (20001 bytes)'],
      [30_000, 20_000, 'body: the stream runs past the length given (20000 bytes)'],
    ] as const) {
      let cancelled = false
      let given = 0
      const source = new ReadableStream<Uint8Array>(
        {
          pull(c) {
            if (given >= size) return c.close()
            const n = Math.min(5000, size - given)
            given += n
            c.enqueue(new Uint8Array(n))
          },
          cancel() {
            cancelled = true
          },
        },
        { highWaterMark: 0 },
      )
      const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length, mode: 'unsigned-trailer', checksum: 'crc32', chunkSize: 8192 })
      const [text, error] = await drain(signed.body)
      expect(error).toBeInstanceOf(RangeError)
      expect(String(error)).toContain(message)
      expect(text).not.toContain('\r\n0\r\n')
      expect(text).not.toContain('x-amz-checksum-crc32')
      expect([size, cancelled]).toEqual([size, size > length])
    }
  })

  it('gives something other than bytes: a TypeError naming it', async () => {
    const source = new ReadableStream<unknown>({
      start(c) {
        c.enqueue('text')
        c.close()
      },
    }) as ReadableStream<Uint8Array>
    const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length: undefined })
    const [, error] = await drain(signed.body)
    expect(String(error)).toContain('body: the stream gave a String, not a Uint8Array')
  })

  it('a reader that cancels the body cancels the source', async () => {
    let reason: unknown
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(9000))
      },
      cancel(r) {
        reason = r
      },
    })
    const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length: undefined, chunkSize: 8192 })
    const reader = signed.body.getReader()
    await reader.read()
    await reader.cancel('user stopped')
    expect(reason).toBe('user stopped')
  })
})

describe('signChunked: the signal', () => {
  it('aborts with the error when the body fails, and not before', async () => {
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(new Error('gone'))
      },
    })
    const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length: undefined })
    expect(signed.signal.aborted).toBe(false)
    await expect(read(signed.body)).rejects.toThrow('gone')
    expect(signed.signal.aborted).toBe(true)
    expect(String(signed.signal.reason)).toContain('gone')
  })

  it("follows the caller's signal, aborted before or after", async () => {
    const before = new AbortController()
    before.abort('stop')
    expect((await signChunked({ method: 'PUT', url, body: 'x' }, { ...options, length: 1, signal: before.signal })).signal.reason).toBe('stop')
    const after = new AbortController()
    const signed = await signChunked({ method: 'PUT', url, body: 'x' }, { ...options, length: 1, signal: after.signal })
    expect(signed.signal.aborted).toBe(false)
    after.abort('later')
    expect(signed.signal.reason).toBe('later')
  })
})

describe('signChunked: what it keeps and reads', () => {
  it('S3 paths by default (no dot-segment removal, one encoding), a caller\'s choice otherwise', async () => {
    const s3url = 'https://s3.amazonaws.com/examplebucket/a//b/../my+file.txt'
    const ours = await signChunked({ method: 'PUT', url: s3url, body: 'x' }, { ...options, length: 1 })
    expect(ours.canonicalRequest.split('\n')[1]).toBe('/examplebucket/a//b/../my%20file.txt')
    const normal = await signChunked({ method: 'PUT', url: s3url, body: 'x' }, { ...options, length: 1, normalizePath: true, singleEncode: false })
    expect(normal.canonicalRequest.split('\n')[1]).toBe('/examplebucket/a/my%2Bfile.txt')
  })

  it('keeps headers whose names only contain a replaced one', async () => {
    const signed = await signChunked({ method: 'PUT', url, headers: { 'x-my-content-length': '1', 'x-amz-trailer-note': 'n' }, body: 'x' }, { ...options, length: 1 })
    expect(signed.headers.get('x-my-content-length')).toBe('1')
    expect(signed.headers.get('x-amz-trailer-note')).toBe('n')
  })

  it('a body of no body, a string, an ArrayBuffer and a view', async () => {
    const bodies: [unknown, number][] = [
      [undefined, 0],
      [null, 0],
      ['héllo', 6],
      [new Uint8Array([1, 2, 3]).buffer, 3],
      [new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 3), 2],
    ]
    for (const [body, n] of bodies) {
      const signed = await signChunked({ method: 'PUT', url, body: body as string }, { ...options, length: n, mode: 'unsigned-trailer', checksum: 'crc32' })
      expect((await read(signed.body)).length).toBe(encodedLength(n, 'unsigned-trailer', 65536, 'crc32'))
    }
  })

  it("an object that is not a stream's chunk names its constructor", async () => {
    const source = new ReadableStream<unknown>({
      start(c) {
        c.enqueue([1, 2])
        c.close()
      },
    }) as ReadableStream<Uint8Array>
    const signed = await signChunked({ method: 'PUT', url, body: source }, { ...options, length: undefined })
    await expect(read(signed.body)).rejects.toThrow('body: the stream gave a Array, not a Uint8Array')
  })
})
