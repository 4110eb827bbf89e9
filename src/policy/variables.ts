// Policy variables (IAM User Guide, "IAM policy elements: Variables and tags"): `${key}` in a
// Resource, NotResource, or a String or ARN condition's values, with policies of Version
// 2012-10-17. Key names ignore case; a multivalued key cannot be a variable; `${key, 'default'}`
// stands in when the key is absent; `${*}`, `${?}` and `${$}` are the literal characters. A
// variable with no value makes its text match nothing.
import type { Token } from './match.js'
import type { RequestContext } from './types.js'

const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' }
const LIST_TYPES = new Set(['stringList', 'numericList', 'booleanList', 'ipList', 'binaryList', 'dateList'])

/**
 * The text as tokens with every variable replaced by its value (literal: its `*` and `?` are not
 * wildcards), or undefined when one has no value; the keys without a value are added to `missing`.
 */
export function resolveVariables(text: string, context: RequestContext, missing?: Set<string>): Token[] | undefined {
  const tokens: Token[] = []
  let from = 0
  let unresolved = false
  for (;;) {
    const open = text.indexOf('${', from)
    if (open < 0) break
    const close = text.indexOf('}', open + 2)
    // Stryker disable next-line EqualityOperator: a '}' after '${' is at 2 or later
    if (close < 0) break
    // Stryker disable next-line ConditionalExpression,EqualityOperator: empty text matches as nothing does
    if (open > from) tokens.push({ text: text.slice(from, open), raw: true })
    const inner = text.slice(open + 2, close)
    const value = variableValue(inner, context, missing)
    if (value === undefined) unresolved = true
    else tokens.push({ text: value, raw: false })
    from = close + 1
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: empty text matches as nothing does
  if (from < text.length) tokens.push({ text: text.slice(from), raw: true })
  return unresolved ? undefined : tokens
}

function variableValue(inner: string, context: RequestContext, missing?: Set<string>): string | undefined {
  const special = SPECIAL[inner]
  if (special !== undefined) return special
  // `key, 'default'`: the default in single quotes after a comma
  const comma = inner.indexOf(',')
  // Stryker disable next-line EqualityOperator: a comma first leaves no key, which no context holds
  const key = (comma < 0 ? inner : inner.slice(0, comma)).trim()
  let fallback: string | undefined
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without a comma the rest is the key itself, which is no quoted default
  if (comma >= 0) {
    const rest = inner.slice(comma + 1).trim()
    if (rest.length >= 2 && rest.startsWith("'") && rest.endsWith("'")) fallback = rest.slice(1, -1)
  }
  const entry = context.get(key.toLowerCase())
  if (entry && !LIST_TYPES.has(entry.type) && entry.values.length === 1) return entry.values[0]
  if (fallback !== undefined) return fallback
  missing?.add(key)
  return undefined
}

/** Whether a text holds a variable reference at all (cheap test before resolving). */
export function hasVariables(text: string): boolean {
  return text.includes('${')
}
