// Chunked uploads (Content-Encoding: aws-chunked) for a stream of any length: the headers are
// signed once (the seed signature), then the body goes out in chunks, each signed with the one
// before it, and optionally a checksum trailer after the last.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
import { defaultSubtle, type Subtle, toHex } from '../sigv4/crypto.js'
import { toAmzDate } from '../sigv4/date.js'
import { EMPTY_SHA256, sign } from '../sigv4/sign.js'
import type { SignableRequest, SignedRequest, SignOptions } from '../sigv4/types.js'
import { keyOf } from './key.js'
import { bodyBytes, CHECKSUM_ALGORITHMS, CHECKSUM_BYTES, type ChecksumAlgorithm, checksumAlgorithm, checksumHeader, createChecksum } from './checksum.js'

/** The three ways S3 takes a chunked body, by their x-amz-content-sha256 values. */
export const STREAMING_MODES = {
  /** every chunk signed */
  signed: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  /** every chunk signed, then a signed checksum trailer */
  'signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  /** chunks unsigned (TLS carries them), then a checksum trailer */
  'unsigned-trailer': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
} as const

export type StreamingMode = keyof typeof STREAMING_MODES

/** S3's smallest chunk (all but the last); 64 KiB is the default here, as in AWS's example. */
export const MIN_CHUNK_SIZE = 8192
export const DEFAULT_CHUNK_SIZE = 65536

export interface ChunkedOptions extends Omit<SignOptions, 'unsignedPayload' | 'signBody' | 'expiresIn'> {
  /** default `'signed'`, or `'signed-trailer'` when a checksum is asked for */
  mode?: StreamingMode
  /** the trailer's checksum (required by `'unsigned-trailer'`) */
  checksum?: ChecksumAlgorithm | Uppercase<ChecksumAlgorithm>
  /** bytes of payload per chunk, at least 8192 (default 65536) */
  chunkSize?: number
  /**
   * the payload's length when known: sent as x-amz-decoded-content-length (S3 wants it) with the
   * encoded Content-Length, and held to; unknown, both are left out and fetch sends
   * Transfer-Encoding: chunked
   */
  length?: number
  /**
   * with `length`: send (and sign) the encoded body's Content-Length (default true); false leaves
   * the framing to the transport (Transfer-Encoding: chunked), as AWS's trailer example does
   */
  contentLength?: boolean
  /** the caller's abort signal: `signal` of the result follows it */
  signal?: AbortSignal | undefined
}

export interface ChunkedRequest extends Omit<SignedRequest, 'body'> {
  /** the aws-chunked body: read it once (fetch does) */
  body: ReadableStream<Uint8Array<ArrayBuffer>>
  /** the seed signature, over the headers */
  signature: string
  /** the Content-Length of the encoded body, when the payload's length was given */
  contentLength?: number
  /**
   * aborted when the body fails (its source errors, or breaks the length given), or when the
   * caller's signal aborts: give it to fetch, so that the request is cut off. (workerd ends a
   * request whose body errors as if the body were complete; without the final chunk S3 still
   * refuses it, but an emulator may not.)
   */
  signal: AbortSignal
}

type Body = NonNullable<SignableRequest['body']>

const SIGNATURE = ';chunk-signature='
const encoder = new TextEncoder()

/** Bytes of the encoded body for a payload of `length` bytes. */
export function encodedLength(length: number, mode: StreamingMode, chunkSize = DEFAULT_CHUNK_SIZE, checksum?: ChecksumAlgorithm): number {
  const signed = mode != 'unsigned-trailer'
  // hex size, [;chunk-signature=<64 hex>], CRLF, data, CRLF
  const frame = (n: number) => n.toString(16).length + (signed ? SIGNATURE.length + 64 : 0) + 2 + n + (n ? 2 : 0)
  let total = frame(0)
  const full = Math.floor(length / chunkSize)
  total += full * frame(chunkSize)
  if (length % chunkSize) total += frame(length % chunkSize)
  if (checksum) {
    // name:value CRLF [x-amz-trailer-signature:<64 hex> CRLF]
    total += checksumHeader(checksum).length + 1 + Math.ceil(CHECKSUM_BYTES[checksum] / 3) * 4 + 2
    if (signed) total += 'x-amz-trailer-signature:'.length + 64 + 2
  }
  return total + 2
}

