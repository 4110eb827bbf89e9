import { SigningKeyCache, type Subtle } from './crypto.js'
import { sign } from './sign.js'
import type { PresignedRequest, SignableRequest, SignedRequest, SignOptions } from './types.js'

export type SignerOptions = Omit<SignOptions, 'keyCache' | 'date' | 'expiresIn'> & {
  /** derived keys kept (default 50: one per day × region × service × secret) */
  cacheSize?: number
  /** clock for signing; default `() => new Date()` */
  now?: () => Date
  subtle?: Subtle
}

/**
 * Holds credentials, scope and a bounded derived-key cache of its own, so repeated signing costs
 * the unavoidable hashes and one HMAC.
 */
export class Signer {
  readonly #defaults: SignOptions
  readonly #now: () => Date | number
  declare readonly keyCache: SigningKeyCache

  constructor(options: SignerOptions) {
    const { cacheSize, now, ...defaults } = options
    this.keyCache = new SigningKeyCache(cacheSize)
    this.#now = now ?? Date.now
    this.#defaults = { ...defaults, keyCache: this.keyCache }
  }

  // no per-call copy of the options unless there are overrides
  sign(req: SignableRequest, overrides?: Partial<SignOptions>): Promise<SignedRequest> {
    return overrides ? sign(req, this.#with(overrides)) : sign(req, this.#defaults, false, this.#now())
  }

  presign(req: SignableRequest, overrides?: Partial<SignOptions>): Promise<PresignedRequest> {
    return overrides ? sign(req, this.#with(overrides), true) : sign(req, this.#defaults, true, this.#now())
  }

  #with(overrides: Partial<SignOptions>): SignOptions {
    return { ...this.#defaults, date: new Date(this.#now()), ...overrides }
  }
}
