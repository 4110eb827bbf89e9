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
  return uriEscape(path).replace(/%2F/g, '/')
}

/**
 * Percent-decodes a query component as written. A component that is not valid percent-encoded
 * UTF-8 (`%zz`, a lone `%E1`) is kept as written, so it is signed as the server will see it.
 * `+` is a literal plus: SigV4 does not apply form decoding to the query string.
 */
export function uriUnescape(text: string): string {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
