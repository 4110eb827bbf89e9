import { describe, expect, it } from 'vitest'
import { parseAmzDate } from '../../src/sigv4/date.js'
import { NetworkError } from '../../src/query/errors.js'
import { TimeoutError } from '../../src/query/errors.js'
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay, isRetryableResponse } from '../../src/query/retry.js'
import { CreateThing, FakeServiceError, ListThings, errorBody, fakeClient, okBody, scriptedFetch, xml } from '../support/fake-query.js'

const listOk = (): Response => xml(200, okBody('ListThings', { Things: [] }))
const createOk = (): Response => xml(200, okBody('CreateThing', { Name: 'n' }))
const throttled = (): Response => xml(400, errorBody('Throttling', 'Rate exceeded'))

describe('retries', () => {
  it('retries IAM throttling (HTTP 400 Throttling), also for a mutation, and counts attempts', async () => {
    const fetch = scriptedFetch([throttled(), createOk()])
    const { client, sleeps } = fakeClient(fetch)
    const out = await client.send(CreateThing, { Name: 'n' })
    expect(out.$metadata.attempts).toBe(2)
    expect(fetch.calls).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
  })

  it('retries 503 and 429 answers', async () => {
    const fetch = scriptedFetch([xml(503, errorBody('ServiceUnavailable')), new Response('slow down', { status: 429 }), listOk()])
    const { client } = fakeClient(fetch)
    expect((await client.send(ListThings, {})).$metadata.attempts).toBe(3)
  })

  it('retries a network error of a read-only call', async () => {
    const fetch = scriptedFetch([new TypeError('ECONNRESET'), listOk()])
    const { client } = fakeClient(fetch)
    expect((await client.send(ListThings, {})).$metadata.attempts).toBe(2)
  })

  it('retries a timeout of a read-only call', async () => {
    const hang = (_r: unknown, signal: AbortSignal | undefined): Promise<Response> =>
      new Promise((_ok, fail) => signal?.addEventListener('abort', () => fail(signal.reason)))
    const fetch = scriptedFetch([hang, listOk()])
    const { client } = fakeClient(fetch, { timeoutMs: 10 })
    expect((await client.send(ListThings, {})).$metadata.attempts).toBe(2)
  })

  it('never replays a mutation after a network error or a timeout: it may have been applied', async () => {
    const fetch = scriptedFetch([new TypeError('socket hang up')])
    const { client, sleeps } = fakeClient(fetch)
    await expect(client.send(CreateThing, { Name: 'n' })).rejects.toBeInstanceOf(NetworkError)
    expect(fetch.calls).toHaveLength(1)
    expect(sleeps).toHaveLength(0)

    const hang = (_r: unknown, signal: AbortSignal | undefined): Promise<Response> =>
      new Promise((_ok, fail) => signal?.addEventListener('abort', () => fail(signal.reason)))
    const slow = scriptedFetch([hang])
    const timed = fakeClient(slow, { timeoutMs: 10 })
    await expect(timed.client.send(CreateThing, { Name: 'n' })).rejects.toBeInstanceOf(TimeoutError)
    expect(slow.calls).toHaveLength(1)
  })

  it('stops after `retries` retries and throws the last error', async () => {
    const fetch = scriptedFetch([throttled(), throttled(), throttled(), throttled()])
    const { client, sleeps } = fakeClient(fetch, { retries: 2 })
    const error = await client.send(ListThings, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FakeServiceError)
    expect((error as FakeServiceError).code).toBe('Throttling')
    expect(fetch.calls).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
  })

  it('does not retry a client error such as NoSuchEntity', async () => {
    const fetch = scriptedFetch([xml(404, errorBody('NoSuchEntity'))])
    const { client, sleeps } = fakeClient(fetch)
    await expect(client.send(ListThings, {})).rejects.toMatchObject({ code: 'NoSuchEntity' })
    expect(fetch.calls).toHaveLength(1)
    expect(sleeps).toHaveLength(0)
  })

  it('waits a full-jitter delay drawn from [0, base·2^n)', async () => {
    const fetch = scriptedFetch([throttled(), throttled(), throttled(), listOk()])
    const { client, sleeps } = fakeClient(fetch, { random: () => 0.5 })
    await client.send(ListThings, {})
    expect(sleeps).toEqual([0.5 * BACKOFF_BASE_MS, BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS])
  })
})

