import { check } from '../sigv4/canonical.js'
import { defaultSubtle } from '../sigv4/crypto.js'
import { type Asymmetric, assertCredentials, sign } from '../sigv4/sign.js'
import type { PresignedRequest, SignableRequest, SignedRequest, SignOptions } from '../sigv4/types.js'
import { ALGORITHM_V4A, keyPairV4a } from './key.js'
import { rawToDer } from './p256.js'

/** signRequest's options less `region` and its HMAC key cache, plus the region set. */
export interface SignOptionsV4a extends Omit<SignOptions, 'region' | 'keyCache' | 'subtle'> {
  /** regions the signature is valid in: names or wildcards such as `us-*` (default `['*']`, every region) */
  regionSet?: readonly string[]
  /** `false` derives the key pair on every call (default: a shared bounded cache of 50 pairs) */
  keyCache?: false
  subtle?: SubtleCrypto
}

const REGION = /^[^\s,/]+$/

// the SigV4 options and the SigV4a part of one signature
function prepare(o: SignOptionsV4a): [SignOptions, Asymmetric] {
  assertCredentials(o?.credentials)
  const set = o.regionSet ?? ['*']
  if (!Array.isArray(set) || set.length === 0) throw new TypeError(`SigV4a: regionSet must be a non-empty array of region names, got ${JSON.stringify(set)}`)
  for (const region of set) check(region, REGION, 'region in regionSet')
  const subtle = o.subtle ?? (defaultSubtle() as SubtleCrypto)
  const key = keyPairV4a(o.credentials, subtle, o.keyCache !== false).then((pair) => pair.privateKey)
  // sign() awaits the key last: an unobserved rejection would be reported before it does
  key.catch(() => undefined)
  const { regionSet: _, keyCache: __, ...rest } = o
  return [
    { ...rest, region: set.join(','), keyCache: false },
    { algorithm: ALGORITHM_V4A, key, sign: async (k, data) => rawToDer(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, k, data)) },
  ]
}

/**
 * Signs a request with SigV4a (AWS4-ECDSA-P256-SHA256) in an Authorization header: valid in every
 * region of `regionSet`, which is signed as `x-amz-region-set`. The request, header, path, query
 * and body rules and the result are signRequest's; the signature is a DER-encoded ECDSA P-256
 * signature in hex, different at every call (ECDSA is randomised).
 */
export async function signRequestV4a(req: SignableRequest, options: SignOptionsV4a): Promise<SignedRequest> {
  const [o, alt] = prepare(options)
  return sign(req, o, false, undefined, alt)
}

/** Presigns with SigV4a: X-Amz-Region-Set joins the query; presignRequest's rules otherwise. */
export async function presignRequestV4a(req: SignableRequest, options: SignOptionsV4a): Promise<PresignedRequest> {
  const [o, alt] = prepare(options)
  return sign(req, o, true, undefined, alt)
}

/** Holds SigV4a options for repeated signing; the key pair is derived once and cached. */
export class SignerV4a {
  readonly #options: SignOptionsV4a

  constructor(options: SignOptionsV4a) {
    prepare(options)
    this.#options = { ...options }
  }

  sign(req: SignableRequest, overrides?: Partial<SignOptionsV4a>): Promise<SignedRequest> {
    return signRequestV4a(req, { ...this.#options, ...overrides })
  }

  presign(req: SignableRequest, overrides?: Partial<SignOptionsV4a>): Promise<PresignedRequest> {
    return presignRequestV4a(req, { ...this.#options, ...overrides })
  }
}
