// The Condition element (IAM User Guide, "Condition operators" and "Conditions with multiple
// context keys or values"): operators, IfExists, Null, and the ForAllValues / ForAnyValue set
// qualifiers. Blocks and keys are ANDed, a key's values ORed (NOR for a negated operator).
// A key absent from the request makes a positive operator false and a negated one true, except
// with IfExists (true) and Null (its own test). ForAnyValue over an absent or empty set is false,
// ForAllValues true.
//
// Three answers: TRUE, FALSE, and UNKNOWN, which only an open request gives (who-can asks about
// principals without knowing the request's other keys: a condition on such a key may hold).
import { arnGlobs, arnMatches, compileGlob, globMatch, patternArn, patternGlob, type Token } from './match.js'
import type { Condition, ContextValue, OperatorName, Pattern, RequestContext } from './types.js'
import { resolveVariables } from './variables.js'

export const FALSE = 0
export const TRUE = 1
export const UNKNOWN = 2
export type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN

interface OperatorSpec {
  negated: boolean
  /** values may hold policy variables */
  variables: boolean
  /** one request value against one policy value (policy value already resolved) */
  test: (requestValue: string, policyValue: PolicyValue) => boolean
}

/** A policy value ready for comparison: its text after variables; `pattern` when it had none (compiled globs are kept there). */
interface PolicyValue {
  /** the resolved text in pieces (a variable's value is literal); absent when `pattern` is there */
  tokens?: Token[]
  text: string
  pattern?: Pattern
  /** what the operator read the text as, kept for the next request (numbers, dates, ranges) */
  parsed?: number | Cidr | undefined
  hasParsed?: boolean
}

interface Cidr {
  base: number[]
  bits: number
}

/** The policy value read once by `read` and kept on it. */
function once<T extends number | Cidr | undefined>(v: PolicyValue, read: (text: string) => T): T {
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!v.hasParsed) {
    v.parsed = read(v.text)
    // Stryker disable next-line BooleanLiteral: the memo's flag; reading again gives the same answer
    v.hasParsed = true
  }
  return v.parsed as T
}

const exact = (a: string, b: PolicyValue) => a === b.text
const ignoreCase = (a: string, b: PolicyValue) => a.toLowerCase() === b.text.toLowerCase()
const like = (a: string, b: PolicyValue) => globMatch(b.pattern ? patternGlob(b.pattern) : compileGlob(b.tokens as Token[]), a)
const arnLike = (a: string, b: PolicyValue) => arnMatches(b.pattern ? patternArn(b.pattern) : arnGlobs(b.tokens as Token[]), a)
// a side that is not a number (or date) is NaN, which every comparison answers false
const numeric = (cmp: (x: number, y: number) => boolean) => (a: string, b: PolicyValue) => cmp(parseNumber(a) ?? NaN, once(b, parseNumber) ?? NaN)
const date = (cmp: (x: number, y: number) => boolean) => (a: string, b: PolicyValue) => cmp(parseDate(a) ?? NaN, once(b, parseDate) ?? NaN)
const ip = (a: string, b: PolicyValue) => {
  const range = once(b, parseCidr)
  return range !== undefined && inRange(a, range)
}
const eq = (x: number, y: number) => x === y
const lt = (x: number, y: number) => x < y
const le = (x: number, y: number) => x <= y
const gt = (x: number, y: number) => x > y
const ge = (x: number, y: number) => x >= y

const op = (test: OperatorSpec['test'], negated = false, variables = false): OperatorSpec => ({ test, negated, variables })

export const OPERATORS: Readonly<Record<Exclude<OperatorName, 'Null'>, OperatorSpec>> = {
  StringEquals: op(exact, false, true),
  StringNotEquals: op(exact, true, true),
  StringEqualsIgnoreCase: op(ignoreCase, false, true),
  StringNotEqualsIgnoreCase: op(ignoreCase, true, true),
  StringLike: op(like, false, true),
  StringNotLike: op(like, true, true),
  NumericEquals: op(numeric(eq)),
  NumericNotEquals: op(numeric(eq), true),
  NumericLessThan: op(numeric(lt)),
  NumericLessThanEquals: op(numeric(le)),
  NumericGreaterThan: op(numeric(gt)),
  NumericGreaterThanEquals: op(numeric(ge)),
  DateEquals: op(date(eq)),
  DateNotEquals: op(date(eq), true),
  DateLessThan: op(date(lt)),
  DateLessThanEquals: op(date(le)),
  DateGreaterThan: op(date(gt)),
  DateGreaterThanEquals: op(date(ge)),
  Bool: op((a, b) => a.toLowerCase() === b.text.toLowerCase(), false, true),
  BinaryEquals: op((a, b) => sameBytes(a, b.text)),
  IpAddress: op(ip),
  NotIpAddress: op(ip, true),
  ArnEquals: op(arnLike, false, true),
  ArnLike: op(arnLike, false, true),
  ArnNotEquals: op(arnLike, true, true),
  ArnNotLike: op(arnLike, true, true),
}

