// The proxy's answers as AWS clients read them: one request id in body and header, a Date on
// every answer, 405 with Allow, labels that say what happened, and retries that share a failure
// instead of each calling upstream. (The same points through real clients: test/e2e/clients.test.ts.)
import { describe, expect, it } from 'vitest'
import { withRequestId, xmlError } from '../../worker/answers.js'
import { FailureMemory, FIRST_WINDOW_MS, MAX_WINDOW_MS, retryAfter } from '../../worker/failures.js'
import { bearer, codeOf, harness, PROXY, signedPost } from './worker-support.js'

const requestIdIn = (xml: string) => /<RequestId>([^<]*)<\/RequestId>/.exec(xml)?.[1]
const LIST = 'Action=ListUsers&Version=2010-05-08'

describe('request ids', () => {
  it('are the proxy’s own, the same in body and header, unique per request, hits and upstream errors included', async () => {
    const h = await harness()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await h.send(await signedPost(LIST))
      const body = await res.text()
      expect(requestIdIn(body)).toBe(res.headers.get('x-amzn-requestid'))
      ids.push(requestIdIn(body) as string)
    }
    expect(new Set(ids).size).toBe(3)
    expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true)
    // upstream's id stays in the log line, for the operator
    const lines = h.logs.map((l) => JSON.parse(l) as { cache: string; upstreamRequestId?: string })
    expect(lines.map((l) => l.cache)).toEqual(['MISS', 'HIT', 'HIT'])
    expect(lines[0]?.upstreamRequestId).toMatch(/^req-/)

    h.upstream.fault = 'nosuchentity'
    for (let i = 0; i < 2; i++) {
      const missing = await h.send(await signedPost('Action=GetUser&Version=2010-05-08&UserName=ghost'))
      const text = await missing.text()
      expect([missing.status, codeOf(text), requestIdIn(text)]).toEqual([404, 'NoSuchEntity', missing.headers.get('x-amzn-requestid')])
      expect(text).not.toContain('<RequestId>n</RequestId>')
    }
  })

  it('are put in place of upstream’s without touching the rest of the answer', async () => {
    const h = await harness()
    const role = '<GetRoleResponse><GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><Description>&lt;RequestId&gt;x&lt;/RequestId&gt;</Description></Role></GetRoleResult>'
    h.upstream.override = () => new Response(`${role}<ResponseMetadata><RequestId>up-1</RequestId></ResponseMetadata></GetRoleResponse>`)
    const res = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=r'))
    expect(await res.text()).toBe(`${role}<ResponseMetadata><RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ResponseMetadata></GetRoleResponse>`)
  })
})

describe('answers carry a Date', () => {
  it('on successes, hits, refusals, unknown routes, preflights and the health check', async () => {
    const h = await harness({ CORS_ORIGINS: 'https://dash.example' })
    const answers = [
      await h.send(await signedPost(LIST)),
      await h.send(await signedPost(LIST)),
      await h.send(new Request(`${PROXY}/?${LIST}`)),
      await h.send(await signedPost(LIST, { date: new Date(Date.now() - 20 * 60_000) })),
      await h.send(new Request(`${PROXY}/nope`)),
      await h.send(new Request(`${PROXY}/iam/ListUsers`, { method: 'OPTIONS', headers: { origin: 'https://dash.example', 'access-control-request-method': 'GET' } })),
      await h.send(new Request(`${PROXY}/iam/ListUsers`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })),
      await h.send(new Request(`${PROXY}/healthz`)),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 200, 403, 403, 404, 204, 403, 200])
    for (const res of answers) {
      const date = res.headers.get('date')
      expect(date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
      expect(Math.abs(Date.parse(date as string) - h.clock.now)).toBeLessThan(1000)
    }
  })
})

describe('methods', () => {
  it('a known path with another method is 405 with Allow, in the route’s envelope', async () => {
    const h = await harness()
    const del = await h.send(new Request(`${PROXY}/iam/DeleteUser?UserName=alice`, { method: 'POST', headers: { authorization: 'Bearer x' } }))
    expect([del.status, del.headers.get('allow'), ((await del.json()) as { error: { code: string } }).error.code]).toEqual([405, 'GET, OPTIONS', 'MethodNotAllowed'])
    const put = await h.send(new Request(`${PROXY}/`, { method: 'PUT', body: LIST }))
    expect([put.status, put.headers.get('allow'), codeOf(await put.text())]).toEqual([405, 'GET, POST, OPTIONS', 'MethodNotAllowed'])
    expect(h.upstream.count()).toBe(0)
  })
})

