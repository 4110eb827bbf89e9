import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTVerifyGetKey } from 'jose'
import { Refusal } from './answers.js'
import type { Caller } from './auth.js'
import type { AccessConfig } from './config.js'

/** The header Cloudflare Access adds to every request it lets through; the CF_Authorization cookie alone is not trusted. */
export const ACCESS_HEADER = 'cf-access-jwt-assertion'
// refetch the team's keys for an unknown `kid` at most once a minute, so made-up key ids cannot flood Access
const REFETCH_COOLDOWN_MS = 60_000
const KEYS_MAX_AGE_MS = 10 * 60_000
const CLOCK_TOLERANCE_S = 30

// one key set per team and fetch, kept across requests of the isolate (jose caches and rate-limits it)
const keySets = new Map<string, { fetch: typeof fetch; keys: JWTVerifyGetKey }>()

function keySet(teamDomain: string, fetchImpl: typeof fetch): JWTVerifyGetKey {
  const known = keySets.get(teamDomain)
  if (known && known.fetch === fetchImpl) return known.keys
  const keys = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`), {
    cooldownDuration: REFETCH_COOLDOWN_MS,
    cacheMaxAge: KEYS_MAX_AGE_MS,
    [customFetch]: (url: string, init: RequestInit) => fetchImpl(url, init),
  })
  keySets.set(teamDomain, { fetch: fetchImpl, keys })
  return keys
}

/**
 * The caller behind a Cloudflare Access assertion: RS256 only, signed by the team's current keys,
 * issued by the team (`iss`), for one of the application's audiences (`aud`), within `exp`/`nbf`
 * (30 s leeway). The identity is the user's `email` or a service token's `common_name`, and it
 * must match an ACCESS_POLICIES entry; each refusal is a 403 with a code saying why.
 */
export async function accessCaller(token: string, access: AccessConfig, fetchImpl: typeof fetch): Promise<Caller> {
  let payload: Record<string, unknown>
  try {
    ;({ payload } = await jwtVerify(token, keySet(access.teamDomain, fetchImpl), {
      algorithms: ['RS256'],
      issuer: access.teamDomain,
      audience: [...access.audiences],
      clockTolerance: CLOCK_TOLERANCE_S,
    }))
  } catch (error) {
    throw refusal(error)
  }
  const identity = typeof payload.email === 'string' && payload.email !== '' ? payload.email : typeof payload.common_name === 'string' ? payload.common_name : undefined
  if (identity === undefined) throw new Refusal(403, 'AccessIdentityMissing', 'the Access token names no email or service token (common_name)')
  const policy = access.policies.find((p) => p.match.test(identity))
  if (!policy) throw new Refusal(403, 'AccessDenied', `Access identity ${identity} is not in ACCESS_POLICIES`)
  return { name: identity, service: 'iam', ...(policy.actions ? { actions: policy.actions } : {}) }
}

function refusal(error: unknown): Refusal {
  if (error instanceof errors.JWTExpired) return new Refusal(403, 'AccessTokenExpired', 'the Access token has expired; sign in again')
  if (error instanceof errors.JWTClaimValidationFailed) {
    const codes: Record<string, string> = { nbf: 'AccessTokenNotYetValid', iss: 'AccessTokenWrongIssuer', aud: 'AccessTokenWrongAudience' }
    return new Refusal(403, codes[error.claim] ?? 'AccessTokenInvalid', `the Access token's ${error.claim} claim is not accepted here`)
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new Refusal(403, 'AccessTokenAlgorithm', 'the Access token is not signed with RS256')
  if (error instanceof errors.JWKSNoMatchingKey) return new Refusal(403, 'AccessKeyUnknown', "the Access token's key is not one of the team's signing keys")
  if (error instanceof errors.JWSSignatureVerificationFailed) return new Refusal(403, 'AccessSignatureInvalid', "the Access token's signature does not verify")
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new Refusal(503, 'AccessKeysUnavailable', "the team's Access signing keys could not be fetched")
  return new Refusal(403, 'AccessTokenMalformed', 'the Access token is not a well-formed JWT')
}
