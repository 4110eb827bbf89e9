// Drives the proxy app inside workerd with a fake upstream: a fault-injecting stand-in for IAM and
// STS that counts the calls that reach it.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { createApp } from '../../worker/app.js'
import type { Bindings as Env } from '../../worker/config.js'
import { signRequest } from '../../src/sigv4/sign.js'

export const CALLER = { id: 'APXYTESTCALLER000001', secret: 'caller-secret-0123456789abcdef' }
export const LIMITED = { id: 'APXYTESTLIMITED00001', secret: 'limited-secret-0123456789abcdef' }
export const TOKEN = 'browser-token-for-tests'
export const UPSTREAM_SECRET = 'upstream-secret-never-leaks-0123456789'

export type Fault = 'ok' | '500' | 'throttle' | 'timeout' | 'slowbody' | 'garbage' | 'reset' | 'nosuchentity'

export interface FakeUpstream {
  fetch: typeof fetch
  calls: Array<{ action: string; body: string; authorization: string | null; url: string }>
  count: (action?: string) => number
  fault: Fault
  /** resolves pending slow answers */
  delayMs: number
  /** when set, answers every call (after `fault`'s 'ok'): an answer the fault kinds do not cover */
  override?: ((req: Request) => Response) | undefined
}

export async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

let envCounter = 0

/** A fresh configuration (its own upstream identity, so its own cache entries). */
export async function makeEnv(overrides: Partial<Env> = {}): Promise<Env> {
  envCounter++
  return {
    IAM_ENDPOINT: 'https://iam.upstream.test',
    STS_ENDPOINT: 'https://sts.upstream.test',
    CACHE_TTL_SECONDS: '60',
    STALE_IF_ERROR_SECONDS: '300',
    CORS_ORIGINS: 'https://dash.example',
    AWS_ACCESS_KEY_ID: `AKIAUPSTREAM${String(envCounter).padStart(8, '0')}`,
    AWS_SECRET_ACCESS_KEY: UPSTREAM_SECRET,
    PROXY_KEYS: JSON.stringify({
      [CALLER.id]: { name: 'cli', secretAccessKey: CALLER.secret },
      [LIMITED.id]: { name: 'limited', secretAccessKey: LIMITED.secret, actions: ['ListUsers'] },
    }),
    PROXY_TOKENS: JSON.stringify({ browser: { sha256: await sha256Hex(TOKEN) } }),
    ...overrides,
  }
}

const listUsers = (marker?: string, n = 2, next?: string) =>
  `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${next ? `<Marker>${next}</Marker>` : ''}<Users>${Array.from({ length: n }, (_, i) => `<member><Path>/</Path><UserName>u${marker ?? ''}${i}</UserName><UserId>AID${i}</UserId><Arn>arn:aws:iam::123456789012:user/u${i}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`).join('')}</Users></ListUsersResult><ResponseMetadata><RequestId>req-${Math.random().toString(36).slice(2)}</RequestId></ResponseMetadata></ListUsersResponse>`

