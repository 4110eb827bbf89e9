import { assertCredentials } from '../sigv4/sign.js'
import type { CredentialProvider, Credentials } from '../sigv4/types.js'
import { DEFAULT_RETRIES } from './retry.js'

export interface QueryClientConfig<Reader = unknown> {
  /**
   * required unless `iam-edge/config` is imported: then a client without credentials takes
   * credentials, region and endpoint from the AWS CLI's chain (what is passed here wins)
   */
  credentials?: Credentials | CredentialProvider
  /** default: us-east-1 (IAM: the partition's signing region; STS: the global endpoint) */
  region?: string
  /** custom base URL (moto, a proxy); signed for `region` or us-east-1 */
  endpoint?: string
  fetch?: typeof fetch
  /** retries after the first attempt (default 3) */
  retries?: number
  /** per attempt, including reading the body (default 10 000) */
  timeoutMs?: number
  /** largest response body read, bytes (default 32 MiB); longer → ResponseTooLargeError */
  maxResponseBytes?: number
  /** allow plain HTTP to a host that is not loopback */
  allowHttp?: boolean
  xmlReader?: Reader
  /** GET is used only while the URL stays within 2,048 bytes (default POST) */
  method?: 'POST' | 'GET'
  /** sent as x-amz-user-agent */
  userAgent?: string
  /** [0, 1) source for backoff jitter; injectable for tests */
  random?: () => number
  /** waits between attempts; injectable for tests */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** local clock in ms; injectable for tests */
  now?: () => number
}

export const DEFAULT_TIMEOUT_MS = 10_000
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'credentials', 'region', 'endpoint', 'fetch', 'retries', 'timeoutMs', 'maxResponseBytes', 'allowHttp', 'xmlReader',
  'method', 'userAgent', 'random', 'sleep', 'now',
])

function optionalFunction(config: Record<string, unknown>, key: string): void {
  if (config[key] !== undefined && typeof config[key] !== 'function') throw new TypeError(`${key}: must be a function`)
}

/** Fails fast, naming the option, so a typo or a wrong type never surfaces as a confusing request error. */
export function validateConfig<C>(config: C): asserts config is C & { credentials: Credentials | CredentialProvider } {
  if (typeof config !== 'object' || config === null) throw new TypeError('config: expected an object')
  const c = config as Record<string, unknown>
  for (const key of Object.keys(c)) {
    if (!KNOWN_KEYS.has(key)) throw new TypeError(`${key}: unknown option (known: ${[...KNOWN_KEYS].join(', ')})`)
  }
  if (c.credentials === undefined) {
    throw new TypeError("credentials: required (a key pair or a provider function); in Node, Deno or Bun, import 'iam-edge/config' to find them as the AWS CLI does")
  }
  if (typeof c.credentials !== 'function') assertCredentials(c.credentials, 'credentials')
  if (c.region !== undefined && (typeof c.region !== 'string' || c.region === '')) throw new TypeError('region: must be a non-empty string')
  if (c.endpoint !== undefined) {
    if (typeof c.endpoint !== 'string' || !URL.canParse(c.endpoint)) throw new TypeError(`endpoint: ${String(c.endpoint)} is not an absolute URL`)
    const url = new URL(c.endpoint)
    if (url.search !== '' || url.hash !== '') throw new TypeError(`endpoint: ${c.endpoint} must not carry a query or fragment`)
  }
  if (c.retries !== undefined && (!Number.isInteger(c.retries) || (c.retries as number) < 0 || (c.retries as number) > 20)) {
    throw new RangeError(`retries: must be an integer from 0 to 20, got ${String(c.retries)}`)
  }
  if (c.timeoutMs !== undefined && (typeof c.timeoutMs !== 'number' || !(c.timeoutMs > 0) || !Number.isFinite(c.timeoutMs))) {
    throw new RangeError(`timeoutMs: must be a positive finite number, got ${String(c.timeoutMs)}`)
  }
  if (c.maxResponseBytes !== undefined && (!Number.isInteger(c.maxResponseBytes) || (c.maxResponseBytes as number) < 1)) {
    throw new RangeError(`maxResponseBytes: must be a positive whole number, got ${String(c.maxResponseBytes)}`)
  }
  if (c.allowHttp !== undefined && typeof c.allowHttp !== 'boolean') throw new TypeError('allowHttp: must be a boolean')
  if (c.method !== undefined && c.method !== 'POST' && c.method !== 'GET') throw new TypeError(`method: must be 'POST' or 'GET', got ${String(c.method)}`)
  if (c.userAgent !== undefined && typeof c.userAgent !== 'string') throw new TypeError('userAgent: must be a string')
  for (const key of ['fetch', 'random', 'sleep', 'now']) optionalFunction(c, key)
  if (c.fetch === undefined && typeof globalThis.fetch !== 'function') throw new TypeError('fetch: no global fetch here; pass one')
}

export { DEFAULT_RETRIES }

/** Either form a client config allows, as a provider; a key pair is checked and frozen once. */
export function toCredentialProvider(source: Credentials | CredentialProvider): CredentialProvider {
  if (typeof source === 'function') return source
  assertCredentials(source)
  const frozen: Credentials = Object.freeze({ ...source })
  return () => Promise.resolve(frozen)
}
