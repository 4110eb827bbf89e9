import { toHex } from '../src/sigv4/encoding.js'

/**
 * The cache key of an upstream answer: service, action and parameters sorted by name (so parameter
 * order and GET versus POST do not split entries) plus a fingerprint of the upstream identity (two
 * accounts never share answers). A URL, because the Cache API keys by Request.
 */
export async function cacheKey(service: string, action: string, params: ReadonlyArray<readonly [string, string]>, upstreamIdentity: string): Promise<string> {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  const query = sorted.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(upstreamIdentity))
  const account = toHex(new Uint8Array(digest).slice(0, 12))
  return `https://cache.iam-edge.invalid/v1/${account}/${service}/${action}${query === '' ? '' : `?${query}`}`
}
