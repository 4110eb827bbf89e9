import { XmlParseError } from '../errors.js'

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/**
 * Decodes the five predefined entities and numeric character references. Any other entity is an
 * error: Query responses never define any, and refusing them closes the door on expansion bombs
 * and external entities. `offset` is where `text` starts in the document, for messages.
 */
export function decodeEntities(text: string, offset: number): string {
  let amp = text.indexOf('&')
  // Stryker disable next-line ConditionalExpression: equivalent: a fast path; the loop returns the text unchanged
  if (amp === -1) return text
  let out = ''
  let last = 0
  while (amp !== -1) {
    const semi = text.indexOf(';', amp)
    if (semi === -1 || semi - amp > 12) throw new XmlParseError("'&' that starts no entity reference", offset + amp)
    const name = text.slice(amp + 1, semi)
    out += text.slice(last, amp) + resolve(name, offset + amp)
    last = semi + 1
    amp = text.indexOf('&', last)
  }
  return out + text.slice(last)
}

function resolve(name: string, at: number): string {
  const known = PREDEFINED[name]
  if (known !== undefined) return known
  if (name.charCodeAt(0) === 35 /* # */) {
    const hex = name.charCodeAt(1) === 120 /* x */
    const digits = name.slice(hex ? 2 : 1)
    if (digits === '' || !(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) throw new XmlParseError(`malformed character reference &${name};`, at)
    const code = Number.parseInt(digits, hex ? 16 : 10)
    if (!isXmlChar(code)) throw new XmlParseError(`character reference &${name}; names a character XML does not allow`, at)
    return String.fromCodePoint(code)
  }
  throw new XmlParseError(`undefined entity &${name}; (only the five predefined entities are accepted)`, at)
}

/** A character outside XML 1.0's Char production (controls, U+FFFE/U+FFFF, lone surrogates). */
export const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Where `text` breaks XML 1.0's Char production, or -1. A plain character class screens first:
 * most text has no control character and no surrogate at all, and the full pattern (with its
 * lookarounds for surrogate pairs) costs several times more per character.
 */
export function notXmlCharAt(text: string): number {
  return MAYBE_NOT_XML_CHAR.test(text) ? (NOT_XML_CHAR.exec(text)?.index ?? -1) : -1
}

const MAYBE_NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/

/** XML 1.0 Char production. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  )
}