export function fakeUpstream(): FakeUpstream {
  const state: FakeUpstream = {
    calls: [],
    fault: 'ok',
    delayMs: 0,
    count: (action) => state.calls.filter((c) => action === undefined || c.action === action).length,
    fetch: async (input, init) => {
      const req = new Request(input, init)
      const body = await req.text()
      const action = new URLSearchParams(body).get('Action') ?? ''
      state.calls.push({ action, body, authorization: req.headers.get('authorization'), url: req.url })
      if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs))
      if (state.override && state.fault === 'ok') return state.override(req)
      switch (state.fault) {
        case 'timeout':
          return new Promise<Response>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)))
        case 'slowbody':
          // headers at once, then a body that never ends
          return new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('<GetRoleResponse>')) }))
        case 'reset':
          throw new TypeError('Network connection lost.')
        case '500':
          return new Response('<html>upstream down</html>', { status: 500 })
        case 'throttle':
          return new Response('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>', { status: 400 })
        case 'garbage':
          return new Response('<ListUsersResponse><ListUsersResult><Users><member>', { status: 200 })
        case 'nosuchentity':
          return new Response('<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message></Error><RequestId>n</RequestId></ErrorResponse>', { status: 404 })
        default:
          break
      }
      const params = new URLSearchParams(body)
      if (action === 'GetCallerIdentity') {
        return new Response('<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/worker</Arn><UserId>AIDWORKER</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>')
      }
      if (action === 'ListUsers') {
        const marker = params.get('Marker') ?? undefined
        const page = marker === undefined ? 0 : Number(marker.slice(1))
        return new Response(listUsers(marker, 2, page < 2 ? `m${page + 1}` : undefined))
      }
      if (action === 'GetRole') {
        return new Response(`<GetRoleResponse><GetRoleResult><Role><Path>/</Path><RoleName>${params.get('RoleName')}</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role></GetRoleResult></GetRoleResponse>`)
      }
      if (action === 'GetUser') {
        return new Response(`<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>${params.get('UserName')}</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/u</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User></GetUserResult></GetUserResponse>`)
      }
      return new Response(`<${action}Response><${action}Result/></${action}Response>`)
    },
  }
  return state
}

export interface Harness {
  env: Env
  upstream: FakeUpstream
  clock: { now: number }
  logs: string[]
  send: (req: Request) => Promise<Response>
}

export async function harness(overrides: Partial<Env> = {}): Promise<Harness> {
  const env = await makeEnv(overrides)
  const upstream = fakeUpstream()
  const clock = { now: Date.now() }
  const app = createApp({ fetch: upstream.fetch, now: () => clock.now })
  const logs: string[] = []
  return { env, upstream, clock, logs, send: (req) => dispatch(app, env, req, logs) }
}

/** One request through the app inside workerd, waiting for its background work; log lines (and errors) go to `logs`. */
export async function dispatch(app: ReturnType<typeof createApp>, env: Env, req: Request, logs: string[]): Promise<Response> {
  const ctx = createExecutionContext()
  const original = console.log
  const originalError = console.error
  console.log = (...args: unknown[]) => logs.push(args.map(String).join(' '))
  console.error = (...args: unknown[]) => logs.push(args.map(String).join(' '))
  try {
    const res = await app.fetch(req, env, ctx)
    await waitOnExecutionContext(ctx)
    return res
  } finally {
    console.log = original
    console.error = originalError
  }
}

export const PROXY = 'http://127.0.0.1:8787'

/** A Query-API POST signed as the AWS CLI signs it (content-type;host;x-amz-date). */
export async function signedPost(body: string, options: { key?: { id: string; secret: string }; service?: string; date?: Date; headers?: Record<string, string>; query?: string } = {}): Promise<Request> {
  const key = options.key ?? CALLER
  const signed = await signRequest(
    { method: 'POST', url: `${PROXY}/${options.query ? `?${options.query}` : ''}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...options.headers }, body },
    { credentials: { accessKeyId: key.id, secretAccessKey: key.secret }, region: 'us-east-1', service: options.service ?? 'iam', ...(options.date ? { date: options.date } : {}) },
  )
  return new Request(signed.url, { method: 'POST', headers: signed.headers, body })
}

export async function signedGet(query: string, options: { key?: { id: string; secret: string }; headers?: Record<string, string> } = {}): Promise<Request> {
  const key = options.key ?? CALLER
  const signed = await signRequest({ method: 'GET', url: `${PROXY}/?${query}`, headers: options.headers ?? {} }, { credentials: { accessKeyId: key.id, secretAccessKey: key.secret }, region: 'us-east-1', service: 'iam' })
  return new Request(signed.url, { headers: signed.headers })
}

/** The upstream identity of an env, as the Worker's configuration holds it (for cache keys). */
export function upstreamOf(env: Env): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: env.AWS_ACCESS_KEY_ID as string, secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string }
}

export function bearer(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`${PROXY}${path}`, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } })
}

export function codeOf(xml: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(xml)?.[1]
}
