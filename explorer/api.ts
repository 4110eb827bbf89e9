// Reads through the proxy's JSON facade (`/iam/{Action}`), the same allowlist, cache tiers and
// gate as every other caller. The bearer token lives in sessionStorage (this tab only); behind
// Cloudflare Access the browser's Access cookie is enough and no token is kept.

const TOKEN_KEY = 'iam-edge-explorer-token'

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string): void => sessionStorage.setItem(TOKEN_KEY, value),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
}

/** An answer of the facade that is not a success: its code and message as the proxy sent them. */
export class ApiError extends Error {
  constructor(
    readonly action: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** no caller identity (no token, no Access assertion), a wrong token, or an Access session not accepted (expired, invalid) */
  get unauthenticated(): boolean {
    return this.status === 403 && (['MissingAuthenticationToken', 'InvalidClientTokenId', 'IncompleteSignature'].includes(this.code) || (this.code.startsWith('Access') && this.code !== 'AccessDenied'))
  }

  /** the caller's action list does not include this action */
  get notAllowed(): boolean {
    return this.status === 403 && this.code === 'AccessDenied'
  }
}

/** Where the proxy is: the origin the page came from (the explorer is served at /explorer/). */
const base = (): string => new URL('../', location.href).href.replace(/\/$/, '')

/** Skip the proxy's caches for the next calls (the Refresh button; it costs the caller's budget share). */
let fresh = false
export function refreshNext(on: boolean): void {
  fresh = on
}

/** The Age (seconds) of the last answer of each action: how old the cached copy was. */
export const ages = new Map<string, number>()

export async function call<T>(action: string, params: Record<string, string> = {}, options: { fresh?: boolean } = {}): Promise<T> {
  const url = new URL(`${base()}/iam/${encodeURIComponent(action)}`)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  const t = token.get()
  const headers: Record<string, string> = t ? { authorization: `Bearer ${t}` } : {}
  if (fresh || options.fresh) headers['cache-control'] = 'no-cache'
  const res = await fetch(url, { headers, credentials: 'same-origin' })
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiError(action, res.status, 'Unreadable', `the proxy answered HTTP ${res.status} with something other than JSON`)
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } }).error
    throw new ApiError(action, res.status, error?.code ?? `HTTP${res.status}`, error?.message ?? `HTTP ${res.status}`)
  }
  const age = Number(res.headers.get('age') ?? 0)
  ages.set(action, Number.isFinite(age) && age >= 0 ? age : 0)
  return body as T
}
