// Reading a policy document once into normal form (IAM User Guide, "IAM JSON policy grammar" and
// "IAM JSON policy elements"): every element as a list, actions lower-cased (action names ignore
// case), Not* as flags, conditions split into operator, set qualifier and IfExists, and each
// statement's place in the text for evidence. A document IAM would refuse is a PolicyError that
// names the policy and the statement; what IAM accepts but cannot match (a wildcard inside a
// principal's ARN) is a warning on the policy.
import type { Condition, OperatorName, ParsedPolicy, ParsedStatement, Pattern, PolicyKind, PrincipalKind, PrincipalMatcher, ResourceMatcher, TextPosition } from './types.js'
import { hasVariables } from './variables.js'

/** Bounds on what is read: no policy IAM stores comes near them. */
export const LIMITS = { chars: 128 * 1024, statements: 1000, values: 1000, valueChars: 4096 } as const

/** A policy IAM would refuse (its code is IAM's: MalformedPolicyDocument), naming what is wrong and where. */
export class PolicyError extends Error {
  override name = 'PolicyError' as const
  readonly code = 'MalformedPolicyDocument'
  readonly policyId: string
  readonly statement: number | undefined

  constructor(policyId: string, statement: number | undefined, sid: string | undefined, message: string) {
    super(`${policyId}${statement === undefined ? '' : `, statement ${statement + 1}${sid ? ` (${JSON.stringify(sid)})` : ''}`}: ${message}`)
    this.policyId = policyId
    this.statement = statement
  }
}

/** What a policy is for: identity-side policies name no principal; resource-side ones must. */
export type PolicyRole = 'identity' | 'resource' | 'trust' | 'organization'

export interface ReadOptions {
  /** SourcePolicyId in answers (default `policy`) */
  id?: string
  kind?: PolicyKind
  arn?: string
  /** default identity */
  role?: PolicyRole
}

const QUALIFIERS = ['ForAllValues', 'ForAnyValue'] as const
const OPERATOR_NAMES: readonly OperatorName[] = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]
const BY_LOWER = new Map(OPERATOR_NAMES.map((n) => [n.toLowerCase(), n]))
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'])
const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['AWS', 'Service', 'Federated', 'CanonicalUser']

/**
 * Reads a policy: its JSON text (positions as IAM counts them), a URL-encoded text as IAM's API
 * carries it, or an object (positions then count in its compact JSON).
 */
