import { describe, expect, it } from 'vitest'
import type { SendOptions, WithMetadata } from '../../src/query/client.js'
import { PaginationError } from '../../src/query/errors.js'
import { type OperationSender, paginate, paginateItems } from '../../src/query/paginate.js'
import type { Operation } from '../../src/query/shapes.js'
import { CreateThing, ListThings, type ListThingsOutput } from '../support/fake-query.js'

/** Serves `items` in pages of MaxItems (default 3) with an offset marker, like IAM and moto. */
function pagedService(items: string[], options: { markerFor?: (offset: number) => string } = {}) {
  const requests: Record<string, unknown>[] = []
  const sender: OperationSender = {
    send<I extends object, O extends object>(_op: Operation<I, O>, input: I, _options?: SendOptions): Promise<WithMetadata<O>> {
      const req = { ...(input as Record<string, unknown>) }
      requests.push(req)
      const offset = Number(String(req.Marker).replace(/^m/, ''))
      // a marker that is not an offset (the repeated-marker case) serves the second page again
      const start = req.Marker === undefined ? 0 : Number.isNaN(offset) ? 3 : offset
      const size = typeof req.MaxItems === 'number' ? req.MaxItems : 3
      const end = Math.min(start + size, items.length)
      const out: ListThingsOutput = { Things: items.slice(start, end), IsTruncated: end < items.length }
      if (end < items.length) out.Marker = options.markerFor?.(end) ?? `m${end}`
      // the fake answers ListThings only
      return Promise.resolve({ ...out, $metadata: { httpStatusCode: 200, attempts: 1 } } as unknown as WithMetadata<O>)
    },
  }
  return { sender, requests }
}

const letters = 'abcdefgh'.split('')

describe('paginate', () => {
  it('follows Marker while IsTruncated and passes the page size as MaxItems', async () => {
    const { sender, requests } = pagedService(letters)
    const pages: string[][] = []
    for await (const page of paginate(sender, ListThings, { PathPrefix: '/' }, { pageSize: 3 })) pages.push(page.Things)
    expect(pages).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g', 'h']])
    expect(requests).toEqual([
      { PathPrefix: '/', MaxItems: 3 },
      { PathPrefix: '/', MaxItems: 3, Marker: 'm3' },
      { PathPrefix: '/', MaxItems: 3, Marker: 'm6' },
    ])
  })

  it('starts from a Marker given in the input', async () => {
    const { sender } = pagedService(letters)
    const seen: string[] = []
    for await (const item of paginateItems(sender, ListThings, { Marker: 'm5' })) seen.push(item)
    expect(seen).toEqual(['f', 'g', 'h'])
  })

  it('stops at maxItems, trimming the last page and asking for no more than needed', async () => {
    const { sender, requests } = pagedService(letters)
    const seen: string[] = []
    for await (const item of paginateItems(sender, ListThings, {}, { pageSize: 3, maxItems: 4 })) seen.push(item)
    expect(seen).toEqual(['a', 'b', 'c', 'd'])
    expect(requests.map((r) => r.MaxItems)).toEqual([3, 1])
  })

  it('throws PaginationError when the service repeats a marker', async () => {
    const { sender } = pagedService(letters, { markerFor: () => 'same' })
    const pages: string[][] = []
    const error = await (async () => {
      for await (const page of paginate(sender, ListThings, {})) pages.push(page.Things)
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PaginationError)
    expect((error as PaginationError).marker).toBe('same')
    expect(pages).toHaveLength(2)
  })

  it('refuses an operation without a paginator', async () => {
    const { sender } = pagedService(letters)
    const iterate = async (): Promise<void> => {
      for await (const _ of paginate(sender, CreateThing, { Name: 'x' })) break
    }
    await expect(iterate()).rejects.toThrow(/CreateThing does not paginate/)
  })

  it('rejects a page size that is not a positive integer', async () => {
    const { sender } = pagedService(letters)
    await expect(paginate(sender, ListThings, {}, { pageSize: 0 }).next()).rejects.toThrow(RangeError)
  })
})
