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

function encodeToken(token: Token): string {
  return toBase64(new TextEncoder().encode(JSON.stringify(token)))
}

function decodeToken(text: string): Token {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(text))) as Partial<Token>
    if (typeof value.s === 'number' && (value.m === undefined || typeof value.m === 'string')) return value as Token
  } catch {
    // fall through to the usage error
  }
  throw new UsageError('--starting-token is not a token this CLI printed (copy the NextToken value)')
}