export function readPolicy(document: string | object, options: ReadOptions = {}): ParsedPolicy {
  const id = options.id ?? 'policy'
  let text: string
  if (typeof document === 'string') text = decodeDocument(document, id)
  else if (document !== null && typeof document === 'object' && !Array.isArray(document)) text = JSON.stringify(document)
  else throw new PolicyError(id, undefined, undefined, `a policy is a JSON object or its text, not ${describe(document)}`)
  if (text.length > LIMITS.chars) throw new PolicyError(id, undefined, undefined, `the document has ${text.length} characters; at most ${LIMITS.chars} are read`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    // Stryker disable next-line StringLiteral: JSON.parse throws only Errors
    throw new PolicyError(id, undefined, undefined, `the document is not JSON (${error instanceof Error ? error.message : 'unreadable'})`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PolicyError(id, undefined, undefined, `the document must be a JSON object, not ${describe(value)}`)
  const doc = value as Record<string, unknown>
  for (const key of Object.keys(doc)) if (key !== 'Version' && key !== 'Id' && key !== 'Statement') throw new PolicyError(id, undefined, undefined, `unknown element ${JSON.stringify(key)} (a policy holds Version, Id and Statement)`)
  const version = doc.Version
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') throw new PolicyError(id, undefined, undefined, `Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`)
  if (doc.Statement === undefined) throw new PolicyError(id, undefined, undefined, 'the document has no Statement')
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
  if (raw.length > LIMITS.statements) throw new PolicyError(id, undefined, undefined, `${raw.length} statements; at most ${LIMITS.statements} are read`)
  const spans = statementSpans(text)
  const lines = lineStarts(text)
  const policy: ParsedPolicy = { id, kind: options.kind ?? 'none', version: version as string | undefined, statements: [], warnings: [] }
  if (options.arn !== undefined) policy.arn = options.arn
  const variables = version === '2012-10-17'
  raw.forEach((s, index) => {
    // Stryker disable next-line OptionalChaining: a document that parsed has its Statement's place found (see statementSpans)
    const span = spans?.[index]
    // Stryker disable next-line ObjectLiteral: not reached: every statement's place is found
    const start = span ? position(lines, span[0] + 1) : { Line: 0, Column: 0 }
    // Stryker disable next-line ObjectLiteral: not reached: every statement's place is found
    const end = span ? position(lines, span[1]) : { Line: 0, Column: 0 }
    policy.statements.push(readStatement(s, index, { id, role: options.role ?? 'identity', variables, warnings: policy.warnings, start, end }))
  })
  return policy
}

/** A document as IAM's API carries it: its JSON text, or that text URL-encoded. */
function decodeDocument(document: string, id: string): string {
  const t = document.trim()
  if (t.startsWith('{') || !t.startsWith('%')) return document
  try {
    return decodeURIComponent(document.replace(/\+/g, '%20'))
  } catch {
    throw new PolicyError(id, undefined, undefined, 'the document is neither JSON nor URL-encoded JSON')
  }
}

interface StatementContext {
  id: string
  role: PolicyRole
  variables: boolean
  warnings: string[]
  start: TextPosition
  end: TextPosition
}

function readStatement(value: unknown, index: number, ctx: StatementContext): ParsedStatement {
  const sid = isObject(value) && typeof value.Sid === 'string' ? value.Sid : undefined
  const fail = (message: string): never => {
    throw new PolicyError(ctx.id, index, sid, message)
  }
  if (!isObject(value)) return fail(`a statement is a JSON object, not ${describe(value)}`)
  for (const key of Object.keys(value)) if (!STATEMENT_KEYS.has(key)) fail(`unknown element ${JSON.stringify(key)}`)
  if (value.Sid !== undefined && typeof value.Sid !== 'string') fail('Sid must be a string')
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') fail(`Effect must be "Allow" or "Deny", not ${value.Effect === undefined ? 'missing' : JSON.stringify(value.Effect)}`)
  if ((value.Action === undefined) === (value.NotAction === undefined)) fail('a statement has exactly one of Action and NotAction')
  if (value.Resource !== undefined && value.NotResource !== undefined) fail('a statement has Resource or NotResource, not both')
  if (value.Principal !== undefined && value.NotPrincipal !== undefined) fail('a statement has Principal or NotPrincipal, not both')
  const hasPrincipal = value.Principal !== undefined || value.NotPrincipal !== undefined
  if (ctx.role === 'identity' && hasPrincipal) fail(`${value.Principal !== undefined ? 'Principal' : 'NotPrincipal'} belongs in resource-based policies, not in an identity-based policy`)
  if ((ctx.role === 'resource' || ctx.role === 'trust') && !hasPrincipal) fail('a resource-based policy statement names a Principal or NotPrincipal')
  if (ctx.role === 'identity' && value.Resource === undefined && value.NotResource === undefined) fail('a statement has Resource or NotResource')

  const actionsText = strings(value.Action ?? value.NotAction, value.Action !== undefined ? 'Action' : 'NotAction', fail)
  for (const a of actionsText) if (a !== '*' && !/^[^:\s]+:[^\s]*$/.test(a)) fail(`${JSON.stringify(a)} is not an action: write service:Action (or *)`)
  // Stryker disable next-line BooleanLiteral: action patterns are matched as globs, never resolved
  const action = { not: value.Action === undefined, patterns: actionsText.map((t) => pattern(t.toLowerCase(), false)) }

  let resource: ResourceMatcher | undefined
  if (value.Resource !== undefined || value.NotResource !== undefined) {
    const name = value.Resource !== undefined ? 'Resource' : 'NotResource'
    resource = { not: value.Resource === undefined, patterns: strings(value.Resource ?? value.NotResource, name, fail).map((t) => pattern(t, ctx.variables)) }
  }
  const principal = hasPrincipal ? readPrincipal(value.Principal ?? value.NotPrincipal, value.Principal === undefined, fail, ctx.warnings) : undefined
  const conditions = value.Condition === undefined ? [] : readConditions(value.Condition, ctx.variables, fail)
  return { index, sid, effect: value.Effect as 'Allow' | 'Deny', action, resource, principal, conditions, start: ctx.start, end: ctx.end }
}

function pattern(text: string, variables: boolean): Pattern {
  return { text, variables: variables && hasVariables(text) }
}

function readPrincipal(value: unknown, not: boolean, fail: (m: string) => never, warnings: string[]): PrincipalMatcher {
  const name = not ? 'NotPrincipal' : 'Principal'
  if (value === '*') return { not, any: true, values: [] }
  if (!isObject(value)) return fail(`${name} is "*" or an object of AWS, Service, Federated or CanonicalUser`)
  const out: PrincipalMatcher = { not, any: false, values: [] }
  for (const [key, v] of Object.entries(value)) {
    if (!PRINCIPAL_KINDS.includes(key as PrincipalKind)) fail(`${name} has an unknown kind ${JSON.stringify(key)}`)
    for (const text of strings(v, `${name}.${key}`, fail)) {
      if (text === '*' && key === 'AWS') out.any = true
      else {
        if (text.includes('*') || text.includes('?')) warnings.push(`${name} ${JSON.stringify(text)}: IAM matches principals exactly, so a wildcard inside one matches nothing`)
        out.values.push({ kind: key as PrincipalKind, value: text })
      }
    }
  }
  return out
}

function readConditions(value: unknown, variables: boolean, fail: (m: string) => never): Condition[] {
  if (!isObject(value)) return fail('Condition is an object of operators')
  const out: Condition[] = []
  for (const [written, block] of Object.entries(value)) {
    const parsed = parseOperator(written)
    if (!parsed) return fail(`unknown condition operator ${JSON.stringify(written)}`)
    if (!isObject(block)) return fail(`condition ${written} is an object of context keys`)
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => {
        if (typeof v === 'string') return v
        if (typeof v === 'number' || typeof v === 'boolean') return String(v)
        return fail(`condition ${written} ${key}: values are strings, numbers or booleans, not ${describe(v)}`)
      })
      if (values.length > LIMITS.values) fail(`condition ${written} ${key}: ${values.length} values; at most ${LIMITS.values}`)
      for (const v of values) if (v.length > LIMITS.valueChars) fail(`condition ${written} ${key}: a value of ${v.length} characters; at most ${LIMITS.valueChars}`)
      out.push({ written, ...parsed, key, lookup: key.toLowerCase(), values: values.map((v) => pattern(v, variables)) })
    }
  }
  return out
}