describe('labels', () => {
  it('a burst of identical misses: one MISS, the rest JOINED, in the header and the log', async () => {
    const h = await harness()
    h.upstream.delayMs = 30
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.send(bearer('/iam/GetRole?RoleName=burst'))))
    const labels = answers.map((r) => r.headers.get('x-cache')).sort()
    expect([labels.filter((l) => l === 'MISS').length, labels.filter((l) => l === 'JOINED').length]).toEqual([1, 19])
    expect(h.upstream.count('GetRole')).toBe(1)
    expect(h.logs.map((l) => (JSON.parse(l) as { cache: string }).cache).filter((c) => c === 'JOINED')).toHaveLength(19)
    // once stored, a HIT
    expect((await h.send(bearer('/iam/GetRole?RoleName=burst'))).headers.get('x-cache')).toBe('HIT')
  })


})

describe('retries share a failure', () => {
  const at = (h: Awaited<ReturnType<typeof harness>>, start: number, seconds: number) => {
    h.clock.now = start + Math.round(seconds * 1000)
  }

  it('one upstream call for a botocore legacy-mode retry sequence (4 retries, backoff up to 1, 2, 4, 8 s)', async () => {
    const h = await harness()
    h.upstream.fault = '500'
    const start = h.clock.now
    // the longest gaps botocore can draw: every retry at the far end of its backoff
    const answers: Response[] = []
    for (const t of [0, 0.99, 0.99 + 1.99, 0.99 + 1.99 + 3.99, 0.99 + 1.99 + 3.99 + 7.99]) {
      at(h, start, t)
      answers.push(await h.send(await signedPost(LIST, { date: new Date(h.clock.now) })))
    }
    expect(answers.map((r) => [r.status, r.headers.get('x-cache'), r.headers.get('retry-after')])).toEqual([
      [500, 'MISS', '1'],
      [500, 'JOINED', '1'],
      [500, 'JOINED', '1'],
      [500, 'JOINED', '1'],
      [500, 'JOINED', '1'],
    ])
    for (const res of answers) expect(codeOf(await res.text())).toBe('ServiceFailure')
    expect(h.upstream.count('ListUsers')).toBe(1)
  })

  it('one upstream call for an SDK v3 sequence that waits out Retry-After, and upstream is asked again after the window', async () => {
    const h = await harness()
    h.upstream.fault = 'reset'
    const start = h.clock.now
    for (const t of [0, 1.2, 2.4]) {
      at(h, start, t)
      const res = await h.send(bearer('/iam/GetRole?RoleName=seq'))
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([502, 'ServiceUnavailable'])
    }
    expect(h.upstream.count('GetRole')).toBe(1)
    h.upstream.fault = 'ok'
    at(h, start, 2.4 + FIRST_WINDOW_MS * 4 / 1000)
    const recovered = await h.send(bearer('/iam/GetRole?RoleName=seq'))
    expect([recovered.status, recovered.headers.get('x-cache')]).toEqual([200, 'MISS'])
  })

  it('never past 20 s after the failure, however often it is asked for', async () => {
    const h = await harness()
    h.upstream.fault = '500'
    const start = h.clock.now
    for (let t = 0; t * 1000 < MAX_WINDOW_MS; t += 0.5) {
      at(h, start, t)
      await h.send(bearer('/iam/GetRole?RoleName=hot'))
    }
    expect(h.upstream.count('GetRole')).toBe(1)
    at(h, start, MAX_WINDOW_MS / 1000)
    await h.send(bearer('/iam/GetRole?RoleName=hot'))
    expect(h.upstream.count('GetRole')).toBe(2)
  })

  it('is per call: other parameters, and Cache-Control: no-cache, go upstream', async () => {
    const h = await harness()
    h.upstream.fault = '500'
    await h.send(bearer('/iam/GetRole?RoleName=a'))
    h.upstream.fault = 'ok'
    expect((await h.send(bearer('/iam/GetRole?RoleName=b'))).status).toBe(200)
    const bypass = await h.send(bearer('/iam/GetRole?RoleName=a', { 'cache-control': 'no-cache' }))
    expect([bypass.status, bypass.headers.get('x-cache')]).toEqual([200, 'BYPASS'])
    // the success ended the failure for everyone
    expect((await h.send(bearer('/iam/GetRole?RoleName=a'))).headers.get('x-cache')).toBe('HIT')
    expect(h.upstream.count('GetRole')).toBe(3)
  })


})

