// The canonical request of Signature Version 4, built from a request as written.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//
// Written by hand, and for size as much as for speed: `npm run size` holds the min+gzip browser
// bundle of signRequest + presignRequest under aws4fetch's AwsV4Signer (scripts/size-budgets.json).
// Hence one pass per job, regexes that do several jobs, and short messages that still name the
// problem. Read the comments for the rule each line applies.

/** Throws the signer's TypeError: every message starts `SigV4: ` and names what was wrong. */
export function fail(problem: string): never {
  throw new TypeError(`SigV4: ${problem}`)
}

/** `value`, when it is a string that `pattern` matches; else a TypeError that names the bad value. */
export function check(value: unknown, pattern: RegExp, what: string): string {
  return typeof value == 'string' && pattern.test(value) ? value : fail(`invalid ${what} ${JSON.stringify(value)}`)
}

/**
 * Headers never signed: hop-by-hop headers that proxies drop or rewrite, headers that runtimes set
 * themselves (workerd replaces Accept-Encoding, browsers own User-Agent), and the signature itself.
 * A signature over any of these could not be verified at the other end.
 */
export const UNSIGNED_HEADERS: ReadonlySet<string> = new Set(
  'authorization accept-encoding connection expect keep-alive proxy-authorization te trailer transfer-encoding upgrade user-agent x-amzn-trace-id'.split(' '),
)

