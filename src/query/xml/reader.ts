import { XmlParseError } from '../errors.js'
import { decodeEntities, notXmlCharAt } from './entities.js'
import type { XmlElement } from './types.js'

export interface ReadXmlOptions {
  /** deepest element nesting accepted (default 256: Query responses are a dozen levels deep) */
  maxDepth?: number
}

interface Building {
  name: string
  children: Building[]
  text: string
}

// where an element name ends, or the first character a name may not hold (the reader is lenient
// beyond that: names are matched, not validated): one search does both
const NAME_END = /[\s/>]|[<&"'=!?]/g
const DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.\d+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>$/
// attribute names are XML Names (ASCII letters, digits, . - _ : and non-ASCII letters)
const ATTRIBUTES = /^(?:\s+[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*$/

/**
 * A small, strict reader for AWS Query responses: elements, text, CDATA, comments, the XML
 * declaration, the five predefined entities and numeric character references. A DOCTYPE, any
 * other entity, or a processing instruction is refused, as is anything malformed or truncated:
 * the result is the whole document or an XmlParseError, never part of one. Iterative, so deep
 * nesting meets `maxDepth`, not the call stack.
 */
export function readXml(xml: string, options: ReadXmlOptions = {}): XmlElement {
  if (typeof xml !== 'string') throw new XmlParseError(`expected the document as a string, got ${typeof xml}`)
  const maxDepth = options.maxDepth ?? 256
  const n = xml.length
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0
  const stack: Building[] = []
  // qualified names as written, to match end tags, and the prefixes each element declares
  const tags: string[] = []
  const scopes: Array<readonly string[] | undefined> = []
  let root: Building | undefined
  let done = false
  const start = i

  while (i < n) {
    const lt = xml.indexOf('<', i)
    const end = lt === -1 ? n : lt
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: an empty run of text changes nothing
    if (end > i) {
      const top = stack[stack.length - 1]
      if (top) {
        const raw = xml.slice(i, end)
        const bad = notXmlCharAt(raw)
        if (bad !== -1) throw new XmlParseError('text holds a character XML does not allow', i + bad)
        top.text += decodeEntities(lineEnds(raw), i)
      }
      else if (!/^\s*$/.test(xml.slice(i, end))) throw new XmlParseError('text outside the root element', i)
    }
    if (lt === -1) break
    i = lt
    const next = xml.charCodeAt(i + 1)
    if (next === 47 /* / */) {
      const gt = xml.indexOf('>', i)
      if (gt === -1) throw new XmlParseError('truncated end tag', i)
      const tag = xml.slice(i + 2, gt).trimEnd()
      const open = tags.pop()
      stack.pop()
      scopes.pop()
      if (open === undefined) throw new XmlParseError(`end tag </${tag}> without a start tag`, i)
      if (open !== tag) throw new XmlParseError(`end tag </${tag}> does not match <${open}>`, i)
      if (stack.length === 0) done = true
      i = gt + 1
    } else if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', i)) {
        const close = xml.indexOf('-->', i + 4)
        if (close === -1) throw new XmlParseError('unterminated comment', i)
        // XML forbids '--' inside a comment
        if (xml.slice(i + 4, close).includes('--') || (close > i + 4 && xml.charCodeAt(close - 1) === 45)) throw new XmlParseError("'--' inside a comment", i)
        i = close + 3
      } else if (xml.startsWith('<![CDATA[', i)) {
        const close = xml.indexOf(']]>', i + 9)
        if (close === -1) throw new XmlParseError('unterminated CDATA section', i)
        const top = stack[stack.length - 1]
        if (!top) throw new XmlParseError('CDATA outside the root element', i)
        top.text += lineEnds(xml.slice(i + 9, close))
        i = close + 3
      } else if (xml.startsWith('<!DOCTYPE', i)) {
        throw new XmlParseError('a DOCTYPE is not allowed in a Query response (entity definitions are refused)', i)
      } else {
        throw new XmlParseError('malformed markup declaration', i)
      }
    } else if (next === 63 /* ? */) {
      const close = xml.indexOf('?>', i + 2)
      if (close === -1) throw new XmlParseError('unterminated processing instruction', i)
      const target = /^[^\s?]*/.exec(xml.slice(i + 2, close))?.[0] ?? ''
      if (target !== 'xml' || i !== start) throw new XmlParseError(`processing instruction <?${target}> is not allowed`, i)
      if (!DECLARATION.test(xml.slice(i, close + 2))) throw new XmlParseError('malformed XML declaration', i)
      i = close + 2
    } else {
      if (done) throw new XmlParseError('a second root element', i)
      NAME_END.lastIndex = i + 1
      const nameEnd = NAME_END.exec(xml)?.index ?? -1
      if (nameEnd === -1) throw new XmlParseError('truncated start tag', i)
      const after = xml.charCodeAt(nameEnd)
      // a name ends at whitespace, '/' or '>'; any other stop is a character names may not hold
      if (nameEnd === i + 1 || !(after === 47 || after === 62 || after <= 32)) {
        throw new XmlParseError(`malformed element name ${JSON.stringify(xml.slice(i + 1, Math.max(nameEnd + 1, i + 2)).slice(0, 40))}`, i)
      }
      const tag = xml.slice(i + 1, nameEnd)
      const gt = tagEnd(xml, nameEnd)
      if (gt === -1) throw new XmlParseError(`truncated start tag <${tag}`, i)
      const selfClosing = xml.charCodeAt(gt - 1) === 47
      const attributes = xml.slice(nameEnd, selfClosing ? gt - 1 : gt)
      if (attributes !== '' && !ATTRIBUTES.test(attributes)) throw new XmlParseError(`malformed attributes in <${tag}>`, i)
      const declared = attributes.includes('=') ? checkAttributes(attributes, tag, i) : undefined
      // a prefix must be declared on this element or an ancestor (Namespaces in XML §5)
      const prefixed = tag.indexOf(':')
      if (prefixed !== -1) {
        const prefix = tag.slice(0, prefixed)
        if (!declared?.includes(prefix) && !scopes.some((scope) => scope?.includes(prefix)) && prefix !== 'xml') {
          throw new XmlParseError(`namespace prefix ${JSON.stringify(prefix)} is not declared`, i)
        }
      }
      if (stack.length >= maxDepth) throw new XmlParseError(`elements nested deeper than ${maxDepth}`, i)
      const colon = tag.indexOf(':')
      // Stryker disable next-line ConditionalExpression: equivalent: slice(0) of a name without a colon is the name
      const element: Building = { name: colon === -1 ? tag : tag.slice(colon + 1), children: [], text: '' }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(element)
      else root = element
      if (selfClosing) {
        if (!parent) done = true
      } else {
        stack.push(element)
        tags.push(tag)
        scopes.push(declared)
      }
      i = gt + 1
    }
  }
  const open = tags[tags.length - 1]
  if (open !== undefined) throw new XmlParseError(`document ends inside <${open}> (truncated?)`, n)
  if (!root) throw new XmlParseError('no root element', n)
  return root
}

/** XML 1.0 §2.11: a literal CR LF or lone CR reads as LF (a `&#13;` reference stays a CR). */
function lineEnds(text: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: a fast path; the replace leaves text without CR unchanged
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}

/**
 * Attribute names must not repeat and values may hold only the entities text may. Returns the
 * namespace prefixes the element declares (`xmlns:p="…"`).
 */
function checkAttributes(attributes: string, tag: string, at: number): string[] | undefined {
  const names = new Set<string>()
  let declared: string[] | undefined
  for (const m of attributes.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = m[1] as string
    if (names.has(name)) throw new XmlParseError(`an attribute repeats in <${tag}>`, at)
    names.add(name)
    decodeEntities(m[2] ?? m[3] ?? '', at)
    if (name.startsWith('xmlns:')) (declared ??= []).push(name.slice(6))
  }
  return declared
}

/** Index of the `>` closing a start tag, skipping quoted attribute values; -1 when truncated. */
function tagEnd(xml: string, from: number): number {
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i)
    if (c === 62 /* > */) return i
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = xml.indexOf(c === 34 ? '"' : "'", i + 1)
      if (close === -1) return -1
      i = close
    }
  }
  return -1
}
