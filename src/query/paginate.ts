import type { SendOptions, WithMetadata } from './client.js'
import { PaginationError } from './errors.js'
import type { AnyOperation } from './protocol.js'
import type { Operation, Paginator } from './shapes.js'

/** Anything that sends operations: IamClient, StsClient, or a test double. */
export interface OperationSender {
  send<I extends object, O extends object>(op: Operation<I, O>, input: I, options?: SendOptions): Promise<WithMetadata<O>>
}

export interface PaginateOptions {
  /** items per page, sent as the paginator's limit key (IAM: MaxItems, 1..1000) */
  pageSize?: number
  /** stop after this many result items in total; the last page is trimmed to fit */
  maxItems?: number
  signal?: AbortSignal
}

function paginatorOf(op: AnyOperation): Paginator {
  if (op.paginator === undefined) {
    throw new TypeError(`${op.service.id}:${op.name} does not paginate (no paginator in the model); call send() instead`)
  }
  return op.paginator
}

function resultKeys(p: Paginator): readonly string[] {
  // some paginators (GetAccountAuthorizationDetails) name several result lists
  const key: string | readonly string[] = p.resultKey
  return typeof key === 'string' ? [key] : key
}

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name}: must be a positive integer, got ${String(value)}`)
  }
}

/** The marker of the page after `out`, or undefined when `out` is the last (IsTruncated false, no marker). */
function nextMarker(p: Paginator, out: Readonly<Record<string, unknown>>): string | undefined {
  const next = out[p.outputToken]
  const more = p.moreResults === undefined ? next !== undefined : out[p.moreResults] === true
  return more && typeof next === 'string' && next !== '' ? next : undefined
}

/**
 * The one page loop behind `paginate`, the CLI and the proxy's `?all=1`: asks `fetchPage` for each
 * page from `start` on, yields it with the marker of the next (undefined on the last), and stops
 * with a PaginationError when the service hands out a marker it already gave.
 */
export async function* walkPages<P extends object>(
  op: AnyOperation,
  start: string | undefined,
  fetchPage: (marker: string | undefined) => Promise<P>,
  /** where a page keeps the output members (the page itself unless said) */
  outputOf: (page: P) => object = (page) => page,
): AsyncGenerator<{ page: P; next: string | undefined }, void, undefined> {
  const p = paginatorOf(op)
  const seen = new Set<string>()
  let marker = start
  for (let n = 1; ; n++) {
    const page = await fetchPage(marker)
    const next = nextMarker(p, outputOf(page) as Record<string, unknown>)
    yield { page, next }
    if (next === undefined) return
    if (seen.has(next) || next === marker) throw new PaginationError(op.name, next, n)
    seen.add(next)
    marker = next
  }
}

/** Every page of a paginated operation, following Marker / IsTruncated until the last one. */
export async function* paginate<I extends object, O extends object>(
  client: OperationSender,
  op: Operation<I, O>,
  input: I,
  options: PaginateOptions = {},
): AsyncGenerator<WithMetadata<O>, void, undefined> {
  const p = paginatorOf(op)
  positiveInteger('pageSize', options.pageSize)
  positiveInteger('maxItems', options.maxItems)
  const keys = resultKeys(p)
  const start = (input as Partial<Record<string, unknown>>)[p.inputToken]
  let remaining = options.maxItems ?? Number.POSITIVE_INFINITY
  const sendOptions: SendOptions = options.signal === undefined ? {} : { signal: options.signal }
  const pages = walkPages(op, typeof start === 'string' ? start : undefined, (marker) => {
    // the request only adds the paginator's own members to the caller's input
    const request: Record<string, unknown> = { ...(input as object) }
    if (marker !== undefined) request[p.inputToken] = marker
    if (p.limitKey !== undefined && options.pageSize !== undefined) request[p.limitKey] = Math.min(options.pageSize, remaining)
    return client.send(op, request as I, sendOptions)
  })
  for await (const { page } of pages) {
    remaining -= trimToRemaining(page as Record<string, unknown>, keys, remaining)
    yield page
    if (remaining <= 0) return
  }
}

/** Cuts result lists so at most `remaining` items are yielded; returns how many were kept. */
function trimToRemaining(fields: Record<string, unknown>, keys: readonly string[], remaining: number): number {
  let kept = 0
  for (const key of keys) {
    const list = fields[key]
    if (!Array.isArray(list)) continue
    const room = remaining - kept
    if (list.length > room) fields[key] = list.slice(0, Math.max(room, 0))
    kept += Math.min(list.length, Math.max(room, 0))
  }
  return kept
}

/** Element type of the list members of an output (the paginator's result lists are among them). */
export type ListItemOf<O> = { [K in keyof O]-?: NonNullable<O[K]> extends readonly (infer E)[] ? E : never }[keyof O]

/** The items of every page's result list, one by one (for multi-list paginators: each list in turn). */
export async function* paginateItems<I extends object, O extends object>(
  client: OperationSender,
  op: Operation<I, O>,
  input: I,
  options: PaginateOptions = {},
): AsyncGenerator<ListItemOf<O>, void, undefined> {
  const keys = resultKeys(paginatorOf(op))
  for await (const page of paginate(client, op, input, options)) {
    for (const key of keys) {
      const list = (page as Record<string, unknown>)[key]
      // result keys name list members of O, so their elements are ListItemOf<O>
      if (Array.isArray(list)) yield* list as ListItemOf<O>[]
    }
  }
}
