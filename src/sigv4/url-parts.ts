/** The pieces of a request URL the signer needs, with path and query exactly as written. */
export interface UrlParts {
  /** scheme://authority, no trailing slash */
  origin: string
  /** host[:port] as the Host header carries it (WHATWG-normalized: lowercase, default port dropped) */
  host: string
  /** the path as written; `/` when empty */
  path: string
  /** the query as written, without `?` */
  query: string
}

/**
 * Splits a URL without letting a URL parser rewrite its path: `new URL()` resolves `.` and `..`
 * and percent-encodes, which changes what gets signed (6 of the 38 suite cases turn on this).
 * A URL object is taken as its parser left it.
 */
export function splitUrl(url: string | URL): UrlParts {
  if (url instanceof URL) {
    return { origin: url.origin, host: url.host, path: url.pathname || '/', query: url.search.slice(1) }
  }
  if (typeof url !== 'string') throw new TypeError(`SigV4: url must be a string or URL, got ${typeof url}`)
  const hash = url.indexOf('#')
  const noFragment = hash === -1 ? url : url.slice(0, hash)
  const afterScheme = noFragment.indexOf('//') + 2
  const pathStart = afterScheme < 2 ? -1 : noFragment.slice(afterScheme).search(/[/?]/)
  const origin = noFragment.slice(0, pathStart === -1 ? noFragment.length : afterScheme + pathStart)
  const rest = pathStart === -1 ? '' : noFragment.slice(afterScheme + pathStart)
  const q = rest.indexOf('?')
  const path = q === -1 ? rest : rest.slice(0, q)
  return { origin, host: hostOf(origin, url), path: path === '' ? '/' : path, query: q === -1 ? '' : rest.slice(q + 1) }
}

// origin → WHATWG host; a client signs for a handful of endpoints, so parse each once
const hosts = new Map<string, string>()

function hostOf(origin: string, url: string): string {
  let host = hosts.get(origin)
  if (host !== undefined) return host
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new TypeError(`SigV4: cannot parse URL ${JSON.stringify(url)}`, { cause })
  }
  if (!parsed.host) throw new TypeError(`SigV4: URL ${JSON.stringify(url)} has no host`)
  host = parsed.host
  if (hosts.size >= 64) hosts.clear()
  hosts.set(origin, host)
  return host
}
