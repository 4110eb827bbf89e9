// S3's flexible checksums: CRC32, CRC32C, CRC64NVME and SHA256, sent base64 in x-amz-checksum-<name>.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
import { CRC32, CRC32C, crc, crc64 } from './crc.js'
import { Sha256 } from './sha256.js'

/** The checksums S3 takes that every runtime can compute (S3 also takes SHA1). */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha256'

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'crc32c', 'crc64nvme', 'sha256']

/** Bytes of each checksum (its base64 is 4 characters for every 3 bytes, rounded up). */
export const CHECKSUM_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha256: 32 }

/** A checksum fed piece by piece. */
export interface Checksum {
  update(bytes: Uint8Array): void
  /** base64, as S3 writes it */
  digest(): string
}

/** `crc32` for `'CRC32'`, `'crc32'`; a TypeError naming the value and the choices otherwise. */
export function checksumAlgorithm(value: unknown, what = 'checksum'): ChecksumAlgorithm {
  const name = typeof value == 'string' ? value.toLowerCase() : ''
  if ((CHECKSUM_ALGORITHMS as readonly string[]).includes(name)) return name as ChecksumAlgorithm
  throw new TypeError(`${what}: ${JSON.stringify(value)} is not a checksum S3 takes here; use one of ${CHECKSUM_ALGORITHMS.join(', ')}`)
}

/** `x-amz-checksum-crc32` … */
export const checksumHeader = (algorithm: ChecksumAlgorithm): string => `x-amz-checksum-${algorithm}`

export function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

// big-endian, as S3 writes a CRC
const crcBytes = (...words: number[]): Uint8Array => new Uint8Array(words.flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]))

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  if (algorithm == 'sha256') {
    const hash = new Sha256()
    return { update: (bytes) => void hash.update(bytes), digest: () => base64(hash.digest()) }
  }
  if (algorithm == 'crc64nvme') {
    let value: [number, number] = [0, 0]
    return { update: (bytes) => void (value = crc64(bytes, value)), digest: () => base64(crcBytes(...value)) }
  }
  const poly = algorithm == 'crc32' ? CRC32 : CRC32C
  let value = 0
  return {
    update: (bytes) => void (value = crc(poly, bytes, value)),
    digest: () => base64(crcBytes(value)),
  }
}

const encoder = new TextEncoder()

/** What a buffered body is as bytes: a string as UTF-8, a view as its bytes. */
export function bodyBytes(body: string | ArrayBuffer | ArrayBufferView | null | undefined): Uint8Array {
  if (body == null) return new Uint8Array(0)
  if (typeof body == 'string') return encoder.encode(body)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  const kind = (body as { constructor?: { name?: string } }).constructor?.name ?? typeof body
  throw new TypeError(`checksum: a ${kind} body cannot be checksummed before it is sent; pass a string, ArrayBuffer or view, or stream it with a checksum trailer`)
}

/**
 * The base64 checksum of a whole body. SHA256 goes through WebCrypto (native everywhere); the CRCs
 * are computed here.
 */
export async function checksum(algorithm: ChecksumAlgorithm, body: string | ArrayBuffer | ArrayBufferView | null | undefined): Promise<string> {
  algorithm = checksumAlgorithm(algorithm)
  const bytes = bodyBytes(body)
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: the hash fed piece by piece gives the same digest, without WebCrypto
  if (algorithm == 'sha256') return base64(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
  const sum = createChecksum(algorithm)
  sum.update(bytes)
  return sum.digest()
}

/**
 * The S3 operations whose request must carry a checksum (the S3 model's
 * `requestChecksumRequired`): DeleteObjects, the bucket and object configuration PUTs. Read from
 * the method and the query's subresource.
 */
export const CHECKSUM_REQUIRED = /^(POST\?(delete|metadataConfiguration|metadataTable)|PUT\?(acl|cors|encryption|legal-hold|lifecycle|logging|metadataInventoryTable|metadataJournalTable|notification|object-lock|ownershipControls|policy|publicAccessBlock|replication|requestPayment|retention|tagging|versioning|website))$/

/** Whether S3 requires a checksum of this request (`method`, and the URL's query string). */
export function requiresChecksum(method: string, query: string): boolean {
  const m = method.toUpperCase()
  return query.split('&').some((part) => CHECKSUM_REQUIRED.test(`${m}?${part.split('=')[0]}`))
}
