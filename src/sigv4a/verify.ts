import type { Credentials } from '../sigv4/types.js'
import { type Lookup, type VerifyOptions, type VerifyResult, verifyAs } from '../sigv4/verify.js'
import { ALGORITHM_V4A, keyPairV4a } from './key.js'
import { derToRaw } from './p256.js'

/**
 * Checks an incoming request's SigV4a signature (Authorization header or presigned query) against
 * the public key derived from the credentials `lookup` returns: verifyRequest's rules, options and
 * error codes, and the region set must be signed. On success `region` is the signed region set as
 * sent (`us-east-1,us-west-2`, `*`); whether it covers where you run is yours to decide.
 */
export function verifyRequestV4a(req: Request, lookup: Lookup, options: Omit<VerifyOptions, 'keyCache'> = {}): Promise<VerifyResult> {
  return verifyAs(req, lookup, options, {
    algorithm: ALGORITHM_V4A,
    async verify(credentials: Credentials, signature: string, stringToSign, subtle) {
      const raw = derToRaw(signature)
      if (!raw) return false
      const { publicKey } = await keyPairV4a(credentials, subtle)
      return subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, raw, stringToSign)
    },
  })
}
