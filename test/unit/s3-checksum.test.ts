// CRC32, CRC32C, CRC64NVME and SHA-256 as S3 takes them: against Node's zlib and crypto, the AWS
// SDK's own CRC-64/NVME, the published check values, bit-at-a-time references, and any split of
// the input.
import { createHash } from 'node:crypto'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { Crc64Nvme } from '@aws-sdk/crc64-nvme'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CHECKSUM_ALGORITHMS, checksum, checksumAlgorithm, checksumHeader, createChecksum, requiresChecksum } from '../../src/s3/index.js'
import { CRC32, CRC32C, crc, crc64 } from '../../src/s3/crc.js'
import { Sha256 } from '../../src/s3/sha256.js'

const b64 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b.toString('base64')
}
// the definition, one bit at a time
function reference(poly: number, bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}
const ascii = (text: string) => new TextEncoder().encode(text)

describe('CRC32 and CRC32C', () => {
  it('the published check values of "123456789"', () => {
    expect(crc(CRC32, ascii('123456789'))).toBe(0xcbf43926)
    expect(crc(CRC32C, ascii('123456789'))).toBe(0xe3069283)
    expect(crc(CRC32, new Uint8Array(0))).toBe(0)
    // CRC32C of 32 zero bytes and of 32 0xFF bytes (RFC 3720, B.4)
    expect(crc(CRC32C, new Uint8Array(32))).toBe(0x8a9136aa)
    expect(crc(CRC32C, new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43)
  })

  it('equal zlib (CRC32) and the bit-at-a-time definition (both) for any bytes, split anywhere', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length)
        expect(crc(CRC32, bytes)).toBe(zlibCrc32(bytes))
        expect(crc(CRC32, bytes.subarray(at), crc(CRC32, bytes.subarray(0, at)))).toBe(zlibCrc32(bytes))
        expect(crc(CRC32C, bytes)).toBe(reference(CRC32C, bytes))
        expect(crc(CRC32C, bytes.subarray(at), crc(CRC32C, bytes.subarray(0, at)))).toBe(reference(CRC32C, bytes))
      }),
      { numRuns: 300 },
    )
  })
})

describe('CRC64NVME', () => {
  // the definition, one bit at a time, in BigInt
  const POLY = 0x9a6c9329ac4bc9b5n
  const MASK = (1n << 64n) - 1n
  function reference64(bytes: Uint8Array): bigint {
    let c = MASK
    for (const byte of bytes) {
      c ^= BigInt(byte)
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n
    }
    return c ^ MASK
  }
  const join = ([hi, lo]: [number, number]) => (BigInt(hi) << 32n) | BigInt(lo)
  const sdk = async (bytes: Uint8Array) => {
    const c = new Crc64Nvme()
    c.update(bytes)
    return Buffer.from(await c.digest()).toString('base64')
  }

  it('the published check value of "123456789"; nothing is 0; all-zero and all-one inputs', () => {
    expect(join(crc64(ascii('123456789')))).toBe(0xae8b14860a799888n)
    expect(crc64(new Uint8Array(0))).toEqual([0, 0])
    for (const bytes of [new Uint8Array(32), new Uint8Array(32).fill(0xff), new Uint8Array(9).fill(0x80)]) expect(join(crc64(bytes))).toBe(reference64(bytes))
  })

  it('equals the bit-at-a-time definition and the AWS SDK (@aws-sdk/crc64-nvme) for any bytes, split anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.nat(300), async (bytes, cut) => {
        const at = Math.min(cut, bytes.length)
        expect(join(crc64(bytes))).toBe(reference64(bytes))
        expect(crc64(bytes.subarray(at), crc64(bytes.subarray(0, at)))).toEqual(crc64(bytes))
        const sum = createChecksum('crc64nvme')
        sum.update(bytes.subarray(0, at))
        sum.update(bytes.subarray(at))
        expect(sum.digest()).toBe(await sdk(bytes))
      }),
      { numRuns: 300 },
    )
  })

  it('a large input, as the SDK computes it, and through checksum()', async () => {
    const big = new Uint8Array(1_000_003).map((_, i) => (i * 31) ^ (i >>> 8))
    expect(await checksum('crc64nvme', big)).toBe(await sdk(big))
    expect(await checksum('crc64nvme', 'hello world')).toBe(await sdk(ascii('hello world')))
  })
})

describe('SHA-256 fed in pieces', () => {
  it('equals node:crypto for any bytes, fed in any pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(130), { maxLength: 6 }), (bytes, cuts) => {
        const hash = new Sha256()
        let at = 0
        for (const cut of cuts) {
          hash.update(bytes.subarray(at, Math.min(bytes.length, at + cut)))
          at = Math.min(bytes.length, at + cut)
        }
        hash.update(bytes.subarray(at))
        expect(Buffer.from(hash.digest()).toString('hex')).toBe(createHash('sha256').update(bytes).digest('hex'))
      }),
      { numRuns: 300 },
    )
  })

  it('the lengths around a block boundary (55, 56, 63, 64, 65 bytes) and a large input', () => {
    for (const n of [0, 55, 56, 63, 64, 65, 119, 120, 1_000_003]) {
      const bytes = new Uint8Array(n).map((_, i) => i * 13)
      expect([n, Buffer.from(new Sha256().update(bytes).digest()).toString('hex')]).toEqual([n, createHash('sha256').update(bytes).digest('hex')])
    }
  })
})

