// The WebCrypto side of Signature Version 4: hashes, the derived signing key and its cache, the
// signature. Compact for the same reason as canonical.ts.
import { fail } from './canonical.js'

/** The WebCrypto calls the signer makes; injectable for tests and exotic runtimes. */
export type Subtle = Pick<SubtleCrypto, 'digest' | 'importKey' | 'sign'>

/** What key derivation reads of credentials: the secret (and the object itself, as a memo's key). */
export interface SigningSecret {
  readonly secretAccessKey: string
}

export function defaultSubtle(): Subtle {
  return globalThis.crypto?.subtle ?? fail('no WebCrypto (crypto.subtle; browsers: https or localhost only)')
}

const encoder = new TextEncoder()

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)

let scratch = new Uint8Array(2048)

/**
 * UTF-8 of `text` in a buffer reused by the next call: for WebCrypto calls only, which copy their
 * input before returning (WebCrypto standard, "get a copy of the bytes"). A third of encode's
 * cost in workerd, where the signer's three encodes are its largest piece of JavaScript.
 */
export function scratchUtf8(text: string): Uint8Array<ArrayBuffer> {
  // Stryker disable next-line EqualityOperator: equivalent: a buffer of exactly 3 bytes a character is already large enough
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3)
  return scratch.subarray(0, encoder.encodeInto(text, scratch).written)
}

// each byte's two hex digits as character codes, by table, written into a buffer that one decode
// turns into the string: less than half the time of a string concatenated per byte (three hex
// strings per signature), and the same whatever the platform's byte order
const HEX = encoder.encode(Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1)).join(''))
const decoder = new TextDecoder()
const hex32 = new Uint8Array(64)

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = new Uint8Array(bytes)
  // a digest's 32 bytes go through one buffer (decode copies out of it); other lengths get their own
  // Stryker disable next-line ConditionalExpression: equivalent for false: a buffer of its own for a digest too
  const out = view.length == 32 ? hex32 : new Uint8Array(view.length * 2)
  // an index loop: for…of over a typed array is slower in workerd
  // Stryker disable next-line EqualityOperator: equivalent: one step past the end writes beyond the buffer, which a typed array ignores
  for (let i = 0; i < view.length; i++) {
    out[2 * i] = HEX[2 * (view[i] as number)] as number
    out[2 * i + 1] = HEX[2 * (view[i] as number) + 1] as number
  }
  return decoder.decode(out)
}

export async function sha256Hex(subtle: Subtle, data: string | BufferSource): Promise<string> {
  return toHex(await subtle.digest('SHA-256', typeof data === 'string' ? utf8(data) : data))
}

// Stryker disable next-line BooleanLiteral: equivalent to callers: an extractable key signs the same (non-extractable is hardening)
const hmacKey = (subtle: Subtle, raw: BufferSource): Promise<CryptoKey> => subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request"). */
export async function deriveSigningKey(subtle: Subtle, secret: string, day: string, region: string, service: string): Promise<CryptoKey> {
  let raw: BufferSource = utf8(`AWS4${secret}`)
  for (const part of [day, region, service, 'aws4_request']) raw = await subtle.sign('HMAC', await hmacKey(subtle, raw), utf8(part))
  return hmacKey(subtle, raw)
}

// credentials object → its secret, that secret's fingerprint, and the cache, scope and key of the
// last signature: weak, so it never keeps a key pair alive; it notices a secret changed on the
// same object (a refreshed provider); and the hot path hashes nothing, looks nothing up and
// builds no key
const memos = new WeakMap<object, Memo>()
type Memo = [secret: string, print: Promise<string>, keys?: Keys, scope?: string, key?: Promise<CryptoKey>]

type Keys = Map<string, Promise<CryptoKey>>

/**
 * A bounded cache of derived signing keys of your own (the `keyCache` option; Signer keeps one),
 * 50 keys unless told, oldest out first. Keys are found by a SHA-256 fingerprint of the secret and
 * the scope, never by the secret; each is imported once as a non-extractable HMAC CryptoKey; a
 * derivation that fails is not kept.
 */
export class SigningKeyCache {
  /** @internal the keys; a new map after clear(), so no credentials' memo still holds one */
  keys: Keys = new Map()

  constructor(readonly maxEntries = 50) {
    if (!(Number.isInteger(maxEntries) && maxEntries > 0)) throw new RangeError(`SigV4: key cache size must be a positive integer, got ${maxEntries}`)
  }

  get size(): number {
    return this.keys.size
  }

  clear(): void {
    this.keys = new Map()
  }

  /** kSigning for a scope, derived on a miss. */
  get(subtle: Subtle, credentials: SigningSecret, day: string, region: string, service: string): Promise<CryptoKey> {
    return signingKey({ keyCache: this }, subtle, credentials, day, region, service)
  }
}

/** What signingKey reads of a cache: a plain object for the free functions' cache, so that signRequest's bundle carries no class. */
type KeyCache = Pick<SigningKeyCache, 'keys' | 'maxEntries'>

// the free functions' cache: bounded like a SigningKeyCache of 50
const shared: KeyCache = { keys: new Map(), maxEntries: 50 }

/**
 * kSigning for a scope: from the caller's cache; from one shared cache (bounded) unless
 * `keyCache: false` or a custom `subtle` (whose keys could not be shared); else derived.
 */
export function signingKey(
  options: { keyCache?: KeyCache | false | undefined; subtle?: Subtle | undefined },
  subtle: Subtle,
  credentials: SigningSecret,
  day: string,
  region: string,
  service: string,
): Promise<CryptoKey> {
  const cache = options.keyCache ?? (!options.subtle && shared)
  const secret = credentials.secretAccessKey
  if (!cache) {
    const key = deriveSigningKey(subtle, secret, day, region, service)
    // the caller awaits the key last: an unobserved rejection would be reported before it does
    key.catch(() => undefined)
    return key
  }
  const { keys } = cache
  const scope = `${day}/${region}/${service}`
  let memo = memos.get(credentials)
  // Stryker disable next-line ConditionalExpression: equivalent: the memo only spares a hash
  if (memo?.[0] !== secret) memos.set(credentials, (memo = [secret, sha256Hex(subtle, secret)]))
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: the memo only spares a lookup
  if (memo[2] !== keys || memo[3] !== scope) {
    const m = memo
    const key = m[1].then((print) => {
      // a hex fingerprint has a fixed length: the scope follows it without a separator
      const id = print + scope
      let found = keys.get(id)
      if (!found) {
        if (keys.size >= cache.maxEntries) keys.delete(keys.keys().next().value as string)
        keys.set(id, (found = deriveSigningKey(subtle, secret, day, region, service)))
        found.catch(() => keys.delete(id))
      }
      return found
    })
    // a failure is forgotten by the memo too (a newer memo forgotten costs only a lookup)
    key.catch(() => (m.length = 2))
    m.splice(2, 3, keys, scope, key)
  }
  return memo[4] as Promise<CryptoKey>
}

/** The string to sign: algorithm, time, scope and the canonical request's hex SHA-256, one per line. */
export const toSign = (amzDate: string, scope: string, canonicalHash: string): string => `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${canonicalHash}`

/** `[stringToSign, signature]` for a canonical request. */
export async function signature(subtle: Subtle, key: Promise<CryptoKey>, amzDate: string, scope: string, canonical: string): Promise<[string, string]> {
  const stringToSign = toSign(amzDate, scope, await sha256Hex(subtle, canonical))
  return [stringToSign, toHex(await subtle.sign('HMAC', await key, utf8(stringToSign)))]
}
