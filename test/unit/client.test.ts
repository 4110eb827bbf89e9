import { describe, expect, it } from 'vitest'
import { QueryClient } from '../../src/query/client.js'
import { HttpResponseError } from '../../src/query/errors.js'
import { NetworkError } from '../../src/query/errors.js'
import { TimeoutError } from '../../src/query/errors.js'
import { XmlParseError } from '../../src/query/errors.js'
import { MAX_GET_URL_BYTES } from '../../src/query/transport.js'
import {
  CreateThing,
  FakeServiceError,
  ListThings,
  WhoAmI,
  errorBody,
  fakeBinding,
  fakeClient,
  okBody,
  scriptedFetch,
  testCredentials,
  xml,
} from '../support/fake-query.js'

const listOk = (): Response => xml(200, okBody('ListThings', { Things: ['a'] }))

describe('request shape', () => {
  it('sends a signed form POST by default', async () => {
    const fetch = scriptedFetch([listOk()])
    const { client } = fakeClient(fetch)
    await client.send(ListThings, { PathPrefix: '/a b/' })
    const [call] = fetch.calls
    expect(call?.method).toBe('POST')
    expect(call?.url).toBe('https://iam.example.test/')
    expect(call?.headers.get('content-type')).toBe('application/x-www-form-urlencoded; charset=utf-8')
    expect(call?.body).toBe('Action=ListThings&Version=2010-05-08&PathPrefix=%2Fa%20b%2F')
    expect(call?.headers.get('authorization')).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/iam\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    )
    expect(call?.headers.get('x-amz-user-agent')).toMatch(/^iam-edge\//)
  })

  it('sends GET with the parameters in the query when asked', async () => {
    const fetch = scriptedFetch([listOk()])
    const { client } = fakeClient(fetch, { method: 'GET' })
    await client.send(ListThings, { PathPrefix: '/x/' })
    const [call] = fetch.calls
    expect(call?.method).toBe('GET')
    expect(call?.url).toBe('https://iam.example.test/?Action=ListThings&Version=2010-05-08&PathPrefix=%2Fx%2F')
    expect(call?.body).toBeNull()
    expect(call?.headers.get('authorization')).toContain('SignedHeaders=host;x-amz-date,')
  })

  it('keeps GET up to 2,048 bytes of URL and falls back to POST one byte later', async () => {
    const prefix = 'https://iam.example.test/?Action=ListThings&Version=2010-05-08&PathPrefix='
    const fits = 'p'.repeat(MAX_GET_URL_BYTES - prefix.length)
    const fetch = scriptedFetch([listOk(), listOk()])
    const { client } = fakeClient(fetch, { method: 'GET' })
    await client.send(ListThings, { PathPrefix: fits })
    await client.send(ListThings, { PathPrefix: `${fits}p` })
    expect(fetch.calls[0]?.method).toBe('GET')
    expect(fetch.calls[0]?.url.length).toBe(MAX_GET_URL_BYTES)
    expect(fetch.calls[1]?.method).toBe('POST')
    expect(fetch.calls[1]?.url).toBe('https://iam.example.test/')
    expect(fetch.calls[1]?.body).toContain(`PathPrefix=${fits}p`)
  })

  it('adds the session token of temporary credentials and asks the provider on every call', async () => {
    let asked = 0
    const fetch = scriptedFetch([listOk(), listOk()])
    const { client } = fakeClient(fetch, {
      credentials: () => {
        asked++
        return Promise.resolve({ ...testCredentials, sessionToken: `token-${asked}` })
      },
    })
    await client.send(ListThings, {})
    await client.send(ListThings, {})
    expect(asked).toBe(2)
    expect(fetch.calls.map((c) => c.headers.get('x-amz-security-token'))).toEqual(['token-1', 'token-2'])
    expect(fetch.calls[1]?.headers.get('authorization')).toContain('x-amz-security-token')
  })

  it('refuses an operation of another service before any request', async () => {
    const fetch = scriptedFetch([])
    const { client } = fakeClient(fetch)
    await expect(client.send(WhoAmI, {})).rejects.toThrow(/sts:WhoAmI cannot be sent by a iam client/)
    expect(fetch.calls).toHaveLength(0)
  })
})

describe('endpoint security', () => {
  const make = (endpoint: string, allowHttp?: boolean): QueryClient =>
    new QueryClient(fakeBinding, { credentials: testCredentials, endpoint, ...(allowHttp === undefined ? {} : { allowHttp }) })

  it.each(['http://127.0.0.1:5000', 'http://127.8.9.10/', 'http://localhost:8787', 'http://[::1]:4566', 'https://iam.example.test'])(
    'accepts %s',
    (endpoint) => {
      expect(make(endpoint).endpoint.url.startsWith(endpoint.replace(/\/$/, ''))).toBe(true)
    },
  )

  it.each(['http://iam.example.test', 'http://10.0.0.1:5000', 'http://127.0.0.1.evil.test', 'http://128.0.0.1'])('refuses plain HTTP to %s', (endpoint) => {
    expect(() => make(endpoint)).toThrow(/allowHttp/)
  })

  it('allows plain HTTP anywhere with allowHttp', () => {
    expect(make('http://iam.example.test', true).endpoint.url).toBe('http://iam.example.test/')
  })

  it('refuses a scheme that is not http(s)', () => {
    expect(() => make('ftp://iam.example.test')).toThrow(TypeError)
  })
})