describe('checksum, createChecksum', () => {
  it('base64 of the big-endian CRC, of the SHA-256 digest', async () => {
    const body = 'Action=ListUsers&Version=2010-05-08 ✓'
    expect(await checksum('crc32', body)).toBe(b64(zlibCrc32(body)))
    expect(await checksum('crc32c', ascii('123456789'))).toBe(b64(0xe3069283))
    expect(await checksum('sha256', body)).toBe(createHash('sha256').update(body).digest('base64'))
    expect(await checksum('crc32', new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 3))).toBe(b64(zlibCrc32(Buffer.from([2, 3]))))
    expect(await checksum('crc32', new Uint8Array([9, 8]).buffer)).toBe(b64(zlibCrc32(Buffer.from([9, 8]))))
    expect(await checksum('crc32', null)).toBe(b64(0))
    const sum = createChecksum('sha256')
    sum.update(ascii('ab'))
    sum.update(ascii('c'))
    expect(sum.digest()).toBe(createHash('sha256').update('abc').digest('base64'))
  })

  it('an algorithm S3 takes, in either case; anything else named in the error', () => {
    expect(CHECKSUM_ALGORITHMS).toEqual(['crc32', 'crc32c', 'crc64nvme', 'sha256'])
    expect(checksumAlgorithm('CRC64NVME')).toBe('crc64nvme')
    expect(checksumAlgorithm('CRC32C')).toBe('crc32c')
    expect(checksumHeader('sha256')).toBe('x-amz-checksum-sha256')
    expect(() => checksumAlgorithm('md5')).toThrow('checksum: "md5" is not a checksum S3 takes here; use one of crc32, crc32c, crc64nvme, sha256')
    expect(() => checksumAlgorithm(32, 'trailer')).toThrow(/^trailer: 32 is not/)
    return expect(checksum('sha1' as 'sha256', 'x')).rejects.toThrow('"sha1" is not a checksum')
  })

  it('a body it cannot read whole is refused by name', async () => {
    await expect(checksum('crc32', new Blob(['x']) as unknown as string)).rejects.toThrow('checksum: a Blob body cannot be checksummed before it is sent')
  })
})

describe('requiresChecksum: the S3 model\'s requestChecksumRequired operations', () => {
  // S3 model (2006-03-01): the operations with requestChecksumRequired, by method and subresource
  const required = [
    ['POST', 'delete'],
    ['POST', 'metadataConfiguration'],
    ['POST', 'metadataTable'],
    ...'acl cors encryption lifecycle logging notification ownershipControls policy replication requestPayment tagging versioning website legal-hold object-lock retention publicAccessBlock metadataInventoryTable metadataJournalTable'.split(' ').map((s) => ['PUT', s]),
  ]
  it('each of them, with or without a value or other parameters', () => {
    for (const [method, sub] of required) {
      expect([method, sub, requiresChecksum(method as string, sub as string)]).toEqual([method, sub, true])
      expect(requiresChecksum((method as string).toLowerCase(), `versionId=3&${sub}=`)).toBe(true)
    }
  })
  it('and not the others: a GET of the same, PutObject, UploadPart, a look-alike name', () => {
    for (const [method, query] of [
      ['GET', 'acl'],
      ['DELETE', 'tagging'],
      ['PUT', ''],
      ['PUT', 'partNumber=1&uploadId=x'],
      ['POST', 'uploads'],
      ['POST', 'deletes'],
      ['PUT', 'x-acl'],
      ['PUT', 'prefix=acl'],
    ]) {
      expect([method, query, requiresChecksum(method as string, query as string)]).toEqual([method, query, false])
    }
  })
})

describe('requiresChecksum: whole names only', () => {
  it('a method or subresource that merely contains a listed one does not count', () => {
    expect(requiresChecksum('XPOST', 'delete')).toBe(false)
    expect(requiresChecksum('POST', 'deletex')).toBe(false)
    expect(requiresChecksum('PUT', 'xacl')).toBe(false)
  })
})

describe('base64 of long input', () => {
  it('a body over 32 KiB goes through in pieces', async () => {
    const big = new Uint8Array(70_000).map((_, i) => i)
    const sum = createChecksum('sha256')
    sum.update(big)
    expect(sum.digest()).toBe(createHash('sha256').update(big).digest('base64'))
    const { base64 } = await import('../../src/s3/checksum.js')
    expect(base64(big)).toBe(Buffer.from(big).toString('base64'))
    expect(base64(big.subarray(0, 32768))).toBe(Buffer.from(big.subarray(0, 32768)).toString('base64'))
  })

  it('a body of no known kind names its kind; one without a constructor its type', async () => {
    await expect(checksum('crc32', Object.create(null) as never)).rejects.toThrow('checksum: a object body cannot be checksummed')
  })
})
