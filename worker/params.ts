import { type Operation, resolveShape, type Shape } from '../src/index.js'
import { Refusal } from './answers.js'
import { requireNamedUser } from './policy.js'

export const MAX_BODY_BYTES = 256 * 1024

/** Query-string parameters of SigV4 and SigV4a query signing: verified, never forwarded. */
const AUTH_PARAMS = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires', 'X-Amz-Security-Token', 'X-Amz-Signature', 'X-Amz-Region-Set'])

/**
 * Reads the Query-API call a caller made and refuses every form of smuggling: Action twice or in
 * both query and body, `action`/`VERSION` in another case, a repeated parameter, parameters on the
 * URL of a POST with a body, a body that is not a form. What comes out is all that goes upstream.
 */
export function readCall(method: string, url: URL, contentType: string | null, body: Uint8Array, extra: readonly string[] = []): { action: string | undefined; version: string | undefined; pairs: Array<[string, string]> } {
  const query = decodePairs(url.search.slice(1), 'query string')
  let pairs: Array<[string, string]>
  // a POST with an empty body may carry its call on the URL, as a presigned Query URL does
  // (botocore presigns IAM's actions as POST); never both: URL and body are not merged
  if (method === 'POST' && body.byteLength > 0) {
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType ?? '')) {
      throw new Refusal(400, 'UnsupportedMediaType', `a POST body must be application/x-www-form-urlencoded, not ${JSON.stringify(contentType ?? 'none')}`)
    }
    const onUrl = query.filter(([k]) => !AUTH_PARAMS.has(k))
    if (onUrl.length > 0) throw new Refusal(400, 'MalformedQueryString', `parameters of a POST belong in its form body, found ${onUrl.map(([k]) => k).slice(0, 3).join(', ')} on the URL`)
    pairs = decodePairs(new TextDecoder('utf-8', { fatal: false }).decode(body), 'form body')
  } else {
    pairs = query.filter(([k]) => !AUTH_PARAMS.has(k))
  }
  const seen = new Set<string>()
  let action: string | undefined
  let version: string | undefined
  const rest: Array<[string, string]> = []
  for (const [key, value] of pairs) {
    if (seen.has(key)) throw new Refusal(400, 'MalformedQueryString', `parameter ${key} appears more than once`)
    seen.add(key)
    const lower = key.toLowerCase()
    if (key === 'Action') action = value
    else if (key === 'Version') version = value
    else if (lower === 'action' || lower === 'version') throw new Refusal(400, 'MalformedQueryString', `parameter ${key} must be spelled ${lower === 'action' ? 'Action' : 'Version'}`)
    else if (!extra.includes(key)) rest.push([key, value])
  }
  return { action, version, pairs: rest }
}

function decodePairs(text: string, where: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  if (text === '') return out
  for (const part of text.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    try {
      const key = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '))
      const value = decodeURIComponent((eq === -1 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '))
      out.push([key, value])
    } catch {
      throw new Refusal(400, 'MalformedQueryString', `the ${where} holds a malformed percent-encoding`)
    }
  }
  return out
}

/**
 * Checks every parameter name against the operation's input shape, that every required member is
 * given, and that an action which would otherwise answer for the proxy's own identity names a
 * user; answers the parameters sorted.
 */
export function checkParams(op: Operation, pairs: Array<[string, string]>): Array<[string, string]> {
  for (const [key] of pairs) {
    // the length cap only spares accepts() a split of a huge name: no name the model accepts is
    // that long (indices have at most 4 digits), so changing it changes no answer
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, see above
    const tooLong = key.length > 256
    if (tooLong || !accepts(op.input, key.split('.'), 0)) {
      throw new Refusal(400, 'UnknownParameter', `${op.name} has no parameter ${JSON.stringify(key.slice(0, 80))}`)
    }
  }
  // a required member left out (or empty) would cost an upstream call to learn what IAM says then
  const required = op.input.required
  if (required && !required.every((name) => given(pairs, name))) {
    throw new Refusal(400, 'ValidationError', `${op.name} needs ${required.filter((name) => !given(pairs, name)).join(' and ')}`)
  }
  requireNamedUser(op.name, pairs)
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** A member is given by a non-empty value of its own, or by values under it (`Name.member.1`). */
function given(pairs: ReadonlyArray<readonly [string, string]>, name: string): boolean {
  return pairs.some(([k, v]) => (k === name && v !== '') || k.startsWith(`${name}.`))
}

const INDEX = /^[1-9]\d{0,3}$/

/** Whether `segments[i..]` names a value of `shape` in the Query protocol's flattening. */
function accepts(shape: Shape, segments: readonly string[], i: number): boolean {
  if (i === segments.length) return shape.kind !== 'structure' && shape.kind !== 'map'
  const segment = segments[i] as string
  switch (shape.kind) {
    case 'structure': {
      const member = Object.hasOwn(shape.members, segment) ? shape.members[segment] : undefined
      return member !== undefined && accepts(resolveShape(member), segments, i + 1)
    }
    case 'list':
      if (shape.flattened) return INDEX.test(segment) && accepts(resolveShape(shape.member), segments, i + 1)
      return segment === (shape.memberName ?? 'member') && INDEX.test(segments[i + 1] ?? '') && accepts(resolveShape(shape.member), segments, i + 2)
    case 'map': {
      const part = segments[i + 2]
      if (segment !== 'entry' || !INDEX.test(segments[i + 1] ?? '')) return false
      if (part === 'key') return accepts(resolveShape(shape.key), segments, i + 3)
      if (part === 'value') return accepts(resolveShape(shape.value), segments, i + 3)
      return false
    }
    default:
      return false
  }
}
