// NIST P-256 for SigV4a, by hand and small: the public point of a private scalar (where the
// runtime's WebCrypto cannot derive it from a PKCS#8 key), and the DER form of an ECDSA signature,
// which SigV4a puts on the wire where WebCrypto gives r ‖ s. Curve constants: SEC 2 / FIPS 186-4.

import { toHex } from '../sigv4/crypto.js'

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn
/** the order of the group */
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const G: Point = [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n, 1n]

/** Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity */
type Point = [X: bigint, Y: bigint, Z: bigint]

const mod = (a: bigint): bigint => ((a % P) + P) % P

function pow(base: bigint, exponent: bigint): bigint {
  let out = 1n
  for (let b = mod(base), e = exponent; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) out = (out * b) % P
  return out
}

// doubling with a = -3 (dbl-2001-b)
function double([X, Y, Z]: Point): Point {
  if (Y === 0n || Z === 0n) return [0n, 1n, 0n]
  const delta = mod(Z * Z)
  const gamma = mod(Y * Y)
  const beta = mod(X * gamma)
  const alpha = mod(3n * (X - delta) * (X + delta))
  const x = mod(alpha * alpha - 8n * beta)
  return [x, mod(alpha * (4n * beta - x) - 8n * gamma * gamma), mod((Y + Z) ** 2n - gamma - delta)]
}

// general addition (add-2007-bl without the doubling shortcut's special cases beyond equality)
function add(p: Point, q: Point): Point {
  if (p[2] === 0n) return q
  if (q[2] === 0n) return p
  const [X1, Y1, Z1] = p
  const [X2, Y2, Z2] = q
  const z1z1 = mod(Z1 * Z1)
  const z2z2 = mod(Z2 * Z2)
  const u1 = mod(X1 * z2z2)
  const u2 = mod(X2 * z1z1)
  const s1 = mod(Y1 * Z2 * z2z2)
  const s2 = mod(Y2 * Z1 * z1z1)
  if (u1 === u2) return s1 === s2 ? double(p) : [0n, 1n, 0n]
  const h = mod(u2 - u1)
  const r = mod(s2 - s1)
  const hh = mod(h * h)
  const hhh = mod(hh * h)
  const x = mod(r * r - hhh - 2n * u1 * hh)
  return [x, mod(r * (u1 * hh - x) - s1 * hhh), mod(Z1 * Z2 * h)]
}

/**
 * d·G in affine coordinates, as 32-byte big-endian hex each. Not constant-time: it runs once per
 * credentials (the result is cached), on the signer's own secret.
 */
export function publicPoint(d: bigint): [x: string, y: string] {
  let acc: Point = [0n, 1n, 0n]
  for (let i = BigInt(d.toString(2).length - 1); i >= 0n; i--) {
    acc = double(acc)
    if ((d >> i) & 1n) acc = add(acc, G)
  }
  const zi = pow(acc[2], P - 2n)
  const zi2 = (zi * zi) % P
  return [hex32(mod(acc[0] * zi2)), hex32(mod(acc[1] * zi2 * zi))]
}

export const hex32 = (n: bigint): string => n.toString(16).padStart(64, '0')

/** DER `SEQUENCE { INTEGER r, INTEGER s }` of WebCrypto's 64-byte r ‖ s, as hex. */
export function rawToDer(raw: ArrayBuffer): string {
  const bytes = new Uint8Array(raw)
  const int = (part: Uint8Array): string => {
    let i = 0
    while (i < part.length - 1 && part[i] === 0) i++
    let hex = toHex(part.subarray(i))
    // a set high bit would read as negative: a zero byte goes first
    if ((part[i] as number) >= 0x80) hex = `00${hex}`
    return `02${(hex.length / 2).toString(16).padStart(2, '0')}${hex}`
  }
  const body = int(bytes.subarray(0, 32)) + int(bytes.subarray(32))
  return `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`
}

/** WebCrypto's 64-byte r ‖ s of a DER-encoded ECDSA signature in hex; undefined when malformed. */
export function derToRaw(hex: string): Uint8Array<ArrayBuffer> | undefined {
  const m = /^30([\da-f]{2})02([\da-f]{2})([\da-f]*)$/i.exec(hex)
  if (!m || Number.parseInt(m[1] as string, 16) * 2 !== hex.length - 4) return undefined
  const rLength = Number.parseInt(m[2] as string, 16) * 2
  const rest = m[3] as string
  const r = rest.slice(0, rLength)
  const tail = /^02([\da-f]{2})([\da-f]*)$/i.exec(rest.slice(rLength))
  if (r.length !== rLength || !tail || Number.parseInt(tail[1] as string, 16) * 2 !== (tail[2] as string).length) return undefined
  const out = new Uint8Array(64)
  for (const [i, part] of [r, tail[2] as string].entries()) {
    const value = BigInt(`0x0${part}`)
    if (value === 0n || value >= N || part.length > 66) return undefined
    const h = hex32(value)
    for (let j = 0; j < 32; j++) out[i * 32 + j] = Number.parseInt(h.slice(j * 2, j * 2 + 2), 16)
  }
  return out
}
