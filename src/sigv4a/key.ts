// The SigV4a key pair of a key pair of credentials, derived as AWS specifies: NIST SP 800-108
// HMAC-SHA256 in counter mode keyed by "AWS4A" + secret, over the fixed label, the access key id
// and a counter; the first candidate below the group order minus one, plus one, is the private
// scalar. Derivation costs a few HMACs and a point multiplication: pairs are cached per
// credentials object and in a bounded map keyed by a SHA-256 fingerprint, never the secret.
import { sha256Hex, toHex, utf8, type Subtle } from '../sigv4/crypto.js'
import type { Credentials } from '../sigv4/types.js'
import { hex32, N, publicPoint } from './p256.js'

export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256'

export interface KeyPairV4a {
  /** ECDSA P-256, non-extractable, for signing */
  privateKey: CryptoKey
  /** ECDSA P-256, for verifying */
  publicKey: CryptoKey
  /** the public point, 32-byte big-endian hex each */
  x: string
  y: string
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' }

/** The private scalar d of a key pair of credentials. */
export async function derivePrivateScalar(subtle: Subtle, accessKeyId: string, secretAccessKey: string): Promise<bigint> {
  const key = await subtle.importKey('raw', utf8(`AWS4A${secretAccessKey}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const label = utf8(ALGORITHM_V4A)
  const id = utf8(accessKeyId)
  for (let counter = 1; counter < 255; counter++) {
    // [i = 1]₄ ‖ label ‖ 0x00 ‖ access key id ‖ counter ‖ [L = 256]₄
    const fixed = new Uint8Array([0, 0, 0, 1, ...label, 0, ...id, counter, 0, 0, 1, 0])
    const candidate = BigInt(`0x${toHex(await subtle.sign('HMAC', key, fixed))}`)
    if (candidate <= N - 2n) return candidate + 1n
  }
  // each candidate fails with probability about 2^-32: unreachable in practice
  throw new Error('SigV4a: no private key could be derived from these credentials')
}

const b64url = (hex: string): string => btoa(String.fromCharCode(...(hex.match(/../g) as string[]).map((h) => Number.parseInt(h, 16)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const fromB64url = (text: string): string => toHex(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

// PKCS#8 of a P-256 private key without its public key: the runtime derives the point natively
const PKCS8_PREFIX = '3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420'

/** The public point of d: from the runtime's WebCrypto where it derives it, else computed here. */
async function pointOf(subtle: Pick<SubtleCrypto, 'importKey' | 'exportKey'>, d: bigint): Promise<[string, string]> {
  try {
    const der = Uint8Array.from((PKCS8_PREFIX + hex32(d)).match(/../g) as string[], (h) => Number.parseInt(h, 16))
    const jwk = await subtle.exportKey('jwk', await subtle.importKey('pkcs8', der, EC, true, ['sign']))
    if (jwk.x && jwk.y) return [fromB64url(jwk.x), fromB64url(jwk.y)]
  } catch {
    // a runtime that needs the public key inside the PKCS#8 (or no PKCS#8 import at all)
  }
  return publicPoint(d)
}

/** Derives the key pair and imports both halves into WebCrypto. */
export async function deriveKeyPairV4a(credentials: Credentials, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<KeyPairV4a> {
  const d = await derivePrivateScalar(subtle, credentials.accessKeyId, credentials.secretAccessKey)
  const [x, y] = await pointOf(subtle, d)
  const jwk = { kty: 'EC', crv: 'P-256', x: b64url(x), y: b64url(y) }
  const [privateKey, publicKey] = await Promise.all([
    subtle.importKey('jwk', { ...jwk, d: b64url(hex32(d)) }, EC, false, ['sign']),
    subtle.importKey('jwk', jwk, EC, true, ['verify']),
  ])
  return { privateKey, publicKey, x, y }
}

const MAX_PAIRS = 50
const pairs = new Map<string, Promise<KeyPairV4a>>()
const memos = new WeakMap<object, [accessKeyId: string, secret: string, pair: Promise<KeyPairV4a>]>()

/**
 * The key pair of credentials from the shared bounded cache (50 pairs, oldest out first; a
 * derivation that fails is not kept), or derived afresh with `cache` false.
 */
export function keyPairV4a(credentials: Credentials, subtle: SubtleCrypto, cache = true): Promise<KeyPairV4a> {
  const { accessKeyId, secretAccessKey } = credentials
  if (!cache) return deriveKeyPairV4a(credentials, subtle)
  const memo = memos.get(credentials)
  if (memo && memo[0] === accessKeyId && memo[1] === secretAccessKey) return memo[2]
  const pair = sha256Hex(subtle, `${accessKeyId}\n${secretAccessKey}`).then((id) => {
    let found = pairs.get(id)
    if (!found) {
      if (pairs.size >= MAX_PAIRS) pairs.delete(pairs.keys().next().value as string)
      pairs.set(id, (found = deriveKeyPairV4a(credentials, subtle)))
      found.catch(() => pairs.delete(id))
    }
    return found
  })
  pair.catch(() => memos.delete(credentials))
  memos.set(credentials, [accessKeyId, secretAccessKey, pair])
  return pair
}

/** How many derived pairs the shared cache holds (for tests and metrics). */
export const keyPairCacheSize = (): number => pairs.size
