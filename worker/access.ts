import { createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import { Refusal } from './answers.js'
import type { Caller } from './types.js'
import { within } from './cache.js'
import type { AccessConfig } from './config.js'

/** The header Cloudflare Access adds to every request it lets through; the CF_Authorization cookie alone is not trusted. */
export const ACCESS_HEADER = 'cf-access-jwt-assertion'
/** At most one fetch of a team's keys per isolate in this long, whether the last one worked or not. */
const KEYS_COOLDOWN_MS = 60_000
/** Known keys older than this are refetched (in the background: they keep working meanwhile). */
const KEYS_MAX_AGE_MS = 10 * 60_000
const FETCH_TIMEOUT_MS = 5_000
/** A team's key set is a few KB; anything much larger is not one. */
const MAX_KEYS_BYTES = 64 * 1024
const CLOCK_TOLERANCE_S = 30

/** The team's keys could not be had: no fetch worked and none is known. */
class KeysUnavailable extends Error {
  override name = 'KeysUnavailable' as const
}

/**
 * One team's signing keys in this isolate, fetched by this code rather than jose's remote key set,
 * which on Workers shares no fetch in flight and cools down only after a success (so made-up key
 * ids, or a failing endpoint, made every request refetch). Here: one fetch in flight, shared by
 * every waiter; a cooldown after every attempt; known keys used while a refresh is due or fails.
 */
class TeamKeys {
  #keys: { verify: JWTVerifyGetKey; kids: ReadonlySet<string>; at: number } | undefined
  #inflight: Promise<void> | undefined
  #triedAt = Number.NEGATIVE_INFINITY
  #failure = 'no fetch yet'

  constructor(
    readonly url: string,
    readonly fetch: typeof globalThis.fetch,
  ) {}

  /** Keys to verify a token signed under `kid`; fetches only for a kid not known, or when none are. */
  async forKid(kid: string | undefined, now: number, waitUntil: (p: Promise<unknown>) => void): Promise<JWTVerifyGetKey> {
    const known = this.#keys
    if (known && (kid === undefined || known.kids.has(kid))) {
      // stale-while-revalidate: the refresh runs beside this request, which uses what is known
      if (now - known.at >= KEYS_MAX_AGE_MS) waitUntil(this.#refresh(now))
      return known.verify
    }
    // a fetch another request started is waited for, but not past its own timeout: workerd may
    // cancel the work of a request that has ended
    await within(this.#refresh(now), FETCH_TIMEOUT_MS + 1000)
    const keys = this.#keys
    if (!keys) throw new KeysUnavailable(this.#failure)
    return keys.verify
  }

  #refresh(now: number): Promise<void> {
    if (this.#inflight) return this.#inflight
    if (now - this.#triedAt < KEYS_COOLDOWN_MS) return Promise.resolve()
    this.#triedAt = now
    const done = this.#load(now).finally(() => {
      if (this.#inflight === done) this.#inflight = undefined
    })
    this.#inflight = done
    return done
  }

  async #load(now: number): Promise<void> {
    try {
      const res = await this.fetch(this.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } })
      if (res.status !== 200) {
        await res.body?.cancel()
        throw new Error(`HTTP ${res.status}`)
      }
      const text = await res.text()
      if (text.length > MAX_KEYS_BYTES) throw new Error(`${text.length} characters, more than a key set`)
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        throw new Error('the answer is not JSON')
      }
      const keys = (parsed as { keys?: unknown } | null)?.keys
      if (!Array.isArray(keys) || keys.length === 0) throw new Error('the answer holds no keys')
      const set = { keys } as JSONWebKeySet
      const kids = new Set(keys.map((k: { kid?: unknown }) => k.kid).filter((k): k is string => typeof k === 'string'))
      this.#keys = { verify: createLocalJWKSet(set), kids, at: now }
      this.#failure = ''
    } catch (error) {
      this.#failure = `${this.url}: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`
    }
  }
}

// one per team in the isolate (tests bring their own fetch: a new fetch, a new loader)
const teams = new Map<string, TeamKeys>()

function teamKeys(teamDomain: string, fetchImpl: typeof fetch): TeamKeys {
  const known = teams.get(teamDomain)
  if (known && known.fetch === fetchImpl) return known
  if (teams.size >= 16) teams.clear()
  const keys = new TeamKeys(`${teamDomain}/cdn-cgi/access/certs`, fetchImpl)
  teams.set(teamDomain, keys)
  return keys
}

/**
 * The caller behind a Cloudflare Access assertion: RS256 only, signed by the team's current keys,
 * issued by the team (`iss`), for one of the application's audiences (`aud`), with an `exp` and
 * within `exp`/`nbf` (30 s leeway). A user is named by `email` and matched against the email
 * patterns of ACCESS_POLICIES; a service token by its `common_name` (its client id), matched only
 * by an entry naming that exact id. Each refusal is a 403 with a code saying why; keys that cannot
 * be fetched are 503 with the cause in the log line.
 */
export async function accessCaller(token: string, access: AccessConfig, fetchImpl: typeof fetch, now: number, waitUntil: (p: Promise<unknown>) => void): Promise<Caller> {
  let payload: Record<string, unknown>
  try {
    const { kid } = decodeProtectedHeader(token)
    const keys = await teamKeys(access.teamDomain, fetchImpl).forKid(kid, now, waitUntil)
    ;({ payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      issuer: access.teamDomain,
      audience: [...access.audiences],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(now),
    }))
  } catch (error) {
    throw refusal(error)
  }
  const email = typeof payload.email === 'string' && payload.email !== '' ? payload.email : undefined
  const clientId = typeof payload.common_name === 'string' && payload.common_name !== '' ? payload.common_name : undefined
  if (email === undefined && clientId === undefined) throw new Refusal(403, 'AccessIdentityMissing', 'the Access token names no email or service token (common_name)')
  const policy = email !== undefined ? access.policies.find((p) => p.kind === 'email' && p.match.test(email)) : access.policies.find((p) => p.kind === 'service' && p.pattern === clientId)
  const identity = (email ?? clientId) as string
  if (!policy) throw new Refusal(403, 'AccessDenied', `Access identity ${identity} is not in ACCESS_POLICIES`)
  return { name: identity, service: 'iam', ...(policy.actions ? { actions: policy.actions } : {}) }
}

function refusal(error: unknown): Refusal {
  if (error instanceof KeysUnavailable) return new Refusal(503, 'AccessKeysUnavailable', "the team's Access signing keys could not be fetched", {}, `access keys: ${error.message}`)
  if (error instanceof errors.JWTExpired) return new Refusal(403, 'AccessTokenExpired', 'the Access token has expired; sign in again')
  if (error instanceof errors.JWTClaimValidationFailed) {
    const codes: Record<string, string> = { nbf: 'AccessTokenNotYetValid', iss: 'AccessTokenWrongIssuer', aud: 'AccessTokenWrongAudience', exp: 'AccessTokenNoExpiry' }
    return new Refusal(403, codes[error.claim] ?? 'AccessTokenInvalid', `the Access token's ${error.claim} claim is missing or not accepted here`)
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new Refusal(403, 'AccessTokenAlgorithm', 'the Access token is not signed with RS256')
  if (error instanceof errors.JWKSNoMatchingKey) return new Refusal(403, 'AccessKeyUnknown', "the Access token's key is not one of the team's signing keys")
  if (error instanceof errors.JWSSignatureVerificationFailed) return new Refusal(403, 'AccessSignatureInvalid', "the Access token's signature does not verify")
  return new Refusal(403, 'AccessTokenMalformed', 'the Access token is not a well-formed JWT')
}
