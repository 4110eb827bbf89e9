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
  readonly #fingerprints = new WeakMap<object, Fingerprint>()

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
    const seen = this.#fingerprints.get(credentials)
    // the same object may be mutated (a refreshed provider): reuse only while the secret is unchanged
    if (seen?.value !== undefined && seen.secret === credentials.secretAccessKey) {
      return this.#key(subtle, credentials.secretAccessKey, `${seen.value}/${day}/${region}/${service}`, day, region, service)
    }
    return this.#fingerprint(subtle, credentials).then((fingerprint) =>
      this.#key(subtle, credentials.secretAccessKey, `${fingerprint}/${day}/${region}/${service}`, day, region, service),
    )
  }

  #key(subtle: Subtle, secret: string, id: string, day: string, region: string, service: string): Promise<CryptoKey> {
    let key = this.#keys.get(id)
    if (key === undefined) {
      key = deriveSigningKey(subtle, secret, day, region, service)
      // a failed derivation must not stay cached
      key.catch(() => this.#keys.delete(id))
      if (this.#keys.size >= this.maxEntries) {
        const oldest = this.#keys.keys().next()
        if (!oldest.done) this.#keys.delete(oldest.value)
      }
      this.#keys.set(id, key)
    }
    return key
  }

  clear(): void {
    this.#keys.clear()
  }

  #fingerprint(subtle: Subtle, credentials: { secretAccessKey: string }): Promise<string> {
    const secret = credentials.secretAccessKey
    const entry: Fingerprint = { secret, value: undefined }
    this.#fingerprints.set(credentials, entry)
    return subtle.digest('SHA-256', utf8(secret) as BufferSource).then((digest) => {
      entry.value = toHex(digest)
      return entry.value
    })
  }
}

interface Fingerprint {
  secret: string
  /** hex SHA-256 of the secret, once computed */
  value: string | undefined
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
