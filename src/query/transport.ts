import { uriEscape } from '../sigv4/canonical.js'
import { readCapped } from '../sigv4/read-body.js'
import { NetworkError, ResponseTooLargeError, XmlParseError, TimeoutError } from './errors.js'

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8'
/** Longest GET URL sent; beyond it the same call goes as a POST (proxies and IAM cap URL length). */
export const MAX_GET_URL_BYTES = 2048

export interface WireRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body: string | null
}

/** RFC 3986 encoding of every name and value: the form SigV4 canonicalizes to, so nothing is re-encoded. */
export function encodeQuery(params: URLSearchParams): string {
  const parts: string[] = []
  for (const [name, value] of params) parts.push(`${uriEscape(name)}=${uriEscape(value)}`)
  return parts.join('&')
}

/** A Query call as GET (when asked and short enough) or as a form POST. */
export function buildWireRequest(baseUrl: string, params: URLSearchParams, preferred: 'GET' | 'POST'): WireRequest {
  const query = encodeQuery(params)
  if (preferred === 'GET') {
    const url = `${baseUrl}?${query}`
    if (url.length <= MAX_GET_URL_BYTES) return { method: 'GET', url, headers: {}, body: null }
  }
  return { method: 'POST', url: baseUrl, headers: { 'content-type': FORM_CONTENT_TYPE }, body: query }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255)
}

/** Credentials travel with every request: plain HTTP only to this machine or when explicitly allowed. */
export function assertSecureEndpoint(endpoint: string, allowHttp: boolean): void {
  const url = new URL(endpoint)
  if (url.protocol === 'https:') return
  if (url.protocol !== 'http:') throw new TypeError(`endpoint: ${endpoint} must be an http(s) URL`)
  if (!allowHttp && !isLoopbackHost(url.hostname)) {
    throw new TypeError(`endpoint: ${endpoint} is plain HTTP to a host that is not loopback; use https or set allowHttp: true`)
  }
}

export interface ExchangeResult {
  status: number
  headers: Headers
  body: string
}

/** Default cap on a response body: IAM's largest answers (authorization details) are a few MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 33_554_432 // 32 MiB

/**
 * One fetch with the body read to the end, bounded by `timeoutMs` and cancelled by the caller's signal.
 * Caller abort → the signal's reason; our timer → TimeoutError; fetch failing → NetworkError.
 */
export async function exchange(
  fetchImpl: typeof fetch,
  req: Omit<WireRequest, 'headers'> & { headers: Headers },
  timeoutMs: number,
  signal: AbortSignal | undefined,
  maxResponseBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<ExchangeResult> {
  signal?.throwIfAborted()
  const controller = new AbortController()
  const timedOut = new TimeoutError(req.method, req.url, timeoutMs)
  const timer = setTimeout(() => controller.abort(timedOut), timeoutMs)
  const onAbort = (): void => controller.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const init: RequestInit = { method: req.method, headers: req.headers, signal: controller.signal }
    if (req.body !== null) init.body = req.body
    const res = await fetchImpl(req.url, init)
    const declared = Number(res.headers.get('content-length') ?? Number.NaN)
    // the timeout and the caller's signal cover the body too, even from a fetch that does not tie
    // the body's stream to the signal
    const bytes = declared > maxResponseBytes ? undefined : await Promise.race([readCapped(res.body, maxResponseBytes), rejectOnAbort(controller.signal)])
    if (bytes === undefined) throw new ResponseTooLargeError(req.method, req.url, maxResponseBytes)
    let body: string
    try {
      // a success must be exactly UTF-8; an error page in another charset is still worth showing
      body = new TextDecoder('utf-8', { fatal: res.ok }).decode(bytes)
    } catch (cause) {
      throw new XmlParseError(`${req.method} ${req.url}: the response is not valid UTF-8`, undefined, { cause })
    }
    return { status: res.status, headers: res.headers, body }
  } catch (error) {
    if (error instanceof ResponseTooLargeError || error instanceof XmlParseError) throw error
    if (signal?.aborted) throw signal.reason
    if (controller.signal.aborted && controller.signal.reason === timedOut) throw timedOut
    throw new NetworkError(req.method, req.url, error)
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}