function options(o: ChunkedOptions): { mode: StreamingMode; checksum?: ChecksumAlgorithm; chunkSize: number; length?: number } {
  const checksum = o.checksum === undefined ? undefined : checksumAlgorithm(o.checksum, 'checksum (the trailer)')
  const mode = o.mode ?? (checksum ? 'signed-trailer' : 'signed')
  if (!Object.hasOwn(STREAMING_MODES, mode)) throw new TypeError(`mode: ${JSON.stringify(mode)} is not a streaming mode; use one of ${Object.keys(STREAMING_MODES).join(', ')}`)
  if (mode != 'signed' && !checksum) throw new TypeError(`mode ${mode}: needs a checksum for its trailer (checksum: one of ${CHECKSUM_ALGORITHMS.join(', ')})`)
  if (mode == 'signed' && checksum) throw new TypeError(`mode signed: sends no trailer, so no checksum; use mode 'signed-trailer' for checksum ${checksum}`)
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE) throw new RangeError(`chunkSize: S3 takes chunks of at least ${MIN_CHUNK_SIZE} bytes (8 KiB), got ${chunkSize}`)
  if (o.length !== undefined && !(Number.isSafeInteger(o.length) && o.length >= 0)) throw new RangeError(`length: the payload's length must be a whole number of bytes ≥ 0, got ${o.length}`)
  return { mode, checksum, chunkSize, length: o.length }
}

/** The body as a stream of bytes: a stream as given, a buffer or string as one piece. */
function streamOf(body: Body | undefined): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body
  // no body is no bytes: an empty piece reads as the end
  const bytes = bodyBytes(body)
  return new ReadableStream({
    start(c) {
      c.enqueue(bytes)
      c.close()
    },
  })
}

/**
 * Signs a request whose body goes out in aws-chunked encoding. The headers are checked and signed
 * before a byte of the body is read; the body returned reads the one given as it is sent, one
 * chunk at a time (a chunk being filled and one being sent are all it holds). A source that
 * fails, or ends short of or past `length`, errors the body before its final chunk, so the upload
 * fails and S3 keeps no object.
 */
export async function signChunked(req: SignableRequest, o: ChunkedOptions): Promise<ChunkedRequest> {
  const { mode, checksum, chunkSize, length } = options(o ?? ({} as ChunkedOptions))
  const source = streamOf(req.body ?? undefined)
  if (source.locked) throw new TypeError('body: the stream is locked (already being read)')
  const headers: [string, string][] = []
  let encoding = 'aws-chunked'
  for (const [name, value] of new Headers(req.headers)) {
    if (name == 'content-encoding') encoding = `aws-chunked,${value}`
    else if (!/^(content-length|x-amz-content-sha256|x-amz-decoded-content-length|x-amz-trailer|transfer-encoding)$/.test(name)) headers.push([name, value])
  }
  headers.push(['content-encoding', encoding], ['x-amz-content-sha256', STREAMING_MODES[mode]])
  let contentLength: number | undefined
  if (length !== undefined) {
    contentLength = encodedLength(length, mode, chunkSize, checksum)
    headers.push(['x-amz-decoded-content-length', String(length)])
    if (o.contentLength !== false) headers.push(['content-length', String(contentLength)])
  }
  if (checksum) headers.push(['x-amz-trailer', checksumHeader(checksum)])
  const date = o.date ?? new Date()
  const signed = await sign({ method: req.method, url: req.url, headers }, { ...o, date, normalizePath: o.normalizePath ?? false, singleEncode: o.singleEncode ?? true })
  const subtle = o.subtle ?? defaultSubtle()
  const amzDate = toAmzDate(date)
  const day = amzDate.slice(0, 8)
  const key = mode == 'unsigned-trailer' ? undefined : keyOf(o, subtle, o.credentials, day, o.region, o.service)
  const abort = new AbortController()
  o.signal?.addEventListener('abort', () => abort.abort(o.signal?.reason), { once: true })
  if (o.signal?.aborted) abort.abort(o.signal.reason)
  const body = chunkedBody(source, { chunkSize, length, checksum, subtle, key, amzDate, scope: `${day}/${o.region}/${o.service}/aws4_request`, seed: signed.signature, abort })
  return { method: signed.method, url: signed.url, headers: signed.headers, canonicalRequest: signed.canonicalRequest, stringToSign: signed.stringToSign, signature: signed.signature, body, contentLength, signal: abort.signal }
}