/** Options of one evaluation: where missing keys are recorded, and (who-can) which absent keys are unknown rather than absent. */
export interface ConditionOptions {
  version2012: boolean
  missing?: Set<string>
  /** an absent key for which this answers true is UNKNOWN, not absent */
  unknown?: (lookup: string) => boolean
}

/** Every condition of a statement, ANDed. */
export function conditionsHold(conditions: readonly Condition[], context: RequestContext, options: ConditionOptions): Truth {
  let result: Truth = TRUE
  for (const condition of conditions) {
    const one = conditionHolds(condition, context, options)
    if (one === FALSE) {
      // still read the rest for the keys they would need (IAM reports every missing key)
      if (options.missing) for (const c of conditions) if (c.operator !== 'Null' && !context.has(c.lookup)) options.missing.add(c.key)
      return FALSE
    }
    if (one === UNKNOWN) result = UNKNOWN
  }
  return result
}

export function conditionHolds(condition: Condition, context: RequestContext, options: ConditionOptions): Truth {
  const entry = context.get(condition.lookup)
  const present = entry !== undefined && entry.values.length > 0
  if (entry === undefined) {
    if (options.unknown?.(condition.lookup)) return UNKNOWN
    // a Null test reads absence itself: its key is not missing
    if (condition.operator !== 'Null') options.missing?.add(condition.key)
  }
  if (condition.operator === 'Null') {
    // true: the key must be absent; false: present. Several values are ORed
    return condition.values.some((v) => (v.text.toLowerCase() === 'true' ? !present : v.text.toLowerCase() === 'false' ? present : false)) ? TRUE : FALSE
  }
  const spec = OPERATORS[condition.operator]
  if (!present) {
    if (condition.ifExists) return TRUE
    if (condition.qualifier === 'ForAllValues') return TRUE
    if (condition.qualifier === 'ForAnyValue') return FALSE
    return spec.negated ? TRUE : FALSE
  }
  const values = policyValues(condition, spec, context, options)
  const requestValues = (entry as ContextValue).values
  // one request value matches (under the operator's positive test) one of the policy's values
  const matchesOne = (rv: string) => values.some((pv) => spec.test(rv, pv))
  if (condition.qualifier === 'ForAllValues') return requestValues.every((rv) => (spec.negated ? !matchesOne(rv) : matchesOne(rv))) ? TRUE : FALSE
  if (condition.qualifier === 'ForAnyValue') return requestValues.some((rv) => (spec.negated ? !matchesOne(rv) : matchesOne(rv))) ? TRUE : FALSE
  const any = requestValues.some(matchesOne)
  return (spec.negated ? !any : any) ? TRUE : FALSE
}

// a condition's values without variables are the same for every request: built once
const fixedValues = new WeakMap<Condition, PolicyValue[]>()

/** The policy's values with variables resolved; a value whose variable has no value matches nothing, so it is left out. */
function policyValues(condition: Condition, spec: OperatorSpec, context: RequestContext, options: ConditionOptions): PolicyValue[] {
  const patterns = condition.values
  const variable = spec.variables && options.version2012 && patterns.some((p) => p.variables)
  if (!variable) {
    let fixed = fixedValues.get(condition)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!fixed) {
      fixed = patterns.map((p) => ({ text: p.text, pattern: p }))
      fixedValues.set(condition, fixed)
    }
    return fixed
  }
  const out: PolicyValue[] = []
  for (const p of patterns) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; a value without variables resolves to its own text
    if (!p.variables) {
      out.push({ text: p.text, pattern: p })
      continue
    }
    const tokens = resolveVariables(p.text, context, options.missing)
    if (tokens) out.push({ tokens, text: tokens.map((t) => t.text).join('') })
  }
  return out
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

export function parseNumber(text: string): number | undefined {
  const t = text.trim()
  return NUMBER.test(t) ? Number(t) : undefined
}

// W3C's profile of ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, then hh:mm, :ss, .s and a zone
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/

