// Matching without regular expressions: policy text is never compiled into a RegExp. A glob is
// split at its `*`s into segments of literal text and `?`s; the first segment is anchored at the
// start, the last at the end, and each one between is taken at its leftmost place, which is all a
// glob of `*` and `?` needs (no backtracking across segments): time is at most the text's length
// times the longest segment's, and patterns are bounded by the reader's size limits.
import type { Glob, Pattern, Segment } from './types.js'

/** A token of pattern text: `raw` text reads `*` and `?` as wildcards; substituted text is literal. */
export interface Token {
  text: string
  raw: boolean
}

const ANY: Glob = { first: { parts: [], length: 0 }, middle: [], last: { parts: [], length: 0 } }

/** Compiles tokens into a glob (lower-cased with `lower`, for matching that ignores case). */
export function compileGlob(tokens: readonly Token[], lower = false): Glob {
  const segments: Segment[] = [{ parts: [], length: 0 }]
  let seg = segments[0] as Segment
  // (joining adjacent text is only tidier: a segment of parts 'ab', 'c' matches as one of 'abc',
  // and empty text matches everywhere)
  // Stryker disable ArithmeticOperator,ConditionalExpression,StringLiteral
  const literal = (text: string) => {
    const last = seg.parts[seg.parts.length - 1]
    if (typeof last === 'string') seg.parts[seg.parts.length - 1] = last + text
    else seg.parts.push(text)
    seg.length += text.length
  }
  for (const { text, raw } of tokens) {
    const t = lower ? text.toLowerCase() : text
    if (!raw) {
      if (t) literal(t)
      continue
    }
    // Stryker restore ArithmeticOperator,ConditionalExpression,StringLiteral
    let run = ''
    for (const ch of t) {
      if (ch !== '*' && ch !== '?') {
        run += ch
        continue
      }
      // Stryker disable next-line ConditionalExpression: empty text matches everywhere
      if (run) literal(run)
      run = ''
      if (ch === '?') {
        seg.parts.push(1)
        seg.length++
      } else {
        seg = { parts: [], length: 0 }
        segments.push(seg)
      }
    }
    // Stryker disable next-line ConditionalExpression: empty text matches everywhere
    if (run) literal(run)
  }
  // Stryker disable next-line ArrayDeclaration: a glob without a last segment never reads its middle
  if (segments.length === 1) return { first: segments[0] as Segment, middle: [], last: undefined }
  // `**` is one `*`: empty segments between stars are dropped (an empty one would match anywhere)
  // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator: an empty segment matches where it is looked for
  const middle = segments.slice(1, -1).filter((s) => s.length > 0)
  return { first: segments[0] as Segment, middle, last: segments[segments.length - 1] as Segment }
}

/** A text against a glob (the caller lower-cases the text where the glob was compiled lower). */
export function globMatch(glob: Glob, text: string): boolean {
  const { first, last } = glob
  if (!last) return first.length === text.length && segmentAt(first, text, 0)
  const end = text.length - last.length
  if (first.length > end || !segmentAt(first, text, 0) || !segmentAt(last, text, end)) return false
  let pos = first.length
  for (const seg of glob.middle) {
    const at = findSegment(seg, text, pos, end)
    if (at < 0) return false
    pos = at + seg.length
  }
  return true
}

function segmentAt(seg: Segment, text: string, at: number): boolean {
  let p = at
  for (const part of seg.parts) {
    if (part === 1) p++
    else if (text.startsWith(part, p)) p += part.length
    else return false
  }
  // (a '?' past the text's end is not reached: callers fit the segment inside the text first)
  return true
}

/** The leftmost place at or after `from` where the segment fits before `limit`, or -1. */
function findSegment(seg: Segment, text: string, from: number, limit: number): number {
  const lead = seg.parts[0]
  for (let at = from; at + seg.length <= limit; at++) {
    // a fast path: jump to the lead text's next place (-1 when none, which is also "not found")
    // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: a fast path; trying each place in turn finds the same
    if (typeof lead === 'string') {
      const found = text.indexOf(lead, at)
      // Stryker disable next-line ConditionalExpression: at -1 the segment is "found" at -1, which is "not found"
      if (found < 0 || found + seg.length > limit) return -1
      at = found
    }
    if (segmentAt(seg, text, at)) return at
  }
  return -1
}

/** A variable-free pattern's glob, compiled on first use. */
export function patternGlob(pattern: Pattern): Glob {
  pattern.glob ??= compileGlob([{ text: pattern.text, raw: true }])
  return pattern.glob
}

/**
 * An ARN pattern's six colon-separated parts, each a glob: the first five never cross a colon, the
 * last (the resource) may hold `:` and `/` and its wildcards cross both. A pattern that is not
 * ARN-shaped (`*`, say) stays one glob over the whole text. Only raw text splits: a colon that a
 * policy variable brought in stays inside its part.
 */
export function arnGlobs(tokens: readonly Token[]): Glob[] {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,OptionalChaining,StringLiteral: a fast path; '*' compiled matches every ARN as ANY does
  if (tokens.length === 1 && tokens[0]?.raw && tokens[0].text === '*') return [ANY]
  const parts: Token[][] = [[]]
  for (const token of tokens) {
    if (!token.raw) {
      ;(parts[parts.length - 1] as Token[]).push(token)
      continue
    }
    let run = ''
    for (const ch of token.text) {
      if (ch === ':' && parts.length < 6) {
        ;(parts[parts.length - 1] as Token[]).push({ text: run, raw: true })
        parts.push([])
        run = ''
      } else run += ch
    }
    ;(parts[parts.length - 1] as Token[]).push({ text: run, raw: true })
  }
  // Stryker disable next-line OptionalChaining: there is always a first part
  if (parts.length < 6 || parts[0]?.map((t) => t.text).join('') !== 'arn') return [compileGlob(tokens)]
  return parts.map((p) => compileGlob(p))
}

/** An ARN against a pattern's parts (see arnGlobs). Case-sensitive, as IAM compares ARNs. */
export function arnMatches(globs: readonly Glob[], arn: string): boolean {
  // Stryker disable next-line ConditionalExpression: a fast path; one glob does not read the parts
  return arnMatchesParts(globs, arn, globs.length === 1 ? undefined : splitArn(arn))
}

/** arnMatches with the ARN already split (a request's resource is split once for every statement). */
export function arnMatchesParts(globs: readonly Glob[], arn: string, parts: readonly string[] | undefined): boolean {
  if (globs.length === 1) return globMatch(globs[0] as Glob, arn)
  if (!parts) return false
  // the resource part first: it is where patterns differ, so a mismatch is found at once
  for (const i of ARN_ORDER) if (!globMatch(globs[i] as Glob, parts[i] as string)) return false
  return true
}

const ARN_ORDER = [5, 2, 4, 3, 1, 0] as const

/** `arn:partition:service:region:account:resource` → its six parts; undefined when not ARN-shaped. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = []
  let from = 0
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', from)
    // Stryker disable next-line EqualityOperator: a colon first leaves an empty first part, which is not 'arn'
    if (colon < 0) return undefined
    parts.push(arn.slice(from, colon))
    from = colon + 1
  }
  parts.push(arn.slice(from))
  return parts[0] === 'arn' ? parts : undefined
}

/** A variable-free ARN pattern's parts, compiled on first use. */
export function patternArn(pattern: Pattern): Glob[] {
  pattern.arn ??= arnGlobs([{ text: pattern.text, raw: true }])
  return pattern.arn
}
