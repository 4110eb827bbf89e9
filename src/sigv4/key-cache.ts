import { type Subtle, hmac, importHmacKey } from './crypto.js'
import { KEY_PREFIX, SCOPE_TERMINATOR } from './constants.js'
import { toHex, utf8 } from './encoding.js'

/**
 * Bounded cache of derived signing keys (kSigning, imported once as a non-extractable HMAC
 * CryptoKey). Entries are keyed by a SHA-256 fingerprint of the secret, never the secret itself,
 * and each credentials object's fingerprint is remembered (weakly) so the hot path hashes nothing.
 * Oldest entries are evicted first.
 */
export class SigningKeyCache {
  readonly maxEntries: number
  readonly #keys = new Map<string, Promise<CryptoKey>>()
  readonly #fingerprints = new WeakMap<object, { secret: string; fingerprint: Promise<string> }>()

  constructor(maxEntries = 50) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`SigV4: key cache size must be a positive integer, got ${String(maxEntries)}`)
    }
    this.maxEntries = maxEntries
  }

  get size(): number {
    return this.#keys.size
  }

  get(
    subtle: Subtle,
    credentials: { secretAccessKey: string },
    day: string,
    region: string,
    service: string,
  ): Promise<CryptoKey> {
    return this.#fingerprint(subtle, credentials).then((fingerprint) => {
      const id = `${fingerprint}/${day}/${region}/${service}`
      let key = this.#keys.get(id)
      if (key === undefined) {
        key = deriveSigningKey(subtle, credentials.secretAccessKey, day, region, service)
        // a failed derivation must not stay cached
        key.catch(() => this.#keys.delete(id))
        if (this.#keys.size >= this.maxEntries) {
          const oldest = this.#keys.keys().next()
          if (!oldest.done) this.#keys.delete(oldest.value)
        }
        this.#keys.set(id, key)
      }
      return key
    })
  }

  clear(): void {
    this.#keys.clear()
  }

  #fingerprint(subtle: Subtle, credentials: { secretAccessKey: string }): Promise<string> {
    const seen = this.#fingerprints.get(credentials)
    // the same object may be mutated (a refreshed provider): only reuse while the secret is unchanged
    if (seen !== undefined && seen.secret === credentials.secretAccessKey) return seen.fingerprint
    const fingerprint = subtle.digest('SHA-256', utf8(credentials.secretAccessKey) as BufferSource).then(toHex)
    this.#fingerprints.set(credentials, { secret: credentials.secretAccessKey, fingerprint })
    return fingerprint
  }
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request"). */
export async function deriveSigningKey(
  subtle: Subtle,
  secretAccessKey: string,
  day: string,
  region: string,
  service: string,
): Promise<CryptoKey> {
  let raw: ArrayBuffer | Uint8Array = utf8(KEY_PREFIX + secretAccessKey)
  for (const part of [day, region, service, SCOPE_TERMINATOR]) {
    raw = await hmac(subtle, await importHmacKey(subtle, raw), part)
  }
  return importHmacKey(subtle, raw)
}