/** A date as IAM reads one: ISO 8601 (W3C's formats) or epoch seconds; milliseconds since the epoch, or undefined. */
export function parseDate(text: string): number | undefined {
  const t = text.trim()
  if (/^-?\d+(\.\d+)?$/.test(t) && !/^\d{4}$/.test(t)) return Number(t) * 1000
  if (!ISO_DATE.test(t)) return undefined
  // a zone written +hhmm is read as +hh:mm (V8 reads +hhmm itself; other engines need the colon); a
  // date-time without a zone as UTC
  // Stryker disable next-line Regex: V8's Date.parse reads +hhmm as well as +hh:mm
  let normal = t.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(normal)) normal += 'Z'
  const ms = Date.parse(normal)
  return Number.isNaN(ms) ? undefined : ms
}

function sameBytes(a: string, b: string): boolean {
  const x = base64Bytes(a)
  return x !== undefined && x === base64Bytes(b)
}

/** Base64 decoded to a binary string (one character a byte), padding optional; undefined when not base64. */
function base64Bytes(text: string): string | undefined {
  // atob's forgiving decode takes missing padding, refuses a length of 4n+1, and skips whitespace
  // (which base64 here may not hold)
  const t = text.trim().replace(/=+$/, '')
  if (!/^[A-Za-z0-9+/]*$/.test(t)) return undefined
  try {
    return atob(t)
  // Stryker disable next-line BlockStatement: an empty catch returns undefined as well
  } catch {
    return undefined
  }
}

/** An address (v4 or v6) inside a CIDR range (an address without a prefix is the one address). */
export function inCidr(address: string, cidr: string): boolean {
  const range = parseCidr(cidr)
  return range !== undefined && inRange(address, range)
}

/** `203.0.113.0/24`, `2001:db8::/32`, or an address alone (all its bits); undefined when not one. */
function parseCidr(cidr: string): Cidr | undefined {
  const slash = cidr.indexOf('/')
  // Stryker disable next-line EqualityOperator: a slash first leaves no address, refused either way
  const base = parseIp(slash < 0 ? cidr : cidr.slice(0, slash))
  if (!base) return undefined
  // Stryker disable next-line EqualityOperator: a slash first leaves no address, refused above
  if (slash >= 0 && !/^\d{1,3}$/.test(cidr.slice(slash + 1))) return undefined
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without a slash Number() is NaN, whose mask is every bit, as the address's own length is
  const bits = slash < 0 ? base.length * 8 : Number(cidr.slice(slash + 1))
  return bits > base.length * 8 ? undefined : { base, bits }
}

function inRange(address: string, { base, bits }: Cidr): boolean {
  const ip = parseIp(address.includes('/') ? address.slice(0, address.indexOf('/')) : address)
  if (!ip || base.length !== ip.length) return false
  // Stryker disable next-line EqualityOperator: a byte past the end is undefined on both sides, masked to 0
  for (let i = 0; i < base.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8))
    const mask = (0xff << (8 - take)) & 0xff
    if (((base[i] as number) & mask) !== ((ip[i] as number) & mask)) return false
  }
  return true
}

// a request's address is read once however many conditions test it (bounded: cleared when full)
const addresses = new Map<string, number[] | undefined>()

/** IPv4 (4 bytes) or IPv6 (16 bytes, `::` and a trailing dotted quad allowed); undefined when neither. */
export function parseIp(text: string): number[] | undefined {
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (addresses.has(text)) return addresses.get(text)
  const bytes = readIp(text)
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the memo's bound; clearing sooner or later gives the same answers
  if (addresses.size >= 1024) addresses.clear()
  addresses.set(text, bytes)
  return bytes
}

function readIp(text: string): number[] | undefined {
  const t = text.trim()
  if (!t.includes(':')) return parseV4(t)
  let head = t
  let tail: number[] = []
  const lastColon = t.lastIndexOf(':')
  // a dot in IPv6 is only in a trailing dotted quad
  if (t.includes('.')) {
    const v4 = parseV4(t.slice(lastColon + 1))
    if (!v4) return undefined
    tail = v4
    head = t.slice(0, lastColon)
    if (head.endsWith(':')) head += ':'
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const left = groups(halves[0] as string)
  const right = halves.length === 2 ? groups(halves[1] as string) : []
  const want = 8 - tail.length / 2
  if (halves.length === 1 && left.length !== want) return undefined
  if (halves.length === 2 && left.length + right.length >= want) return undefined
  const fill = want - left.length - right.length
  const all = [...left, ...Array<string>(fill).fill('0'), ...right]
  const bytes: number[] = []
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    const n = Number.parseInt(g, 16)
    bytes.push(n >> 8, n & 0xff)
  }
  return [...bytes, ...tail]
}

function parseV4(t: string): number[] | undefined {
  const parts = t.split('.')
  if (parts.length !== 4) return undefined
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : 256))
  return bytes.every((b) => b <= 255) ? bytes : undefined
}
