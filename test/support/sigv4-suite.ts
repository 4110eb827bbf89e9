// Turns the raw files of one AWS SigV4 suite case into a request and the expected results.
// Runs in Node and in workerd: no Node APIs here.
import type { Credentials, SignableRequest } from '../../src/sigv4/index.js'

export interface RawHttp {
  method: string
  target: string
  /** header lines with folded continuations joined by '\n' */
  headers: Array<[string, string]>
  body: string
}

export interface SuiteCase {
  name: string
  request: SignableRequest
  credentials: Credentials
  region: string
  service: string
  date: Date
  normalizePath: boolean
  signBody: boolean
  omitSessionToken: boolean
  expiresIn: number
  expected: Record<'header' | 'query', { canonicalRequest: string; stringToSign: string; signature: string; signed: RawHttp }>
}

export function parseHttp(text: string): RawHttp {
  const blank = text.indexOf('\n\n')
  const head = blank === -1 ? text.replace(/\n$/, '') : text.slice(0, blank)
  const body = blank === -1 ? '' : text.slice(blank + 2)
  const [requestLine = '', ...lines] = head.split('\n')
  const firstSpace = requestLine.indexOf(' ')
  const method = requestLine.slice(0, firstSpace)
  const target = requestLine.slice(firstSpace + 1, requestLine.lastIndexOf(' HTTP/'))
  const headers: Array<[string, string]> = []
  for (const line of lines) {
    const last = headers[headers.length - 1]
    if (/^\s/.test(line) && last) last[1] += `\n${line}`
    else {
      const colon = line.indexOf(':')
      headers.push([line.slice(0, colon), line.slice(colon + 1)])
    }
  }
  return { method, target, headers, body }
}

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string }
  expiration_in_seconds: number
  normalize: boolean
  region: string
  service: string
  sign_body: boolean
  timestamp: string
  omit_session_token?: boolean
}

export function loadCase(name: string, files: Record<string, string>): SuiteCase {
  const file = (f: string): string => {
    const text = files[f]
    if (text === undefined) throw new Error(`suite case ${name} lacks ${f}`)
    return text
  }
  const ctx = JSON.parse(file('context.json')) as Context
  const raw = parseHttp(file('request.txt'))
  const host = raw.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? 'example.amazonaws.com'
  const credentials: Credentials = {
    accessKeyId: ctx.credentials.access_key_id,
    secretAccessKey: ctx.credentials.secret_access_key,
    ...(ctx.credentials.token ? { sessionToken: ctx.credentials.token } : {}),
  }
  const form = (prefix: 'header' | 'query') => ({
    canonicalRequest: file(`${prefix}-canonical-request.txt`),
    stringToSign: file(`${prefix}-string-to-sign.txt`),
    signature: file(`${prefix}-signature.txt`).trim(),
    signed: parseHttp(file(`${prefix}-signed-request.txt`)),
  })
  return {
    name,
    request: {
      method: raw.method,
      url: `https://${host}${raw.target}`,
      headers: raw.headers,
      body: raw.body === '' ? null : raw.body,
    },
    credentials,
    region: ctx.region,
    service: ctx.service,
    date: new Date(ctx.timestamp),
    normalizePath: ctx.normalize,
    signBody: ctx.sign_body,
    omitSessionToken: ctx.omit_session_token ?? false,
    expiresIn: ctx.expiration_in_seconds,
    expected: { header: form('header'), query: form('query') },
  }
}

/** Header lines of a raw request as signing sees them: lowercase names, unfolded values, duplicates joined. */
export function headerMap(headers: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of headers) {
    const key = name.toLowerCase()
    const clean = value.trim().replace(/\s+/g, ' ')
    out[key] = key in out ? `${out[key]},${clean}` : clean
  }
  return out
}

/** The path and query of a URL string as written. */
export function targetOf(url: string): string {
  return url.replace(/^https?:\/\/[^/?]+/, '')
}

/** A suite case's signing options, as signRequest takes them. */
export const suiteOptions = (c: SuiteCase) => ({
  credentials: c.credentials,
  region: c.region,
  service: c.service,
  date: c.date,
  normalizePath: c.normalizePath,
  signBody: c.signBody,
  omitSessionToken: c.omitSessionToken,
  expiresIn: c.expiresIn,
})