describe('config validation', () => {
  const base = { credentials: testCredentials }
  it.each([
    [{ ...base, retries: -1 }, RangeError, /^retries:/],
    [{ ...base, retries: 1.5 }, RangeError, /^retries:/],
    [{ ...base, timeoutMs: 0 }, RangeError, /^timeoutMs:/],
    [{ ...base, method: 'PUT' }, TypeError, /^method:/],
    [{ ...base, endpoint: 'not a url' }, TypeError, /^endpoint:/],
    [{ ...base, endpoint: 'https://x.test/?a=1' }, TypeError, /^endpoint:.*query/],
    [{ ...base, region: '' }, TypeError, /^region:/],
    [{ ...base, region: 'Not A Region' }, RangeError, /^region:/],
    [{ ...base, fetch: 'yes' }, TypeError, /^fetch:/],
    [{ ...base, retry: 2 }, TypeError, /^retry: unknown option/],
    [{ credentials: { accessKeyId: 'AKID' } }, TypeError, /^credentials\.secretAccessKey:/],
    [{}, TypeError, /^credentials: required/],
  ])('rejects %j', (config, type, message) => {
    // deliberately wrong configs: the point is the runtime check
    const build = (): QueryClient => new QueryClient(fakeBinding, config as never)
    expect(build).toThrow(type)
    expect(build).toThrow(message)
  })
})

describe('responses', () => {
  it('returns the output with $metadata from the XML request id', async () => {
    const fetch = scriptedFetch([xml(200, okBody('ListThings', { Things: ['a', 'b'] }, 'rid-7'))])
    const { client } = fakeClient(fetch)
    const out = await client.send(ListThings, {})
    expect(out.Things).toEqual(['a', 'b'])
    expect(out.$metadata).toEqual({ requestId: 'rid-7', httpStatusCode: 200, attempts: 1 })
  })

  it('falls back to the x-amzn-requestid header', async () => {
    const body = '<ListThingsResponse><ListThingsResult>{"Things":[]}</ListThingsResult></ListThingsResponse>'
    const fetch = scriptedFetch([xml(200, body, { 'x-amzn-requestid': 'hdr-1' })])
    const { client } = fakeClient(fetch)
    expect((await client.send(ListThings, {})).$metadata.requestId).toBe('hdr-1')
  })

  it('turns an error envelope into the service error with code, type, request id and status', async () => {
    const fetch = scriptedFetch([xml(404, errorBody('NoSuchEntity', 'The user with name x cannot be found.', 'rid-404'))])
    const { client } = fakeClient(fetch)
    const error = await client.send(CreateThing, { Name: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FakeServiceError)
    expect(error).toMatchObject({ code: 'NoSuchEntity', type: 'Sender', requestId: 'rid-404', status: 404, action: 'CreateThing', service: 'iam' })
    expect(String(error)).toContain('The user with name x cannot be found.')
  })

  it('reports a non-XML error body with its status and a snippet', async () => {
    const page = `<html><body>${'Bad gateway '.repeat(40)}</body></html>`
    const fetch = scriptedFetch([new Response(page, { status: 502, headers: { 'content-type': 'text/html' } })])
    const { client } = fakeClient(fetch, { retries: 0 })
    const error = await client.send(ListThings, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpResponseError)
    expect((error as HttpResponseError).status).toBe(502)
    expect((error as HttpResponseError).snippet.length).toBeLessThanOrEqual(201)
    expect((error as HttpResponseError).snippet.startsWith('<html><body>Bad gateway')).toBe(true)
  })

  it('rejects a 2xx body it cannot parse instead of returning a partial object', async () => {
    const fetch = scriptedFetch([xml(200, '<ListThingsResponse><ListThingsRes')])
    const { client } = fakeClient(fetch)
    await expect(client.send(ListThings, {})).rejects.toBeInstanceOf(XmlParseError)
  })
})

describe('timeouts, aborts and network failures', () => {
  const hang = (_req: unknown, signal: AbortSignal | undefined): Promise<Response> =>
    new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))

  it('gives up after timeoutMs with a TimeoutError', async () => {
    const fetch = scriptedFetch([hang])
    const { client } = fakeClient(fetch, { timeoutMs: 20 })
    const error = await client.send(CreateThing, { Name: 'slow' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).timeoutMs).toBe(20)
    expect(fetch.calls).toHaveLength(1)
  })

  it('rethrows the caller abort reason and does not retry, even a read', async () => {
    const reason = new Error('user navigated away')
    const controller = new AbortController()
    const fetch = scriptedFetch([
      (req, signal) => {
        const pending = hang(req, signal)
        controller.abort(reason)
        return pending
      },
    ])
    const { client } = fakeClient(fetch)
    await expect(client.send(ListThings, {}, { signal: controller.signal })).rejects.toBe(reason)
    expect(fetch.calls).toHaveLength(1)
  })

  it('does not start when the signal is already aborted', async () => {
    const fetch = scriptedFetch([])
    const { client } = fakeClient(fetch)
    await expect(client.send(ListThings, {}, { signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrow('stop')
    expect(fetch.calls).toHaveLength(0)
  })

  it('wraps a fetch rejection in NetworkError keeping the cause', async () => {
    const cause = new TypeError('fetch failed')
    const fetch = scriptedFetch([cause])
    const { client } = fakeClient(fetch)
    const error = await client.send(CreateThing, { Name: 'n' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).cause).toBe(cause)
  })
})
