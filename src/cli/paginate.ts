import { fromBase64, toBase64 } from '../query/base64.js'
import { walkPages } from '../query/paginate.js'
import type { Operation } from '../query/shapes.js'
import { UsageError, type GlobalFlags } from './args.js'

interface Sender {
  send(op: Operation, input: object): Promise<object>
}

interface Token {
  /** the service's marker for the page to ask for next */
  m?: string
  /** items of that page already printed */
  s: number
}

/**
 * Follows every page as the AWS CLI does: result lists concatenated, `--max-items` caps the total
 * and then prints a `NextToken` that `--starting-token` resumes from (mid-page included).
 */
export async function runPaginated(
  client: Sender,
  op: Operation,
  input: Record<string, unknown>,
  flags: GlobalFlags,
  progress: ((text: string) => void) | undefined,
): Promise<Record<string, unknown>> {
  const p = op.paginator
  if (!p) throw new TypeError(`${op.name} does not paginate`)
  const keys: readonly string[] = typeof p.resultKey === 'string' ? [p.resultKey] : (p.resultKey as readonly string[])
  const start = flags.startingToken === undefined ? { s: 0 } : decodeToken(flags.startingToken)
  let skip = start.s
  const merged: Record<string, unknown> = {}
  for (const key of keys) merged[key] = []
  let count = 0
  let page = 0
  const pages = walkPages(op, start.m, (marker) => {
    const request: Record<string, unknown> = { ...input }
    if (marker !== undefined) request[p.inputToken] = marker
    if (p.limitKey && flags.pageSize !== undefined) request[p.limitKey] = flags.pageSize
    return client.send(op, request) as Promise<Record<string, unknown>>
  })
  let marker = start.m
  for await (const { page: out, next } of pages) {
    page++
    for (const [k, v] of Object.entries(out)) if (!keys.includes(k) && k !== p.outputToken && k !== p.moreResults && k !== '$metadata') merged[k] = v
    for (const key of keys) {
      const list = Array.isArray(out[key]) ? (out[key] as unknown[]).slice(skip) : []
      const room = flags.maxItems === undefined ? list.length : Math.max(0, flags.maxItems - count)
      ;(merged[key] as unknown[]).push(...list.slice(0, room))
      count += Math.min(room, list.length)
      if (list.length > room) {
        // stopped inside this page: the token resumes at its first item not printed
        merged.NextToken = encodeToken({ ...(marker === undefined ? {} : { m: marker }), s: skip + room })
        progress?.('\r\x1b[K')
        return merged
      }
    }
    skip = 0
    progress?.(`\r\x1b[K${op.name}: page ${page}, ${count} items`)
    if (next === undefined) break
    marker = next
    if (flags.maxItems !== undefined && count >= flags.maxItems) {
      merged.NextToken = encodeToken({ m: next, s: 0 })
      break
    }
  }
  progress?.('\r\x1b[K')
  return merged
}

/**
 * NextToken as the AWS CLI writes it (botocore's pagination token), so tokens move between the two
 * tools: base64 of Python-style JSON `{"Marker": …, "boto_truncate_amount": n}`, the amount only
 * when the listing stopped inside a page.
 */
function encodeToken(token: Token): string {
  const fields: [string, unknown][] = [[MARKER_KEY, token.m ?? null]]
  if (token.s > 0) fields.push([TRUNCATE_KEY, token.s])
  // json.dumps: ", " and ": " separators, non-ASCII as \uXXXX
  const json = `{${fields.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return toBase64(new TextEncoder().encode(json))
}

const MARKER_KEY = 'Marker'
const TRUNCATE_KEY = 'boto_truncate_amount'

function decodeToken(text: string): Token {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(text))) as Record<string, unknown>
    const marker = value[MARKER_KEY]
    const skip = value[TRUNCATE_KEY] ?? 0
    if ((marker === null || marker === undefined || typeof marker === 'string') && typeof skip === 'number' && Number.isInteger(skip) && skip >= 0) {
      return { ...(typeof marker === 'string' ? { m: marker } : {}), s: skip }
    }
  } catch {
    // fall through to the usage error
  }
  throw new UsageError('--starting-token is not a NextToken this CLI or the AWS CLI printed (copy the NextToken value)')
}
