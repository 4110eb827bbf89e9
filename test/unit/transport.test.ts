import { describe, expect, it } from 'vitest'
import { learnClockOffset, SKEW_THRESHOLD_MS } from '../../src/query/clock-skew.js'
import { buildWireRequest, encodeQuery, isLoopbackHost } from '../../src/query/transport.js'

describe('encodeQuery', () => {
  it('percent-encodes everything but RFC 3986 unreserved characters, spaces as %20', () => {
    const params = new URLSearchParams([['Policy Document', `{"a":"b c*!'()~._-"}`]])
    expect(encodeQuery(params)).toBe('Policy%20Document=%7B%22a%22%3A%22b%20c%2A%21%27%28%29~._-%22%7D')
  })

  it('encodes non-ASCII text as UTF-8', () => {
    expect(encodeQuery(new URLSearchParams([['Description', 'café ☕']]))).toBe('Description=caf%C3%A9%20%E2%98%95')
  })
})

describe('buildWireRequest', () => {
  it('puts the encoded parameters in the body of a POST', () => {
    const req = buildWireRequest('https://iam.amazonaws.com/', new URLSearchParams({ Action: 'ListUsers' }), 'POST')
    expect(req).toEqual({
      method: 'POST',
      url: 'https://iam.amazonaws.com/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=ListUsers',
    })
  })
})

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.255.255.254', '[::1]', '::1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
  })
  it.each(['example.com', '127.0.0.256', '127.0.0.1.nip.io', '10.0.0.1', '0.0.0.0', '[::2]', 'localhost.example.com'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false)
  })
})

describe('learnClockOffset', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0)
  it('returns server − local beyond the threshold', () => {
    expect(learnClockOffset(new Date(now - 10 * 60_000).toUTCString(), now, 0)).toBe(-10 * 60_000)
  })
  it('ignores gaps within the threshold, measured against the corrected clock', () => {
    expect(learnClockOffset(new Date(now + SKEW_THRESHOLD_MS).toUTCString(), now, 0)).toBeUndefined()
    expect(learnClockOffset(new Date(now + 60 * 60_000).toUTCString(), now, 59 * 60_000)).toBeUndefined()
  })
  it('ignores a missing or unreadable Date', () => {
    expect(learnClockOffset(null, now, 0)).toBeUndefined()
    expect(learnClockOffset('yesterday-ish', now, 0)).toBeUndefined()
  })
})
