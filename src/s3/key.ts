import { SigningKeyCache, type Subtle } from '../sigv4/crypto.js'
import type { Credentials } from '../sigv4/types.js'

// the derived keys of iam-edge/s3's free functions, bounded as the signer's own shared cache is
const shared = new SigningKeyCache()

/**
 * kSigning for a scope, through the signer's public key cache: the caller's (`keyCache`), this
 * module's shared one, or none (`keyCache: false`, or a custom `subtle`, whose keys are not shared).
 * Not the signer's own `signingKey`: the sigv4 layer does not publish it (tree-shaking test), so a
 * chunked upload's first signature in a scope derives the key once more here.
 */
export function keyOf(o: { keyCache?: SigningKeyCache | false | undefined; subtle?: Subtle | undefined }, subtle: Subtle, c: Credentials, day: string, region: string, service: string): Promise<CryptoKey> {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BooleanLiteral: equivalent in every answer: which cache holds a key changes only what is kept
  const cache = o.keyCache || (o.keyCache === false || o.subtle ? new SigningKeyCache(1) : shared)
  return cache.get(subtle, c, day, region, service)
}
