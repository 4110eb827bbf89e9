import { canonicalHeaders, collectHeaders, type HeaderMap, isSignable } from './canonical-headers.js'
import { canonicalUri } from './canonical-uri.js'
import { ALGORITHM, AMZ_CONTENT_SHA256, HOST, SCOPE_TERMINATOR } from './constants.js'
import { type Subtle, defaultSubtle, hmac, sha256Hex } from './crypto.js'
import { toAmzDate } from './date.js'
import { toHex } from './encoding.js'
import { deriveSigningKey, SigningKeyCache } from './key-cache.js'
import type { Credentials, SignableRequest, SignOptions } from './types.js'
import { type UrlParts, splitUrl } from './url-parts.js'

let shared: SigningKeyCache | undefined

/**
 * The cache the free functions use unless given one (or `keyCache: false`): bounded (50 keys,
 * oldest out first) and keyed by a fingerprint of each secret, as every SigningKeyCache is. Made
 * on first use, so importing the signer runs nothing.
 */
function sharedKeyCache(): SigningKeyCache {
  shared ??= new SigningKeyCache()
  return shared
}

/** kSigning for a scope, from the caller's cache, the shared one, or derived afresh (`keyCache: false`). */
export function signingKey(
  options: { keyCache?: SigningKeyCache | false | undefined; subtle?: Subtle | undefined },
  subtle: Subtle,
  credentials: Credentials,
  day: string,
  region: string,
  service: string,
): Promise<CryptoKey> {
  const cache = options.keyCache === false ? undefined : (options.keyCache ?? (options.subtle === undefined ? sharedKeyCache() : undefined))
  return cache ? cache.get(subtle, credentials, day, region, service) : deriveSigningKey(subtle, credentials.secretAccessKey, day, region, service)
}

/** What both signing forms derive from a request and options before building the canonical request. */
export interface Prepared {
  subtle: Subtle
  options: SignOptions
  credentials: Credentials
  method: string
  parts: UrlParts
  headers: HeaderMap
  /** whether the caller supplied Host (otherwise it is signed but left for fetch to send) */
  hostGiven: boolean
  amzDate: string
  scope: string
  key: Promise<CryptoKey>
  /** the x-amz-content-sha256 the caller gave, signed instead of hashing the body */
  givenPayloadHash: string | undefined
}

// fetch uppercases these and only these (Fetch standard, "normalize a method")
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const SCOPE_PART = /^[^\s/]+$/

export function prepare(req: SignableRequest, options: SignOptions): Prepared {
  if (req === null || typeof req !== 'object') throw new TypeError('SigV4: request must be an object')
  if (options === null || typeof options !== 'object') throw new TypeError('SigV4: options must be an object')
  assertCredentials(options.credentials)
  const credentials = options.credentials
  const region = checkScopePart('region', options.region)
  const service = checkScopePart('service', options.service)
  const subtle = options.subtle ?? defaultSubtle()
  const method = normalizeMethod(req.method)
  const parts = splitUrl(req.url)
  const headers = collectHeaders(req.headers)
  const hostGiven = headers.has(HOST)
  if (!hostGiven) headers.set(HOST, parts.host)
  const amzDate = toAmzDate(options.date ?? new Date())
  const day = amzDate.slice(0, 8)
  const key = signingKey(options, subtle, credentials, day, region, service)
  // an unobserved rejection here would be reported before the caller awaits it
  key.catch(() => undefined)
  return {
    subtle,
    options,
    credentials,
    method,
    parts,
    headers,
    hostGiven,
    amzDate,
    scope: `${day}/${region}/${service}/${SCOPE_TERMINATOR}`,
    key,
    givenPayloadHash: headers.get(AMZ_CONTENT_SHA256),
  }
}

/** Names to sign, sorted: every header present except the never-signed ones. */
export function signedNames(headers: HeaderMap): string[] {
  const names: string[] = []
  for (const name of headers.keys()) if (isSignable(name)) names.push(name)
  return names.sort()
}

export function canonicalRequest(p: Prepared, query: string, names: readonly string[], payloadHash: string): string {
  const uri = canonicalUri(p.parts.path, p.options.normalizePath !== false, p.options.singleEncode === true)
  return buildCanonicalRequest(p.method, uri, query, p.headers, names, payloadHash)
}

/** method, URI, query, header lines, blank line, signed names, payload hash: one per line. */
export function buildCanonicalRequest(
  method: string,
  uri: string,
  query: string,
  headers: HeaderMap,
  names: readonly string[],
  payloadHash: string,
): string {
  return `${method}\n${uri}\n${query}\n${canonicalHeaders(headers, names)}\n${names.join(';')}\n${payloadHash}`
}

export function finish(p: Prepared, canonical: string): Promise<{ stringToSign: string; signature: string }> {
  return computeSignature(p.subtle, p.key, p.amzDate, p.scope, canonical)
}

export async function computeSignature(
  subtle: Subtle,
  key: Promise<CryptoKey>,
  amzDate: string,
  scope: string,
  canonical: string,
): Promise<{ stringToSign: string; signature: string }> {
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${await sha256Hex(subtle, canonical)}`
  const signature = toHex(await hmac(subtle, await key, stringToSign))
  return { stringToSign, signature }
}

/**
 * The one check of a key pair, used by the signer and by every client and provider: both keys
 * non-empty strings; a session token, when present, a string (an empty one means none, as an
 * empty AWS_SESSION_TOKEN does for the AWS CLI).
 */
export function assertCredentials(value: unknown, label = 'credentials'): asserts value is Credentials {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`${label}: expected { accessKeyId, secretAccessKey, sessionToken? } or a provider function`)
  }
  const c = value as Partial<Record<keyof Credentials, unknown>>
  for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
    if (typeof c[field] !== 'string' || c[field] === '') throw new TypeError(`${label}.${field}: must be a non-empty string`)
  }
  if (c.sessionToken !== undefined && typeof c.sessionToken !== 'string') throw new TypeError(`${label}.sessionToken: must be a string when given`)
}

function checkScopePart(name: string, value: unknown): string {
  if (typeof value !== 'string' || !SCOPE_PART.test(value)) {
    throw new TypeError(`SigV4: ${name} is missing or invalid (${JSON.stringify(value)}); it must be non-empty with no '/' or spaces`)
  }
  return value
}

function normalizeMethod(method: unknown): string {
  if (typeof method !== 'string' || !METHOD.test(method)) {
    throw new TypeError(`SigV4: invalid HTTP method ${JSON.stringify(method)}`)
  }
  const upper = method.toUpperCase()
  return NORMALIZED_METHODS.has(upper) ? upper : method
}
