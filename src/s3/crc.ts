// CRC-32 (zlib's, ISO-HDLC), CRC-32C (Castagnoli) and CRC-64/NVME, the CRCs S3 takes as checksums.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
//
// By hand because no runtime's WebCrypto has a CRC, and S3 refuses some calls without a checksum.
// Slicing-by-8 (eight bytes a step through eight 256-entry tables): about four times the speed of
// the byte-at-a-time loop, at 8 KiB of tables per polynomial, built on first use.

/** Reflected polynomials. */
export const CRC32 = 0xedb88320
export const CRC32C = 0x82f63b78

const tables = new Map<number, Int32Array>()

function tableOf(poly: number): Int32Array {
  let t = tables.get(poly)
  // Stryker disable next-line ConditionalExpression: equivalent: the tables are rebuilt the same, only slower
  if (!t) {
    t = new Int32Array(2048)
    // Stryker disable next-line EqualityOperator: equivalent: one step past writes t[256], which the next loop writes over
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1
      t[n] = c
    }
    // t[256 k + n]: the CRC of byte n followed by k zero bytes
    // Stryker disable next-line EqualityOperator: equivalent: n = 256 reads t[256] (set just above) and writes beyond t's end, which a typed array ignores
    for (let n = 0; n < 256; n++) {
      let c = t[n] as number
      // Stryker disable next-line EqualityOperator: equivalent: k = 2048 writes beyond t's end, which a typed array ignores
      for (let k = 256; k < 2048; k += 256) t[k + n] = c = (t[c & 255] as number) ^ (c >>> 8)
    }
    tables.set(poly, t)
  }
  return t
}

/** The CRC of `bytes` continued from `crc` (0 to start), as an unsigned 32-bit number. */
export function crc(poly: number, bytes: Uint8Array, crc = 0): number {
  const t = tableOf(poly)
  let c = ~crc
  let i = 0
  const n = bytes.length
  // Stryker disable next-line ConditionalExpression: equivalent: without the eight-byte steps the byte loop gives the same CRC
  for (const end = n - 7; i < end; i += 8) {
    const lo = c ^ ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24))
    const hi = (bytes[i + 4] as number) | ((bytes[i + 5] as number) << 8) | ((bytes[i + 6] as number) << 16) | ((bytes[i + 7] as number) << 24)
    c =
      (t[1792 + (lo & 255)] as number) ^
      (t[1536 + ((lo >>> 8) & 255)] as number) ^
      (t[1280 + ((lo >>> 16) & 255)] as number) ^
      (t[1024 + (lo >>> 24)] as number) ^
      (t[768 + (hi & 255)] as number) ^
      (t[512 + ((hi >>> 8) & 255)] as number) ^
      (t[256 + ((hi >>> 16) & 255)] as number) ^
      (t[hi >>> 24] as number)
  }
  for (; i < n; i++) c = (t[(c ^ (bytes[i] as number)) & 255] as number) ^ (c >>> 8)
  return ~c >>> 0
}

// CRC-64/NVME (S3's CRC64NVME, its default for objects stored without a checksum): reflected,
// polynomial 0xad93d23594c93659 (0x9a6c9329ac4bc9b5 reflected), register and result inverted.
// JavaScript has no 64-bit integer but BigInt, which is slower by far: the register is two 32-bit
// halves, and the same slicing-by-8 as above, each table entry a high and a low half.
const POLY64_HI = 0x9a6c9329
const POLY64_LO = 0xac4bc9b5
let tables64: [hi: Int32Array, lo: Int32Array] | undefined

function tablesOf64(): [Int32Array, Int32Array] {
  // Stryker disable next-line ConditionalExpression: equivalent: the tables are rebuilt the same, only slower
  if (!tables64) {
    const H = new Int32Array(2048)
    const L = new Int32Array(2048)
    // Stryker disable next-line EqualityOperator: equivalent: one step past writes entry 256, which the next loop writes over
    for (let n = 0; n < 256; n++) {
      let h = 0
      let l = n
      for (let k = 0; k < 8; k++) {
        const odd = l & 1
        l = (l >>> 1) | (h << 31)
        h >>>= 1
        if (odd) {
          l ^= POLY64_LO
          h ^= POLY64_HI
        }
      }
      H[n] = h
      L[n] = l
    }
    // entry 256 k + n: the CRC of byte n followed by k zero bytes
    // Stryker disable next-line EqualityOperator: equivalent: n = 256 reads entry 256 (set above) and writes beyond the tables' end, which a typed array ignores
    for (let n = 0; n < 256; n++) {
      let h = H[n] as number
      let l = L[n] as number
      // Stryker disable next-line EqualityOperator: equivalent: k = 2048 writes beyond the tables' end, which a typed array ignores
      for (let k = 256; k < 2048; k += 256) {
        const i = l & 255
        l = ((l >>> 8) | (h << 24)) ^ (L[i] as number)
        h = (h >>> 8) ^ (H[i] as number)
        H[k + n] = h
        L[k + n] = l
      }
    }
    tables64 = [H, L]
  }
  return tables64
}

/** CRC-64/NVME of `bytes` continued from `crc` (`[0, 0]` to start), as its high and low 32 bits, unsigned. */
// Stryker disable next-line ArrayDeclaration: equivalent: ~undefined is ~0, so an empty start is the zero start
export function crc64(bytes: Uint8Array, crc: readonly [number, number] = [0, 0]): [number, number] {
  const [H, L] = tablesOf64()
  let h = ~crc[0]
  let l = ~crc[1]
  let i = 0
  const n = bytes.length
  // Stryker disable next-line ConditionalExpression: equivalent: without the eight-byte steps the byte loop gives the same CRC
  for (const end = n - 7; i < end; i += 8) {
    // the register's eight bytes, low first, each XORed with the next byte of input
    const a = l ^ ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24))
    const b = h ^ ((bytes[i + 4] as number) | ((bytes[i + 5] as number) << 8) | ((bytes[i + 6] as number) << 16) | ((bytes[i + 7] as number) << 24))
    const i7 = 1792 + (a & 255)
    const i6 = 1536 + ((a >>> 8) & 255)
    const i5 = 1280 + ((a >>> 16) & 255)
    const i4 = 1024 + (a >>> 24)
    const i3 = 768 + (b & 255)
    const i2 = 512 + ((b >>> 8) & 255)
    const i1 = 256 + ((b >>> 16) & 255)
    const i0 = b >>> 24
    h = (H[i7] as number) ^ (H[i6] as number) ^ (H[i5] as number) ^ (H[i4] as number) ^ (H[i3] as number) ^ (H[i2] as number) ^ (H[i1] as number) ^ (H[i0] as number)
    l = (L[i7] as number) ^ (L[i6] as number) ^ (L[i5] as number) ^ (L[i4] as number) ^ (L[i3] as number) ^ (L[i2] as number) ^ (L[i1] as number) ^ (L[i0] as number)
  }
  for (; i < n; i++) {
    const t = (l ^ (bytes[i] as number)) & 255
    l = ((l >>> 8) | (h << 24)) ^ (L[t] as number)
    h = (h >>> 8) ^ (H[t] as number)
  }
  return [~h >>> 0, ~l >>> 0]
}