/** `ForAnyValue:StringLikeIfExists` → its qualifier, operator and IfExists (names compared ignoring case). */
export function parseOperator(written: string): Pick<Condition, 'operator' | 'qualifier' | 'ifExists'> | undefined {
  let rest = written
  let qualifier: Condition['qualifier']
  const colon = rest.indexOf(':')
  // Stryker disable next-line EqualityOperator: a colon first names no qualifier and no operator: unknown either way
  if (colon >= 0) {
    qualifier = QUALIFIERS.find((q) => q.toLowerCase() === rest.slice(0, colon).toLowerCase())
    if (!qualifier) return undefined
    rest = rest.slice(colon + 1)
  }
  let ifExists = false
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true
    rest = rest.slice(0, -'ifexists'.length)
  }
  const operator = BY_LOWER.get(rest.toLowerCase())
  if (!operator || (operator === 'Null' && (ifExists || qualifier))) return undefined
  return { operator, qualifier, ifExists }
}

function strings(value: unknown, name: string, fail: (m: string) => never): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) return fail(`${name} is empty`)
  if (list.length > LIMITS.values) return fail(`${name} has ${list.length} values; at most ${LIMITS.values}`)
  for (const v of list) {
    if (typeof v !== 'string') return fail(`${name} holds strings, not ${describe(v)}`)
    if (v.length === 0) return fail(`${name} holds an empty string`)
    if (v.length > LIMITS.valueChars) return fail(`${name} holds a value of ${v.length} characters; at most ${LIMITS.valueChars}`)
  }
  return list as string[]
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/**
 * Where each statement sits in the text: [start, end) offsets of its braces, for the Statement
 * the document ends up with (JSON.parse keeps the last of repeated keys, and so does this).
 */