describe('the failure memory', () => {
  it('is bounded by entries and by bytes, counting keys and bodies; a long body is kept empty', () => {
    const memory = new FailureMemory()
    for (let i = 0; i < 1000; i++) memory.remember(`https://cache.iam-edge.invalid/v2/x/${i}`, { status: 500, body: `<html>${'x'.repeat(1_000)}</html>`, requestId: undefined }, 0)
    expect(memory.entries.size).toBe(memory.maxEntries)
    const sum = [...memory.entries.values()].reduce((n, e) => n + e.bytes, 0)
    expect(memory.bytes).toBe(sum)
    expect(memory.bytes).toBeLessThanOrEqual(memory.maxBytes)
    expect(memory.bytes).toBeGreaterThan(memory.maxEntries * 1_000)
    // the oldest went first
    expect(memory.entries.has('https://cache.iam-edge.invalid/v2/x/999')).toBe(true)
    expect(memory.entries.has('https://cache.iam-edge.invalid/v2/x/0')).toBe(false)
    memory.remember('big', { status: 503, body: '€'.repeat(3_000_000), requestId: undefined }, 0)
    expect(memory.share('big', 1)?.body).toBe('')
    expect(memory.bytes).toBeLessThanOrEqual(memory.maxBytes)
    // by bytes: wide bodies stop at the byte bound before the entry bound
    const wide = new FailureMemory()
    for (let i = 0; i < 200; i++) wide.remember(`k${i}`, { status: 500, body: '€'.repeat(16_000), requestId: undefined }, 0)
    expect(wide.bytes).toBeLessThanOrEqual(wide.maxBytes)
    expect(wide.entries.size).toBeLessThan(200)
  })

  it('widens its window with each share: 2 s, then 4, 8 and 16 s past the sharing request, at most 20 s after the failure', () => {
    const memory = new FailureMemory()
    memory.remember('k', { status: 500, body: '', requestId: undefined }, 0)
    const until = () => memory.entries.get('k')?.until
    expect(until()).toBe(2000)
    memory.share('k', 1000)
    expect(until()).toBe(5000)
    memory.share('k', 4000)
    expect(until()).toBe(12_000)
    memory.share('k', 10_000)
    expect(until()).toBe(20_000)
    memory.share('k', 19_000)
    expect(until()).toBe(20_000)
    expect(memory.share('k', 20_000)).toBeUndefined()
    expect(memory.entries.size).toBe(0)
  })
})

describe('the answer helpers', () => {
  it('withRequestId replaces the last RequestId element only, escapes the id, and leaves a body without one as it is', () => {
    expect(withRequestId('<A><RequestId>up</RequestId></A>', 'mine')).toBe('<A><RequestId>mine</RequestId></A>')
    expect(withRequestId('<A><RequestId>a</RequestId><B><RequestId>b</RequestId></B></A>', 'x')).toBe('<A><RequestId>a</RequestId><B><RequestId>x</RequestId></B></A>')
    expect(withRequestId('<A><RequestId>up</RequestId></A>', '<&>')).toBe('<A><RequestId>&#60;&#38;&#62;</RequestId></A>')
    expect(withRequestId('<A/>', 'x')).toBe('<A/>')
    expect(withRequestId('<A><RequestId>cut', 'x')).toBe('<A><RequestId>cut')
  })

  it('xmlError escapes code and message, and types 5xx as Receiver, the rest as Sender', async () => {
    const server = await xmlError('iam', 500, 'C<1>', `a "b" & 'c'`, 'id').text()
    expect(server).toContain('<Type>Receiver</Type><Code>C&#60;1&#62;</Code><Message>a &#34;b&#34; &#38; &#39;c&#39;</Message>')
    expect(await xmlError('iam', 499, 'X', 'm', 'id').text()).toContain('<Type>Sender</Type>')
  })

  it('retryAfter gives the gate’s wait, 1 s for another upstream failure, nothing for an answer', () => {
    expect(retryAfter({ status: 400, body: '', requestId: undefined, failed: { kind: 'throttled', code: 'Throttling', detail: 'd', retryAfter: 7 } })).toEqual({ 'retry-after': '7' })
    expect(retryAfter({ status: 502, body: '', requestId: undefined, failed: { kind: 'network', code: 'ServiceUnavailable', detail: 'd' } })).toEqual({ 'retry-after': '1' })
    expect(retryAfter({ status: 200, body: '<A/>', requestId: undefined })).toEqual({})
  })

  it('the failure memory counts key, body, request id and detail, keeps a body of exactly 16 KiB, and holds exactly its byte bound', () => {
    const memory = new FailureMemory()
    memory.remember('kk', { status: 500, body: 'abc', requestId: 'rid', failed: { kind: 'network', code: 'X', detail: 'detail' } }, 0)
    expect(memory.bytes).toBe(2 + 3 + 3 + 6 + 160)
    memory.remember('edge', { status: 500, body: 'b'.repeat(16 * 1024), requestId: undefined }, 0)
    expect(memory.share('edge', 1)?.body.length).toBe(16 * 1024)
    const exact = new FailureMemory()
    exact.maxBytes = 2 * (1 + 10 + 160)
    exact.remember('a', { status: 500, body: 'x'.repeat(10), requestId: undefined }, 0)
    exact.remember('b', { status: 500, body: 'x'.repeat(10), requestId: undefined }, 0)
    expect([exact.entries.size, exact.bytes]).toEqual([2, exact.maxBytes])
  })
})
