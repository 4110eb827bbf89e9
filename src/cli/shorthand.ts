// The AWS CLI's shorthand syntax for structured arguments (`--tags Key=a,Value=b`), parsed as the
// AWS CLI parses it, then typed by the operation's model the way the AWS CLI types it.
// Grammar (AWS CLI "Using shorthand syntax"):
//   parameter  = keyval *("," keyval)
//   keyval     = key ["@"] "=" [values]          ; "@=" reads a file:// or fileb:// value
//   values     = csv-list / "[" list "]" / "{" keyval… "}"
//   csv-list   = value *("," value)               ; a=b,c → {a: [b, c]}; a=b,c=d → two keys
// Values may be 'single' or "double" quoted; `\,` is a comma inside a bare value; bare values
// lose trailing whitespace. Differential-tested against the installed AWS CLI's parser.
import { resolveShape, type Shape } from '../query/shapes.js'

export type ShorthandValue = string | Uint8Array | ShorthandValue[] | { [key: string]: ShorthandValue }

// the character classes of a bare value (a first value may hold '=', '[' and '{' after its first
// character; one after a comma may hold ']' and '}' but not '='); \uFFFF bounds them as the AWS CLI's do
const START = "!#-&(-+\\--<>-Z\\\\-z|-\\uFFFF"
const FIRST = new RegExp(`^(?:\\\\,|[${START}])(?:\\\\,|[\\s!#-&(-+\\--\\\\^-|~-\\uFFFF])*`)
const SECOND = new RegExp(`^(?:\\\\,|[${START}])(?:\\\\,|[\\s!#-&(-+\\--<>-\\uFFFF])*`)
const SINGLE = /^'(?:\\'|[^'])*'/
const DOUBLE = /^"(?:\\"|[^"])*"/
const KEY_CHAR = /[A-Za-z0-9\-_.#/:]/
const WHITESPACE = ' \t\n\r\v\f'

/** A shorthand value that does not parse or fit: says what was expected and points at where. */
export class ShorthandError extends Error {
  override name = 'ShorthandError' as const
}

/** Reads a `file://` / `fileb://` value; undefined when the value names no file. */
export type ParamFileReader = (value: string) => string | Uint8Array | undefined

export function parseShorthand(text: string, readParamFile?: ParamFileReader): { [key: string]: ShorthandValue } {
  let i = 0
  let fromFile = false
  const eof = () => i >= text.length
  const current = () => (eof() ? undefined : text[i])
  const skipWhitespace = () => {
    while (!eof() && WHITESPACE.includes(text[i] as string)) i++
  }
  const fail = (expected: string, index = i): never => {
    const actual = index >= text.length ? 'end of input' : JSON.stringify(text[index])
    const line = text.lastIndexOf('\n', index - 1) + 1
    throw new ShorthandError(`expected ${expected} but found ${actual} in shorthand:\n${text}\n${' '.repeat(index - line)}^`)
  }
  const expect = (char: string, whitespace = false) => {
    if (whitespace) skipWhitespace()
    if (current() !== char) fail(`"${char}"`)
    i++
    if (whitespace) skipWhitespace()
  }
  const resolve = (value: string): ShorthandValue => (fromFile && readParamFile ? (readParamFile(value) ?? value) : value)
  const bare = (pattern: RegExp, required: boolean): ShorthandValue => {
    const m = pattern.exec(text.slice(i))
    if (!m) return required ? fail('a value') : ''
    i += m[0].length
    return resolve(m[0].replace(/\\,/g, ',').replace(/[ \t\n\r\v\f]+$/, ''))
  }
  const quoted = (): ShorthandValue | undefined => {
    const q = current()
    if (q !== "'" && q !== '"') return undefined
    const m = (q === "'" ? SINGLE : DOUBLE).exec(text.slice(i))
    if (!m) return fail(`a closing ${q}`, text.length)
    i += m[0].length
    return resolve(m[0].slice(1, -1).split(`\\${q}`).join(q).split('\\\\').join('\\'))
  }
  const first = (): ShorthandValue => quoted() ?? bare(FIRST, false)
  const key = (): string => {
    const start = i
    while (!eof() && KEY_CHAR.test(text[i] as string)) i++
    return text.slice(start, i)
  }
  const assignment = (): string => {
    const name = key()
    skipWhitespace()
    fromFile = current() === '@'
    if (fromFile) i++
    expect('=', true)
    return name
  }
  const explicit = (): ShorthandValue => (current() === '[' ? list() : current() === '{' ? hash() : first())
  const list = (): ShorthandValue[] => {
    expect('[', true)
    const out: ShorthandValue[] = []
    while (current() !== ']') {
      out.push(explicit())
      skipWhitespace()
      if (current() !== ']') {
        expect(',')
        skipWhitespace()
      }
    }
    expect(']')
    return out
  }
  const hash = (): { [key: string]: ShorthandValue } => {
    expect('{', true)
    const out: { [key: string]: ShorthandValue } = {}
    while (current() !== '}') {
      const name = assignment()
      const value = explicit()
      skipWhitespace()
      if (current() !== '}') {
        expect(',')
        skipWhitespace()
      }
      out[name] = value
    }
    expect('}')
    return out
  }
  const values = (): ShorthandValue => {
    if (eof()) return ''
    if (current() === '[') return list()
    if (current() === '{') return hash()
    const head = first()
    skipWhitespace()
    if (current() !== ',') return head
    expect(',', true)
    const csv = [head]
    for (;;) {
      try {
        const next = quoted() ?? bare(SECOND, true)
        skipWhitespace()
        if (eof()) {
          csv.push(next)
          break
        }
        expect(',', true)
        csv.push(next)
      } catch (error) {
        // `a=b,c=d`: "c" was the next key, not a list item; give the comma back to the caller
        if (!(error instanceof ShorthandError) || eof()) throw error
        i = text.lastIndexOf(',', i)
        break
      }
    }
    return csv.length === 1 ? head : csv
  }

  const out: { [key: string]: ShorthandValue } = {}
  for (;;) {
    const start = i
    const name = assignment()
    if (Object.hasOwn(out, name)) {
      throw new ShorthandError(`key ${JSON.stringify(name)} appears twice in shorthand (often a "," written where a space belongs):\n${text}\n${' '.repeat(start)}^`)
    }
    out[name] = values()
    if (eof()) return out
    expect(',', true)
  }
}

/**
 * Types a parsed shorthand value by the model, as the AWS CLI does: a single value where a list
 * belongs becomes a one-item list, numbers and `true`/`false` become numbers and booleans; what
 * does not fit is left for the input validation to name.
 */
export function typeShorthand(value: ShorthandValue, shape: Shape): unknown {
  switch (shape.kind) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return value
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        const member = shape.members[k]
        out[k] = member === undefined ? v : typeShorthand(v, resolveShape(member))
      }
      return out
    }
    case 'list': {
      const member = resolveShape(shape.member)
      return (Array.isArray(value) ? value : [value]).map((v) => typeShorthand(v, member))
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return value
      const member = resolveShape(shape.value)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeShorthand(v, member)]))
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'string') return value
      const n = Number(value.trim())
      const whole = shape.kind === 'integer' || shape.kind === 'long'
      if (value.trim() === '' || Number.isNaN(n) || (whole && !Number.isInteger(n))) {
        throw new ShorthandError(`expected ${whole ? 'a whole number' : 'a number'}, got ${JSON.stringify(value)}`)
      }
      return n
    }
    case 'boolean':
      return typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value
    default:
      return value
  }
}
