import { fromBase64 } from './base64.js'
import { XmlParseError } from './errors.js'
import { type ListShape, type MapShape, type Operation, resolveShape, type ScalarShape, type Shape, type StructureShape } from './shapes.js'
import type { ParsedErrorBody } from './protocol.js'
import { readXml } from './xml/reader.js'
import type { XmlElement, XmlReader } from './xml/types.js'

/**
 * Reads an operation's answer by its output shape: `<NameResponse><NameResult>…`. Numbers,
 * booleans, timestamps (→ Date) and blobs (→ Uint8Array) are converted, lists and maps built,
 * absent members left absent, unknown elements ignored. Malformed XML, the wrong root or an
 * unreadable value throw XmlParseError: the result is never partly filled.
 */
export function parseOutput<O extends object>(op: Operation<never, O>, body: string, reader: XmlReader = readXml): O {
  // an empty 200 is an answer without members (botocore and the smithy protocol tests read it so)
  if (body.trim() === '') return absentResult(op, 'the body is empty')
  const root = reader(body)
  if (root.name !== `${op.name}Response`) {
    throw new XmlParseError(`expected <${op.name}Response> as the root element, got <${root.name}>`)
  }
  // AWS never puts an error beside a result: an envelope that does is not a success
  if (root.children.some((c) => c.name === 'Error' || c.name === 'Errors')) {
    throw new XmlParseError(`<${root.name}> carries an <Error>: the answer is an error, not a result`)
  }
  if (!op.output) return {} as O
  const result = op.resultWrapper ? root.children.find((c) => c.name === op.resultWrapper) : root
  return result ? (readStructure(op.output, result) as O) : absentResult(op, `<${root.name}> holds no <${op.resultWrapper}>`)
}

/**
 * An answer without a result: `{}` when the output has no required member; otherwise refused, so
 * that a cut answer never reads as an empty listing.
 */
function absentResult<O extends object>(op: Operation<never, O>, why: string): O {
  if (op.output?.required?.length) throw new XmlParseError(`${op.service.id}:${op.name}: ${why}, but its output has required members`)
  return {} as O
}

function readStructure(shape: StructureShape, el: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const child of el.children) {
    const member = Object.hasOwn(shape.members, child.name) ? shape.members[child.name] : undefined
    if (member === undefined) continue
    const s = resolveShape(member)
    if (s.kind === 'list' && s.flattened) {
      const list = (out[child.name] as unknown[] | undefined) ?? []
      list.push(readValue(resolveShape(s.member), child))
      out[child.name] = list
    } else {
      out[child.name] = readValue(s, child)
    }
  }
  // what the output types promise: a required list or map is there (empty when the answer has
  // none), a required scalar or structure is there or the answer is refused
  for (const name of shape.required ?? []) {
    if (out[name] !== undefined) continue
    const member = shape.members[name]
    const kind = member === undefined ? undefined : resolveShape(member).kind
    if (kind === 'list') out[name] = []
    else if (kind === 'map') out[name] = {}
    else throw new XmlParseError(`<${el.name}> lacks the required <${name}>`)
  }
  return out
}

function readValue(shape: Shape, el: XmlElement): unknown {
  switch (shape.kind) {
    case 'structure':
      return readStructure(shape, el)
    case 'list':
      return readList(shape, el)
    case 'map':
      return readMap(shape, el)
    default:
      return readScalar(shape, el)
  }
}

function readList(shape: ListShape, el: XmlElement): unknown[] {
  const name = shape.memberName ?? 'member'
  const member = resolveShape(shape.member)
  const out: unknown[] = []
  for (const child of el.children) if (child.name === name) out.push(readValue(member, child))
  return out
}

function readMap(shape: MapShape, el: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const valueShape = resolveShape(shape.value)
  for (const entry of el.children) {
    if (entry.name !== 'entry') continue
    const key = entry.children.find((c) => c.name === 'key')
    const value = entry.children.find((c) => c.name === 'value')
    if (!key) throw new XmlParseError(`<${el.name}> has an entry without a <key>`)
    if (value) out[key.text] = readValue(valueShape, value)
  }
  return out
}

