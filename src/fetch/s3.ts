// What AwsV4Signer loads on demand for S3 uploads: chunked streaming signatures and checksums
// (built self-contained, as ./sigv4a.ts is: scripts/build.mjs). Users who never stream or
// checksum never load it.
import { type ChecksumAlgorithm, checksum, checksumAlgorithm, checksumHeader, requiresChecksum } from '../s3/checksum.js'
import { signChunked } from '../s3/chunked.js'
import type { SignOptions } from '../sigv4/types.js'

const SDK_ALGORITHM = 'x-amz-sdk-checksum-algorithm'

type Req = { method: string; url: string; headers: Headers; body: unknown }
type Out = { method: string; url: URL; headers: Headers; body: BodyInit | null | undefined; signal?: AbortSignal }

/**
 * For a buffered body, adds `x-amz-checksum-<algorithm>` and `x-amz-sdk-checksum-algorithm` to the
 * headers to be signed (the checksum asked for, or CRC32 when S3 requires one of this call and
 * the request has none, Content-MD5 included) and answers undefined: the signer goes on. For
 * `streaming`, signs the request chunked and answers it.
 */
export async function upload(
  signer: { method: string; url: URL; headers: Headers; body: BodyInit | null | undefined },
  o: { streaming?: 'signed' | 'signed-trailer' | 'unsigned-trailer' | undefined; checksum?: string | undefined; chunkSize?: number | undefined; signal?: AbortSignal | null | undefined },
  req: Req,
  options: SignOptions,
  unsigned: [string, string][],
  v4a: unknown,
  hashable: (body: BodyInit | null | undefined) => string | ArrayBuffer | ArrayBufferView,
): Promise<Out | undefined> {
  if (o.streaming) {
    if (v4a) throw new TypeError('streaming: chunks are signed with SigV4, not SigV4a')
    const length = signer.headers.get('content-length') ?? signer.headers.get('x-amz-decoded-content-length')
    const trailer = o.checksum === undefined ? undefined : checksumAlgorithm(o.checksum)
    // as the SDKs send it with a trailer: S3 (and emulators) take the object's algorithm from it
    if (trailer && !req.headers.has(SDK_ALGORITHM)) req.headers.set(SDK_ALGORITHM, trailer.toUpperCase())
    const chunked = await signChunked(
      { method: req.method, url: req.url, headers: req.headers, body: signer.body as ReadableStream<Uint8Array> },
      { ...options, mode: o.streaming, checksum: trailer, chunkSize: o.chunkSize, length: length === null ? undefined : Number(length), contentLength: false, signal: o.signal ?? undefined },
    )
    // the encoded length goes unsigned: a runtime that cannot send it sends Transfer-Encoding: chunked
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: the set below replaces a content-length appended here
    for (const [name, value] of unsigned) if (name !== 'content-length') chunked.headers.append(name, value)
    if (chunked.contentLength !== undefined) chunked.headers.set('content-length', String(chunked.contentLength))
    return { method: signer.method, url: signer.url, headers: chunked.headers, body: chunked.body, signal: chunked.signal }
  }
  let chosen: ChecksumAlgorithm | undefined = o.checksum === undefined ? undefined : checksumAlgorithm(o.checksum)
  if (!chosen) {
    const has = [...signer.headers.keys()].some((name) => name == 'content-md5' || name.startsWith('x-amz-checksum-'))
    if (has || !requiresChecksum(signer.method, signer.url.search.slice(1))) return undefined
    chosen = 'crc32'
  }
  req.headers.set(checksumHeader(chosen), await checksum(chosen, hashable(signer.body)))
  req.headers.set(SDK_ALGORITHM, chosen.toUpperCase())
  return undefined
}
