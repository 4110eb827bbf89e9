import { UNSIGNED_HEADERS } from './constants.js'

/** Lowercase header name → canonical value, in sorted name order. */
export type HeaderMap = Map<string, string>

// RFC 9110 token characters: what a header name may contain
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Collects headers for signing: names lowercased, values trimmed with inner whitespace runs
 * (including folded line breaks) collapsed to one space, and duplicate names joined with `,` in
 * the order given.
 */
export function collectHeaders(init: HeadersInit | undefined): HeaderMap {
  const map: HeaderMap = new Map()
  if (init === undefined) return map
  const entries: Iterable<readonly [string, string]> =
    init instanceof Headers || Array.isArray(init)
      ? (init as Iterable<readonly [string, string]>)
      : Object.entries(init as Record<string, string>)
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError('SigV4: each header must be a [name, value] pair')
    const [name, value] = entry as readonly [unknown, unknown]
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new TypeError(`SigV4: invalid header name ${JSON.stringify(name)} (names are ASCII tokens)`)
    }
    const lower = name.toLowerCase()
    const clean = canonicalValue(String(value))
    const prior = map.get(lower)
    map.set(lower, prior === undefined ? clean : `${prior},${clean}`)
  }
  return map
}

/** Trimmed, with every whitespace run (folded line breaks included) collapsed to one space. */
export function canonicalValue(value: string): string {
  return PLAIN_VALUE.test(value) ? value : value.trim().replace(/\s+/g, ' ')
}

// no leading/trailing whitespace, no tab/newline, no double space: already canonical
const PLAIN_VALUE = /^(?:[^\s]+(?: [^\s]+)*)?$/

export function isSignable(name: string): boolean {
  return !UNSIGNED_HEADERS.has(name)
}

/** `name:value\n` lines and the `;`-joined list, for the names given (already sorted). */
export function canonicalHeaders(headers: HeaderMap, names: readonly string[]): string {
  let out = ''
  for (const name of names) out += `${name}:${headers.get(name) ?? ''}\n`
  return out
}