function readScalar(shape: ScalarShape, el: XmlElement): unknown {
  const text = el.text
  switch (shape.kind) {
    case 'string':
      return shape.urlEncoded ? decodePolicy(text) : text
    case 'integer':
    case 'long': {
      // decimal digits only: no hex, exponent, fraction or Infinity (Number() would take them)
      const t = text.trim()
      const n = INTEGER.test(t) ? Number(t) : Number.NaN
      if (!Number.isSafeInteger(n)) throw new XmlParseError(`<${el.name}> should hold an integer, got ${JSON.stringify(t.slice(0, 40))}`)
      return n
    }
    case 'float':
    case 'double': {
      const t = text.trim()
      const n = DECIMAL.test(t) ? Number(t) : SPECIAL_FLOATS[t]
      if (n === undefined) throw new XmlParseError(`<${el.name}> should hold a number, got ${JSON.stringify(t.slice(0, 40))}`)
      return n
    }
    case 'boolean': {
      const t = text.trim()
      if (t !== 'true' && t !== 'false') throw new XmlParseError(`<${el.name}> should hold true or false, got ${JSON.stringify(t.slice(0, 40))}`)
      return t === 'true'
    }
    case 'timestamp':
      return parseTimestamp(el.name, text.trim())
    case 'blob':
      try {
        return fromBase64(text)
      } catch (cause) {
        throw new XmlParseError(`<${el.name}> should hold base64`, undefined, { cause })
      }
  }
}

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
// the non-finite values the smithy protocol tests send for floats; the global names, not Number's
// properties, so that bundlers drop the object where it is unused (a property read might have effects)
const SPECIAL_FLOATS: Readonly<Record<string, number>> = { NaN, Infinity, '-Infinity': -Infinity }

// ISO 8601 / RFC 3339 with any number of fraction digits (moto sends microseconds), Z or an
// offset; `t` and `z` may be lowercase (RFC 3339 §5.6)
const ISO = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})?$/

// the text each parsed timestamp was read from, for tools that print what the service sent (the
// CLI): a hidden property of the Date itself, and only when asked. A WeakMap did the same for every
// parse at over a third of the cost of reading a large listing (the garbage collector's ephemeron work).
const TEXT = Symbol('iam-edge.timestampText')
type ReadDate = Date & { [TEXT]?: string }

let keepTexts = false

/**
 * From now on (or not, with `false`), each parsed timestamp remembers its text for
 * `timestampText`. Off by default: it costs about a tenth of parsing a large listing.
 */
export function keepTimestampTexts(on = true): void {
  keepTexts = on
}

/** The text a timestamp of a parsed answer was read from (`2026-11-22T11:03:18.954293Z`), while `keepTimestampTexts` is on. */
export function timestampText(date: Date): string | undefined {
  return (date as ReadDate)[TEXT]
}

function parseTimestamp(name: string, text: string): Date {
  const m = ISO.exec(text)
  const date = m
    ? new Date(`${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}${(m[4] ?? 'Z').toUpperCase()}`)
    : /^\d+(\.\d+)?$/.test(text)
      ? new Date(Number(text) * 1000)
      : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) throw new XmlParseError(`<${name}> should hold a timestamp, got ${JSON.stringify(text.slice(0, 40))}`)
  if (keepTexts) Object.defineProperty(date, TEXT, { value: text })
  return date
}

/**
 * IAM sends policy documents percent-encoded; moto sends some raw. An encoded document has no
 * raw `{` (it is `%7B`), so only a document without one is decoded, and only if it decodes.
 */
export function decodePolicy(text: string): string {
  if (text.includes('{') || !/%[0-9A-Fa-f]{2}/.test(text)) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const REQUEST_ID = /<RequestId>\s*([^<\s]+)\s*<\/RequestId>/
const CODE = /<Code>\s*([^<\s]+)\s*<\/Code>/

/** The RequestId an AWS Query answer (result or error) carries, read without parsing the XML. */
export function requestIdIn(body: string): string | undefined {
  return REQUEST_ID.exec(body)?.[1]
}

/** The first error `<Code>` in a body, read without parsing the XML (for routing, not for output). */
export function errorCodeIn(body: string): string | undefined {
  return CODE.exec(body)?.[1]
}

/**
 * The Query error envelope, `<Error>` found at any depth (IAM: `<ErrorResponse><Error>`, moto also
 * `<ErrorResponse><Errors><Error>`). Undefined when the body is not XML or holds no Error code.
 */
export function parseErrorBody(body: string, reader: XmlReader = readXml): ParsedErrorBody | undefined {
  let root: XmlElement
  try {
    root = reader(body)
  } catch {
    return undefined
  }
  const error = find(root, 'Error')
  const code = error?.children.find((c) => c.name === 'Code')?.text.trim()
  if (!error || !code) return undefined
  const text = (name: string) => error.children.find((c) => c.name === name)?.text.trim()
  const requestId = (find(root, 'RequestId') ?? find(root, 'RequestID'))?.text.trim()
  const type = text('Type')
  return { code, message: text('Message') ?? '', ...(type ? { type } : {}), ...(requestId ? { requestId } : {}) }
}

/** First element with this name, depth-first, without recursion. */
function find(root: XmlElement, name: string): XmlElement | undefined {
  const stack: XmlElement[] = [root]
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement
    if (el.name === name) return el
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i] as XmlElement)
  }
  return undefined
}