/** What chunkedBody needs: the chunking, and for signed chunks the key, time, scope and seed signature. */
export interface ChunkedBodyOptions {
  chunkSize: number
  length?: number | undefined
  checksum?: ChecksumAlgorithm | undefined
  subtle: Subtle
  /** the signing key; without one the chunks go unsigned */
  key?: Promise<CryptoKey> | undefined
  amzDate: string
  scope: string
  seed: string
  /** aborted with the error when the body fails */
  abort?: AbortController | undefined
}

/**
 * The aws-chunked encoding of `source`, read one chunk at a time as it is pulled. Each chunk's
 * signature chains from the one before it, the first from the seed signature of the headers.
 */
export function chunkedBody(source: ReadableStream<Uint8Array>, o: ChunkedBodyOptions): ReadableStream<Uint8Array<ArrayBuffer>> {
  const { chunkSize, length, checksum, subtle, key, amzDate, scope } = o
  let previous = o.seed
  const chain = async (kind: string, hash: string): Promise<string> =>
    (previous = toHex(await subtle.sign('HMAC', await (key as Promise<CryptoKey>), encoder.encode(`AWS4-HMAC-SHA256-${kind}\n${amzDate}\n${scope}\n${previous}\n${hash}`))))
  // the line before a chunk's data: its size in hex, and its signature when signed
  const head = async (data: Uint8Array<ArrayBuffer>): Promise<string> => {
    const size = data.length.toString(16)
    if (!key) return `${size}\r\n`
    const hash = data.length ? toHex(await subtle.digest('SHA-256', data)) : EMPTY_SHA256
    return `${size}${SIGNATURE}${await chain('PAYLOAD', `${EMPTY_SHA256}\n${hash}`)}\r\n`
  }
  const sum = checksum ? createChecksum(checksum) : undefined
  const reader = source.getReader()
  let pending: Uint8Array | undefined
  let total = 0
  const fill = async (chunk: Uint8Array<ArrayBuffer>): Promise<[filled: number, ended: boolean]> => {
    let filled = 0
    while (filled < chunk.length) {
      if (!pending) {
        const next = await reader.read()
        if (next.done) return [filled, true]
        if (!(next.value instanceof Uint8Array)) throw new TypeError(`body: the stream gave a ${Object(next.value).constructor?.name ?? typeof next.value}, not a Uint8Array`)
        pending = next.value
      }
      const take = Math.min(chunk.length - filled, pending.length)
      chunk.set(pending.subarray(0, take), filled)
      filled += take
      pending = take < pending.length ? pending.subarray(take) : undefined
    }
    return [filled, false]
  }
  return new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      async pull(out) {
        try {
          const chunk = new Uint8Array(chunkSize)
          const [filled, ended] = await fill(chunk)
          total += filled
          if (length !== undefined && (total > length || (ended && total < length))) {
            // Stryker disable next-line EqualityOperator: equivalent: total = length never reaches here
            throw new RangeError(`body: the stream ${total > length ? 'runs past' : `ended at ${total} bytes, short of`} the length given (${length} bytes); the upload is abandoned before its final chunk`)
          }
          if (filled) {
            const data = chunk.subarray(0, filled)
            sum?.update(data)
            out.enqueue(encoder.encode(await head(data)))
            out.enqueue(data)
            out.enqueue(encoder.encode('\r\n'))
          }
          if (!ended) return
          let last = await head(new Uint8Array(0))
          // Stryker disable next-line LogicalOperator: equivalent: sum is made exactly when checksum is set
          if (sum && checksum) {
            const trailer = `${checksumHeader(checksum)}:${sum.digest()}`
            last += `${trailer}\r\n`
            if (key) last += `x-amz-trailer-signature:${await chain('TRAILER', toHex(await subtle.digest('SHA-256', encoder.encode(`${trailer}\n`))))}\r\n`
          }
          out.enqueue(encoder.encode(`${last}\r\n`))
          out.close()
        } catch (error) {
          // the source is let go, no final chunk is sent, and the request is cut: the upload fails whole
          reader.cancel(error).catch(() => undefined)
          o.abort?.abort(error)
          throw error
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  )
}
