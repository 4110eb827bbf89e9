// The WebCrypto side of Signature Version 4: hashes, the derived signing key and its cache, the
// signature. Compact for the same reason as canonical.ts.
import { fail } from './canonical.js'
import type { Credentials } from './types.js'

/** The WebCrypto calls the signer makes; injectable for tests and exotic runtimes. */
export type Subtle = Pick<SubtleCrypto, 'digest' | 'importKey' | 'sign'>

export function defaultSubtle(): Subtle {
  return globalThis.crypto?.subtle ?? fail('WebCrypto (crypto.subtle) is unavailable; browsers offer it only over https or on localhost')
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

let hexDigits: string[] | undefined

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  hexDigits ??= Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16))
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let out = ''
  for (let i = 0; i < view.length; i++) out += hexDigits[view[i] as number]
  return out
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

/**
 * Bounded cache of derived signing keys (kSigning, imported once as a non-extractable HMAC
 * CryptoKey), oldest out first. Entries are keyed by a SHA-256 fingerprint of the secret, never the
 * secret itself; each credentials object remembers (weakly) its secret, that fingerprint and its
 * last scope's key, so the hot path hashes nothing and builds no key, and a secret changed on the
 * same object (a refreshed provider) is noticed. A derivation that fails is not kept.
 */
export class SigningKeyCache {
  readonly #keys = new Map<string, Promise<CryptoKey>>()
  #last = new WeakMap<object, Last>()

  constructor(readonly maxEntries = 50) {
    if (!(Number.isInteger(maxEntries) && maxEntries > 0)) throw new RangeError(`SigV4: key cache size must be a positive integer, got ${maxEntries}`)
  }

  get size(): number {
    return this.#keys.size
  }

  clear(): void {
    this.#keys.clear()
    this.#last = new WeakMap()
  }

  get(subtle: Subtle, credentials: { secretAccessKey: string }, day: string, region: string, service: string): Promise<CryptoKey> {
    const secret = credentials.secretAccessKey
    let last = this.#last.get(credentials)
    // Stryker disable next-line ConditionalExpression: equivalent: the memo only spares a hash
    if (last?.[0] !== secret) this.#last.set(credentials, (last = [secret, sha256Hex(subtle, secret)]))
    const scope = `${day}/${region}/${service}`
    // Stryker disable next-line ConditionalExpression: equivalent: the memo only spares a map lookup
    if (last[2] === scope) return last[3] as Promise<CryptoKey>
    const memo = last
    const key = memo[1].then((print) => {
      const id = `${print}/${scope}`
      let found = this.#keys.get(id)
      if (!found) {
        found = deriveSigningKey(subtle, secret, day, region, service)
        found.catch(() => this.#keys.delete(id))
        if (this.#keys.size >= this.maxEntries) this.#keys.delete(this.#keys.keys().next().value as string)
        this.#keys.set(id, found)
      }
      return found
    })
    // a failure is forgotten by the memo too; an unobserved rejection would be reported before the caller awaits it
    key.catch(() => {
      // Stryker disable next-line ConditionalExpression: equivalent: forgetting a newer memo only costs a lookup
      if (memo[3] === key) memo.length = 2
    })
    memo[2] = scope
    memo[3] = key
    return key
  }
}

type Last = [secret: string, print: Promise<string>, scope?: string, key?: Promise<CryptoKey>]

let shared: SigningKeyCache | undefined

/**
 * kSigning for a scope: from the caller's cache; from one shared cache (bounded, made on first use)
 * unless `keyCache: false` or a custom `subtle` (whose keys could not be shared); else derived.
 */
export function signingKey(
  options: { keyCache?: SigningKeyCache | false | undefined; subtle?: Subtle | undefined },
  subtle: Subtle,
  credentials: Credentials,
  day: string,
  region: string,
  service: string,
): Promise<CryptoKey> {
  // Stryker disable next-line BooleanLiteral,ConditionalExpression: equivalent: with keyCache false both paths derive without a cache
  const cache = options.keyCache === false ? undefined : (options.keyCache ?? (options.subtle ? undefined : (shared ??= new SigningKeyCache())))
  if (cache) return cache.get(subtle, credentials, day, region, service)
  const key = deriveSigningKey(subtle, credentials.secretAccessKey, day, region, service)
  // an unobserved rejection would be reported before the caller awaits it (cached keys have a handler)
  key.catch(() => undefined)
  return key
}

/** The string to sign: algorithm, time, scope and the canonical request's hex SHA-256, one per line. */
export const toSign = (amzDate: string, scope: string, canonicalHash: string): string => `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${canonicalHash}`

/** `[stringToSign, signature]` for a canonical request. */
export async function signature(subtle: Subtle, key: Promise<CryptoKey>, amzDate: string, scope: string, canonical: string): Promise<[string, string]> {
  const stringToSign = toSign(amzDate, scope, await sha256Hex(subtle, canonical))
  return [stringToSign, toHex(await subtle.sign('HMAC', await key, utf8(stringToSign)))]
}
