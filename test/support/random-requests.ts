// fast-check arbitraries for requests that are valid on the wire, for differential and
// sign-then-verify tests. `aws4fetchSafe` marks requests inside the rules aws4fetch shares with
// SigV4 (no dot segments or '//', no '+' or '%' in the query, no headers it declines to sign).
import fc from 'fast-check'

export interface RandomRequest {
  /** the query decodes as UTF-8 (smithy takes decoded strings, so cannot express `%80`) */
  utf8Query: boolean
  method: string
  path: string
  query: string
  headers: Array<[string, string]>
  body: string | Uint8Array | null
  aws4fetchSafe: boolean
  hasDotDot: boolean
}

const unreserved = fc.constantFrom(...'abcXYZ019-._~'.split(''))
const subDelims = fc.constantFrom(...("!$&'()*+,;=:@").split(''))
const pctByte = fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
const unicode = fc.constantFrom('ሴ', 'é', '日本', '🙂', 'ß')

const plainSegment = fc.array(unreserved, { minLength: 1, maxLength: 8 }).map((a) => a.join(''))
const oddSegment = fc
  .array(fc.oneof({ weight: 6, arbitrary: unreserved }, subDelims, pctByte), { minLength: 0, maxLength: 8 })
  .map((a) => a.join(''))
const dotSegment = fc.constantFrom('.', '..')

const path = fc
  .record({
    segments: fc.array(fc.oneof({ weight: 5, arbitrary: plainSegment }, { weight: 3, arbitrary: oddSegment }, dotSegment), {
      maxLength: 6,
    }),
    trailingSlash: fc.boolean(),
  })
  .map(({ segments, trailingSlash }) => {
    // a final '.' or '..' segment: RFC 3986 keeps a trailing slash there, smithy does not; both are fine
    // as long as the two signers are given the same question, so end such paths with a plain segment
    const last = segments[segments.length - 1]
    if (last === '.' || last === '..') segments.push('end')
    return `/${segments.join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`
  })

const queryText = fc
  .array(fc.oneof({ weight: 6, arbitrary: unreserved }, pctByte.filter((p) => p !== '%25'), unicode, fc.constantFrom('+', '/', ':', ' ')), {
    maxLength: 8,
  })
  .map((a) => a.join(''))

const query = fc
  .array(fc.tuple(queryText, queryText, fc.boolean()), { maxLength: 6 })
  .chain((pairs) =>
    // repeated keys: sometimes copy an earlier key
    fc.constant(pairs.map(([k, v, hasEq], i) => [i > 0 && k.length === 1 ? (pairs[0]?.[0] ?? k) : k, v, hasEq] as const)),
  )
  .map((pairs) => pairs.map(([k, v, hasEq]) => (hasEq || v !== '' ? `${enc(k)}=${enc(v)}` : enc(k))).join('&'))

/** As written on the wire: spaces and non-ASCII percent-encoded, everything else as generated. */
function enc(text: string): string {
  return text.replace(/[\s\u0080-\uffff]+/gu, (m) => encodeURIComponent(m))
}

const headerName = fc.constantFrom('x-amz-meta-a', 'X-Custom', 'x-amz-target', 'content-type', 'x-request-tag', 'My-Header')
const headerValue = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...'abcXYZ019-_.;/=,"'.split('')) }, fc.constantFrom(' ', '  ', '\t')), {
    maxLength: 16,
  })
  .map((a) => a.join(''))

const body = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 64, unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 64 }),
)

export const randomRequest: fc.Arbitrary<RandomRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    path,
    query,
    headers: fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 4, selector: ([n]) => n.toLowerCase() }),
    body,
  })
  .map((r) => {
    const body = r.method === 'GET' ? null : r.body
    const aws4fetchSafe =
      !/(^|\/)\.{1,2}(\/|$)|\/\//.test(r.path) &&
      !/[%+]/.test(r.query) &&
      // aws4fetch drops pairs whose key is empty
      !r.query.split('&').some((p) => p === '' ? false : p.startsWith('=')) &&
      !/[%!$&'()*+,;=:@]/.test(r.path) &&
      r.headers.every(([n]) => n.toLowerCase() !== 'content-type')
    let utf8Query = true
    try {
      decodeURIComponent(r.query)
    } catch {
      utf8Query = false
    }
    return { ...r, body, aws4fetchSafe, utf8Query, hasDotDot: /(^|\/)\.\.(\/|$)/.test(r.path) }
  })
