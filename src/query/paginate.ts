import type { SendOptions, WithMetadata } from './client.js'
import { PaginationError } from './errors/pagination-error.js'
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
  const seen = new Set<string>()
  let token = (input as Partial<Record<string, unknown>>)[p.inputToken]
  let remaining = options.maxItems ?? Number.POSITIVE_INFINITY
  for (let page = 1; ; page++) {
    const request: Record<string, unknown> = { ...(input as object) }
    if (token !== undefined) request[p.inputToken] = token
    if (p.limitKey !== undefined && options.pageSize !== undefined) {
      request[p.limitKey] = Math.min(options.pageSize, remaining)
    }
    const sendOptions: SendOptions = options.signal === undefined ? {} : { signal: options.signal }
    // the request only adds the paginator's own members to the caller's input
    const out = await client.send(op, request as I, sendOptions)
    const fields = out as Record<string, unknown>
    remaining -= trimToRemaining(fields, keys, remaining)
    yield out
    if (remaining <= 0) return
    const next = fields[p.outputToken]
    const more = p.moreResults === undefined ? next !== undefined : fields[p.moreResults] === true
    if (!more || next === undefined || next === '') return
    const marker = String(next)
    if (seen.has(marker) || marker === token) throw new PaginationError(op.name, marker, page)
    seen.add(marker)
    token = next
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