function statementSpans(text: string): Array<[number, number]> | undefined {
  type Frame = { object: boolean; start: number; role: 'root' | 'statement' | 'statements' | 'element' | 'other'; expectKey: boolean; key: string | undefined }
  const stack: Frame[] = []
  let spans: Array<[number, number]> | undefined
  let current: Array<[number, number]> = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    const top = stack[stack.length - 1]
    if (ch === '"') {
      const end = stringEnd(text, i)
      // Stryker disable next-line OptionalChaining: the document is an object: a string always has a frame
      if (top?.object && top.expectKey) {
        top.key = JSON.parse(text.slice(i, end)) as string
        // Stryker disable next-line BooleanLiteral: in valid JSON a key is read again before any value that opens a frame
        top.expectKey = false
      }
      i = end - 1
    } else if (ch === '{' || ch === '[') {
      // Stryker disable next-line StringLiteral: no frame's role is compared with 'other'
      let role: Frame['role'] = 'other'
      if (!top) role = 'root'
      else if (top.role === 'root' && top.key === 'Statement') role = ch === '{' ? 'statement' : 'statements'
      // Stryker disable next-line ConditionalExpression: an array in the Statement array is refused as a statement anyway
      else if (top.role === 'statements' && ch === '{') role = 'element'
      if (role === 'statement' || role === 'statements') current = []
      // Stryker disable next-line ConditionalExpression: only the root frame's key is read, and the root is an object
      stack.push({ object: ch === '{', start: i, role, expectKey: ch === '{', key: undefined })
    } else if (ch === '}' || ch === ']') {
      const frame = stack.pop()
      // Stryker disable next-line OptionalChaining: valid JSON closes only what it opened
      if (frame?.role === 'statement' || frame?.role === 'element') current.push([frame.start, i + 1])
      // Stryker disable next-line ConditionalExpression,EqualityOperator,OptionalChaining: the last frame closed is the root, by then current is the last Statement's
      if (frame?.role === 'statement' || frame?.role === 'statements') spans = current
    // Stryker disable next-line LogicalOperator,ConditionalExpression,OptionalChaining: in valid JSON a key is read again before any value that opens a frame
    } else if (ch === ',' && top?.object) top.expectKey = true
  }
  return spans
}

function stringEnd(text: string, start: number): number {
  let i = start + 1
  // Stryker disable next-line EqualityOperator: past the end the text's length is returned either way
  while (i < text.length) {
    const c = text[i]
    if (c === '\\') i += 2
    else if (c === '"') return i + 1
    else i++
  }
  return text.length
}

function lineStarts(text: string): number[] {
  const starts = [0]
  // Stryker disable next-line EqualityOperator: past the end charCodeAt is NaN, no line end
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) starts.push(i + 1)
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1)
  }
  return starts
}

/**
 * An offset as IAM's simulator reports it: lines and columns from 1. Statements are reported by
 * the places just past their braces (IAM's own example: a statement whose `{` is the 37th
 * character of line 1 and whose `}` is the 166th starts at column 38 and ends at 167).
 */
function position(lines: readonly number[], offset: number): TextPosition {
  let lo = 0
  // Stryker disable next-line ArithmeticOperator: an index past the end reads undefined, never <= offset
  let hi = lines.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    // Stryker disable next-line EqualityOperator: a place just past a brace is never a line's first offset
    if ((lines[mid] as number) <= offset) lo = mid
    else hi = mid - 1
  }
  return { Line: lo + 1, Column: offset - (lines[lo] as number) + 1 }
}
