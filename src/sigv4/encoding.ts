const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let out = ''
  for (let i = 0; i < view.length; i++) out += HEX[view[i] as number]
  return out
}

/**
 * RFC 3986 percent-encoding: every byte except the unreserved set A-Z a-z 0-9 - _ . ~ is encoded,
 * with uppercase hex. `encodeURIComponent` leaves ! ' ( ) * alone, which SigV4 encodes.
 */
export function uriEscape(text: string): string {
  let encoded: string
  try {
    encoded = encodeURIComponent(text)
  } catch {
    throw new TypeError(`SigV4: ${JSON.stringify(text)} contains a lone UTF-16 surrogate and cannot be encoded`)
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** As `uriEscape`, but `/` stays: for paths. */
export function uriEscapePath(path: string): string {
  return SAFE_PATH.test(path) ? path : uriEscape(path).replace(/%2F/g, '/')
}

const SAFE_PATH = /^[A-Za-z0-9\-_.~/]*$/

/**
 * The canonical form of a query component as written: `%XX` escapes are kept as the bytes they
 * name (re-encoded uppercase, or as the character when unreserved), every other character is
 * UTF-8 percent-encoded. Working on bytes keeps invalid UTF-8 (`%80`) as the server will see it,
 * and a `%` that starts no escape is a literal `%`. `+` is a literal plus: SigV4 applies no form
 * decoding to the query string.
 */
export function canonicalComponent(text: string): string {
  if (!text.includes('%')) return uriEscape(text)
  let out = ''
  let last = 0
  for (const m of text.matchAll(/%[0-9A-Fa-f]{2}/g)) {
    out += uriEscape(text.slice(last, m.index))
    const byte = Number.parseInt(m[0].slice(1), 16)
    const char = String.fromCharCode(byte)
    out += UNRESERVED.test(char) ? char : m[0].toUpperCase()
    last = m.index + 3
  }
  return out + uriEscape(text.slice(last))
}

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/

/** Percent-decodes a query value such as X-Amz-Credential; undefined when it is not valid UTF-8. */
export function uriUnescape(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}