describe('backoffDelay', () => {
  it('stays below the exponential ceiling and the cap', () => {
    const almostOne = (): number => 0.999999
    for (let n = 0; n < 40; n++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** n)
      expect(backoffDelay(n, almostOne)).toBeLessThan(ceiling)
      expect(backoffDelay(n, () => 0)).toBe(0)
    }
    expect(backoffDelay(1_000, almostOne)).toBeGreaterThan(BACKOFF_CAP_MS * 0.99)
  })

  it('classifies answers', () => {
    expect(isRetryableResponse(400, 'Throttling')).toBe(true)
    expect(isRetryableResponse(400, 'RequestLimitExceeded')).toBe(true)
    expect(isRetryableResponse(400, 'TooManyRequestsException')).toBe(true)
    expect(isRetryableResponse(500, undefined)).toBe(true)
    expect(isRetryableResponse(400, 'MalformedPolicyDocument')).toBe(false)
    expect(isRetryableResponse(403, 'AccessDenied')).toBe(false)
  })
})

describe('clock skew', () => {
  const HOUR = 3_600_000
  const signedAt = (call: { headers: Headers } | undefined): number => {
    const amz = call?.headers.get('x-amz-date')
    if (amz === null || amz === undefined) throw new Error('no x-amz-date')
    const date = parseAmzDate(amz)
    if (date === undefined) throw new Error(`bad x-amz-date ${amz}`)
    return date.getTime()
  }

  it.each(['SignatureDoesNotMatch', 'RequestTimeTooSkewed', 'RequestExpired', 'InvalidSignatureException'])(
    'learns the offset from Date on %s and retries once with corrected time',
    async (code) => {
      const local = Date.UTC(2026, 10, 22, 12, 0, 0)
      const server = local + HOUR
      const fetch = scriptedFetch([
        xml(403, errorBody(code), { date: new Date(server).toUTCString() }),
        createOk(),
        createOk(),
      ])
      const { client, sleeps } = fakeClient(fetch, { now: () => local })
      const out = await client.send(CreateThing, { Name: 'n' })
      expect(out.$metadata.attempts).toBe(2)
      expect(sleeps).toHaveLength(0)
      expect(client.clockOffsetMs).toBe(HOUR)
      expect(signedAt(fetch.calls[0])).toBe(local)
      expect(signedAt(fetch.calls[1])).toBe(server)
      // later calls keep the learned offset
      await client.send(CreateThing, { Name: 'n' })
      expect(signedAt(fetch.calls[2])).toBe(server)
    },
  )

  it('does not treat a signature error as skew when the clocks agree', async () => {
    const local = Date.UTC(2026, 10, 22, 12, 0, 0)
    const fetch = scriptedFetch([xml(403, errorBody('SignatureDoesNotMatch'), { date: new Date(local + 60_000).toUTCString() })])
    const { client } = fakeClient(fetch, { now: () => local })
    await expect(client.send(ListThings, {})).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 })
    expect(fetch.calls).toHaveLength(1)
    expect(client.clockOffsetMs).toBe(0)
  })

  it('retries for skew only once per call', async () => {
    const local = Date.UTC(2026, 10, 22, 12, 0, 0)
    const skewed = (): Response => xml(403, errorBody('RequestTimeTooSkewed'), { date: new Date(local - 2 * HOUR).toUTCString() })
    const fetch = scriptedFetch([skewed(), skewed(), skewed()])
    const { client } = fakeClient(fetch, { now: () => local })
    await expect(client.send(ListThings, {})).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' })
    expect(fetch.calls).toHaveLength(2)
  })
})