/** RFC 9110 token: what a method or a header name may be. */
export const TOKEN = /^[!#$%&'*+.^`|~\w-]+$/

/**
 * RFC 3986 percent-encoding: every byte but the unreserved A-Z a-z 0-9 - _ . ~ is encoded, hex
 * uppercase. `encodeURIComponent` leaves ! ' ( ) * alone, which SigV4 encodes.
 */
export function uriEscape(text: string): string {
  try {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  } catch {
    return fail(`lone surrogate in ${JSON.stringify(text)}`)
  }
}

/**
 * A query component (or an S3 path segment) as written, made canonical the way AWS reads it:
 * `%XX` escapes keep the byte they name (re-encoded uppercase, or the character when
 * unreserved), a `%` that starts no escape is a literal `%`, a `+` is a space (AWS's services
 * form-decode a query, so `a+b` reaches them as "a b": it is signed as `a%20b`, and a plus must
 * travel as `%2B`), everything else is UTF-8 percent-encoded. Working on bytes keeps invalid UTF-8
 * (`%80`) as the server sees it. One rule for signing and verifying: a signature over `%2B`
 * never verifies a URL that carries `+` instead.
 */
export function canonicalComponent(text: string): string {
  return text.replace(/%([\dA-F]{2})|\+|[^%+]+|%/gi, (match, hex?: string) => {
    if (!hex) return match == '+' ? '%20' : uriEscape(match)
    const char = String.fromCharCode(Number.parseInt(hex, 16))
    return /[\w.~-]/.test(char) ? char : match.toUpperCase()
  })
}

/**
 * `[origin, host, path, query]`: scheme://authority, the Host value, the path ('/' when empty) and
 * query as written; then the signer's memo of the canonical URI and query (by the path options).
 */
export type UrlParts = [origin: string, host: string, path: string, query: string, ...canonical: string[]]

// URL → its parts: a client signs for a few endpoints, often the same URL again (IAM and STS post
// every call to one); at most 64 URLs of at most 2 KB, so the cache stays small whatever is signed
const urls = new Map<string, UrlParts>()

/**
 * Splits a URL without letting a URL parser rewrite its path: `new URL()` resolves `.` and `..`
 * and percent-encodes, which changes what gets signed (6 of the 38 suite cases turn on this).
 * A URL object is read as its string, which its parser already made. The parts returned are
 * shared: read them, and add to them only what the URL alone decides.
 */
export function splitUrl(url: string | URL): UrlParts {
  url = String(url)
  let parts = urls.get(url)
  // Stryker disable next-line ConditionalExpression: equivalent: the cache only spares work
  if (!parts) {
    // Stryker disable next-line Regex: equivalent: an absolute URL matches from its start either way
    const m = /^([^:/?#]+:\/\/[^/?#]*)([^?#]*)\??([^#]*)/.exec(url)
    let host: string | undefined
    try {
      host = new URL(url).host
    } catch {}
    if (!m || !host) return fail(`invalid URL ${JSON.stringify(url)}`)
    parts = [m[1] as string, host, m[2] || '/', m[3] as string]
    // Stryker disable all: equivalent: the cache's bounds change what is kept, never an answer
    if (urls.size > 63) urls.clear()
    if (url.length <= 2048) urls.set(url, parts)
    // Stryker restore all
  }
  return parts
}

/** Lowercase header name → canonical value. */
export type HeaderMap = Map<string, string>

/**
 * Collects headers for signing (a Headers, `[name, value]` pairs or a record, in one loop):
 * names lowercased, values canonical, duplicate names joined with `,` in the order given.
 */
export function collectHeaders(init: HeadersInit | undefined): HeaderMap {
  const map: HeaderMap = new Map()
  for (const pair of init instanceof Headers || Array.isArray(init) ? (init as Iterable<unknown>) : Object.entries(init ?? {})) {
    if (!Array.isArray(pair) || pair.length != 2) fail(`invalid header ${JSON.stringify(pair)}`)
    const lower = check(pair[0], TOKEN, 'header name').toLowerCase()
    const clean = canonicalValue(String(pair[1]))
    const prior = map.get(lower)
    map.set(lower, prior == null ? clean : `${prior},${clean}`)
  }
  return map
}

/** Trimmed, every whitespace run (folded line breaks included) one space. */
export const canonicalValue = (value: string): string => value.trim().replace(/\s+/g, ' ')

/**
 * The canonical URI. With `normalize`, RFC 3986 §5.2.4 remove_dot_segments runs and empty
 * segments collapse, as services other than S3 expect; the path as written is then encoded once
 * more (those services sign the encoded path encoded again). With `single` (S3) the path is read
 * as S3 reads it and encoded once: each `%XX` is its byte, `+` a space, `%2F` a slash, so
 * `/my%20file.txt`, `/my+file.txt` and `/my file.txt` all sign as `/my%20file.txt`.
 */
export function canonicalUri(path: string, normalize: boolean, single: boolean): string {
  if (normalize) {
    const out: string[] = []
    for (const s of path.split('/')) {
      if (s == '..') out.pop()
      else if (s && s != '.') out.push(s)
    }
    // a path ending in '/', '/.' or '/..' names a directory: it keeps its trailing slash
    path = `/${out.join('/')}${out.length && /\/\.{0,2}$/.test(path) ? '/' : ''}`
  }
  return (single ? path.split('/').map(canonicalComponent).join('/') : uriEscape(path)).replace(/%2F/g, '/')
}

/**
 * The canonical query of a query string as written (still percent-encoded; repeated and empty
 * keys kept): each component canonical, pairs sorted by key, then value, in byte order.
 */
export function canonicalQuery(query: string): string {
  // encoded text has no NUL, which sorts below every character: `k\0v` strings sort as (k, v) pairs
  return query
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const [key, ...value] = part.split('=')
      return `${canonicalComponent(key as string)}\0${canonicalComponent(value.join('='))}`
    })
    .sort()
    .join('&')
    .replace(/\0/g, '=')
}

/**
 * Method, URI, query, `name:value` lines for the signed `names`, blank line, the names joined
 * with `;` (`signedHeaders`), payload hash: one per line.
 */
export function canonicalRequest(method: string, uri: string, query: string, headers: HeaderMap, names: readonly string[], signedHeaders: string, payloadHash: string): string {
  let lines = ''
  // Stryker disable next-line StringLiteral: equivalent: every signed name is in the map
  for (const name of names) lines += `${name}:${headers.get(name) ?? ''}\n`
  return `${method}\n${uri}\n${query}\n${lines}\n${signedHeaders}\n${payloadHash}`
}
