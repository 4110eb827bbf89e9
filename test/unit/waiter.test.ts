import { describe, expect, it } from 'vitest'
import { WaiterFailureError } from '../../src/query/errors.js'
import { WaiterTimeoutError } from '../../src/query/errors.js'
import type { Operation, Waiter } from '../../src/query/shapes.js'
import { searchPath, waitFor } from '../../src/query/waiter.js'
import { errorBody, fakeClient, fakeIam, okBody, scriptedFetch, xml } from '../support/fake-query.js'

interface GetThingOutput {
  Thing: { Name: string; State: string; Parts?: { State: string }[] }
}
const GetThing: Operation<{ Name: string }, GetThingOutput> = {
  service: fakeIam,
  name: 'GetThing',
  input: { kind: 'structure', members: { Name: { kind: 'string' } }, required: ['Name'] },
  errors: ['NoSuchEntity'],
  readOnly: true,
  docs: 'https://example.invalid/GetThing',
}

// the shape of the model's RoleExists / UserExists / PolicyExists waiters
const ThingExists: Waiter<{ Name: string }, GetThingOutput> = {
  name: 'ThingExists',
  operation: GetThing,
  delay: 1,
  maxAttempts: 5,
  acceptors: [
    { state: 'success', matcher: 'status', expected: 200 },
    { state: 'retry', matcher: 'error', expected: 'NoSuchEntity' },
  ],
}

const ThingReady: Waiter<{ Name: string }, GetThingOutput> = {
  name: 'ThingReady',
  operation: GetThing,
  delay: 2,
  maxAttempts: 10,
  acceptors: [
    { state: 'success', matcher: 'pathAll', argument: 'Thing.Parts[].State', expected: 'ready' },
    { state: 'failure', matcher: 'path', argument: 'Thing.State', expected: 'broken' },
  ],
}

const missing = (): Response => xml(404, errorBody('NoSuchEntity'))
const thing = (t: GetThingOutput['Thing']): Response => xml(200, okBody('GetThing', { Thing: t }))

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms)
      return Promise.resolve()
    },
  }
}

describe('waitFor', () => {
  it('retries on NoSuchEntity with the model delay and returns the output on 200', async () => {
    const fetch = scriptedFetch([missing(), missing(), thing({ Name: 'n', State: 'ok' })])
    const { client } = fakeClient(fetch)
    const s = recordingSleep()
    const out = await waitFor(client, ThingExists, { Name: 'n' }, { sleep: s.sleep })
    expect(out.Thing.Name).toBe('n')
    expect(s.waits).toEqual([1000, 1000])
  })

  it('gives up after maxAttempts with WaiterTimeoutError', async () => {
    const fetch = scriptedFetch(Array.from({ length: 5 }, missing))
    const { client } = fakeClient(fetch)
    const s = recordingSleep()
    const error = await waitFor(client, ThingExists, { Name: 'n' }, { sleep: s.sleep, delay: 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaiterTimeoutError)
    expect((error as WaiterTimeoutError).attempts).toBe(5)
    expect(fetch.calls).toHaveLength(5)
  })

  it('stops when maxWaitSeconds would be exceeded by the next delay', async () => {
    let clock = 0
    const fetch = scriptedFetch(Array.from({ length: 5 }, missing))
    const { client } = fakeClient(fetch)
    const sleep = (ms: number): Promise<void> => {
      clock += ms
      return Promise.resolve()
    }
    const error = await waitFor(client, ThingExists, { Name: 'n' }, { sleep, now: () => clock, maxWaitSeconds: 2.5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaiterTimeoutError)
    expect(fetch.calls).toHaveLength(3)
  })

  it('throws an error no acceptor matches as it is', async () => {
    const fetch = scriptedFetch([xml(403, errorBody('AccessDenied'))])
    const { client } = fakeClient(fetch)
    await expect(waitFor(client, ThingExists, { Name: 'n' }, { sleep: recordingSleep().sleep })).rejects.toMatchObject({ code: 'AccessDenied' })
  })

  it('evaluates path acceptors: retry while unmatched, success on pathAll, failure on path', async () => {
    const fetch = scriptedFetch([
      thing({ Name: 'n', State: 'pending', Parts: [{ State: 'ready' }, { State: 'pending' }] }),
      thing({ Name: 'n', State: 'ok', Parts: [{ State: 'ready' }, { State: 'ready' }] }),
      thing({ Name: 'n', State: 'broken', Parts: [] }),
    ])
    const { client } = fakeClient(fetch)
    const s = recordingSleep()
    const ok = await waitFor(client, ThingReady, { Name: 'n' }, { sleep: s.sleep })
    expect(ok.Thing.State).toBe('ok')
    expect(s.waits).toEqual([2000])
    await expect(waitFor(client, ThingReady, { Name: 'n' }, { sleep: s.sleep })).rejects.toBeInstanceOf(WaiterFailureError)
  })

  it('is abortable between attempts', async () => {
    const controller = new AbortController()
    const fetch = scriptedFetch([missing(), missing()])
    const { client } = fakeClient(fetch)
    const reason = new Error('cancelled by caller')
    const sleep = (): Promise<void> => {
      controller.abort(reason)
      return Promise.reject(reason)
    }
    await expect(waitFor(client, ThingExists, { Name: 'n' }, { sleep, signal: controller.signal })).rejects.toBe(reason)
    expect(fetch.calls).toHaveLength(1)
  })
})

describe('searchPath', () => {
  it('reads members and projects lists', () => {
    const doc = { A: { B: [{ C: 1 }, { C: 2 }, {}], D: 'x' } }
    expect(searchPath(doc, 'A.D')).toBe('x')
    expect(searchPath(doc, 'A.B[].C')).toEqual([1, 2])
    expect(searchPath(doc, 'A.Missing')).toBeUndefined()
  })

  it('refuses JMESPath it does not implement', () => {
    expect(() => searchPath({}, 'length(A) > `0`')).toThrow(TypeError)
  })
})
