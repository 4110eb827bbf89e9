// SHA-256 fed piece by piece (FIPS 180-4), for the checksum trailer of a stream: WebCrypto only
// hashes a whole buffer, and a stream of unknown length cannot be held whole. Buffered bodies
// and chunk signatures use WebCrypto.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

export class Sha256 {
  #h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  #w = new Uint32Array(64)
  #block = new Uint8Array(64)
  #used = 0
  #length = 0

  update(bytes: Uint8Array): this {
    let i = 0
    this.#length += bytes.length
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: with an empty block the first 64 bytes go through the block, as the loop would take them
    if (this.#used > 0) {
      const take = Math.min(64 - this.#used, bytes.length)
      this.#block.set(bytes.subarray(0, take), this.#used)
      this.#used += take
      i = take
      if (this.#used < 64) return this
      this.#compress(this.#block, 0)
      this.#used = 0
    }
    for (; i + 64 <= bytes.length; i += 64) this.#compress(bytes, i)
    this.#block.set(bytes.subarray(i), 0)
    this.#used = bytes.length - i
    return this
  }

  /** The 32-byte digest; the hash cannot be fed after. */
  digest(): Uint8Array {
    const bits = this.#length * 8
    const pad = new Uint8Array((this.#used < 56 ? 64 : 128) - this.#used)
    pad[0] = 0x80
    const view = new DataView(pad.buffer)
    // Stryker disable next-line ArithmeticOperator: equivalent below 512 MiB, where the high word is 0 either way (bits × 2^32 is 0 modulo 2^32)
    view.setUint32(pad.length - 8, Math.floor(bits / 2 ** 32))
    view.setUint32(pad.length - 4, bits >>> 0)
    this.update(pad)
    const out = new Uint8Array(32)
    const o = new DataView(out.buffer)
    for (let j = 0; j < 8; j++) o.setUint32(j * 4, this.#h[j] as number)
    return out
  }

  #compress(bytes: Uint8Array, at: number): void {
    const w = this.#w
    const h = this.#h
    // Stryker disable next-line EqualityOperator: equivalent: w[16] is written again by the next loop
    for (let j = 0; j < 16; j++, at += 4) w[j] = ((bytes[at] as number) << 24) | ((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number)
    // Stryker disable next-line EqualityOperator: equivalent: w[64] is beyond w's end, which a typed array ignores
    for (let j = 16; j < 64; j++) {
      const a = w[j - 15] as number
      const b = w[j - 2] as number
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)
      w[j] = (w[j - 16] as number) + s0 + (w[j - 7] as number) + s1
    }
    let [a, b, c, d, e, f, g, k] = h as unknown as [number, number, number, number, number, number, number, number]
    for (let j = 0; j < 64; j++) {
      const t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + (K[j] as number) + (w[j] as number)) | 0
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0
      k = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    h[0] = (h[0] as number) + a
    h[1] = (h[1] as number) + b
    h[2] = (h[2] as number) + c
    h[3] = (h[3] as number) + d
    h[4] = (h[4] as number) + e
    h[5] = (h[5] as number) + f
    h[6] = (h[6] as number) + g
    h[7] = (h[7] as number) + k
  }
}
