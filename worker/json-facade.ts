import type { Context } from 'hono'
import { parseErrorBody, parseOutput } from '../src/query/parse.js'
import type { Operation } from '../src/query/shapes.js'
import { authenticate } from './auth.js'
import { loadConfig } from './config.js'
import type { Deps } from './deps.js'
import type { Env } from './env.js'
import { jsonError } from './envelope.js'
import { logRequest, type RequestLog } from './log.js'
import { checkParams, readCall } from './params.js'
import { authorize } from './policy.js'
import type { CallContext } from './proxied-call.js'
import { proxiedCall } from './proxied-call.js'
import { Refusal } from './refusal.js'

/** Pages `?all=1` follows at most; the answer says when it stopped early. */
export const MAX_PAGES = 50

/** `GET /iam/{Action}?Param=…`: the parsed output as JSON, for browsers; `?all=1` follows pages. */
export function jsonFacade(deps: Deps) {
  return async function jsonFacadeHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
    const started = deps.now()
    const requestId = crypto.randomUUID()
    const action = c.req.param('action') ?? ''
    const log: RequestLog = { route: 'json', action, status: 0, ms: 0 }
    let response: Response
    try {
      const config = loadConfig(c.env)
      const { caller } = await authenticate(c.req.raw, config)
      log.caller = caller.name
      const call = readCall('GET', new URL(c.req.url), null, new Uint8Array(0), ['all'])
      if (call.action !== undefined || call.version !== undefined) throw new Refusal(400, 'MalformedQueryString', 'the action comes from the path: /iam/{Action}; leave Action and Version out')
      const op = authorize(caller, 'iam', action) as Operation
      const params = checkParams(op, call.pairs)
      const ctx: CallContext = { config, fetch: deps.fetch, now: deps.now, waitUntil: (p) => c.executionCtx.waitUntil(p), bypass: /no-cache/i.test(c.req.header('cache-control') ?? '') }
      const all = new URL(c.req.url).searchParams.get('all')
      const result = all === '1' || all === 'true' ? await allPages(ctx, op, params, log) : await onePage(ctx, op, params, log)
      response = 'error' in result ? result.error : new Response(JSON.stringify(result.output, jsonValue), { headers: { 'content-type': 'application/json; charset=utf-8', 'x-cache': result.cache, age: String(result.age), 'x-amzn-requestid': requestId } })
    } catch (error) {
      response = failure(error, requestId, log)
    }
    log.status = response.status
    log.ms = deps.now() - started
    logRequest(log)
    return response
  }
}

type PageResult = { output: Record<string, unknown>; cache: string; age: number } | { error: Response }

async function onePage(ctx: CallContext, op: Operation, params: Array<[string, string]>, log: RequestLog): Promise<PageResult> {
  const result = await proxiedCall(ctx, 'iam', op.name, params)
  log.cache = result.status
  log.upstream = result.answer.status
  const { answer } = result
  if (answer.failed) {
    const timeout = answer.failed === 'timeout'
    return { error: jsonError(timeout ? 504 : 502, timeout ? 'RequestTimeout' : 'ServiceUnavailable', timeout ? 'IAM did not answer in time' : 'IAM could not be reached', answer.requestId ?? '') }
  }
  if (answer.status < 200 || answer.status >= 300) {
    const parsed = parseErrorBody(answer.status, answer.body)
    return { error: jsonError(answer.status, parsed?.code ?? 'UpstreamError', parsed?.message ?? `IAM answered HTTP ${answer.status}`, parsed?.requestId ?? answer.requestId ?? '', { 'x-cache': result.status }) }
  }
  return { output: parseOutput(op, answer.body) as Record<string, unknown>, cache: result.status, age: result.age }
}

async function allPages(ctx: CallContext, op: Operation, params: Array<[string, string]>, log: RequestLog): Promise<PageResult> {
  const p = op.paginator
  if (!p) return onePage(ctx, op, params, log)
  const keys = typeof p.resultKey === 'string' ? [p.resultKey] : [...p.resultKey]
  let merged: Record<string, unknown> | undefined
  let marker: string | undefined
  let worst = 'HIT'
  let age = 0
  for (let page = 1; page <= MAX_PAGES; page++) {
    const pageParams = params.filter(([k]) => k !== p.inputToken)
    if (marker !== undefined) pageParams.push([p.inputToken, marker])
    const result = await onePage(ctx, op, pageParams.sort(([a], [b]) => (a < b ? -1 : 1)), log)
    if ('error' in result) return result
    if (result.cache !== 'HIT') worst = result.cache
    age = Math.max(age, result.age)
    const out = result.output
    if (!merged) merged = { ...out }
    else for (const key of keys) merged[key] = [...((merged[key] as unknown[]) ?? []), ...((out[key] as unknown[]) ?? [])]
    const more = p.moreResults ? out[p.moreResults] === true : out[p.outputToken] !== undefined
    marker = typeof out[p.outputToken] === 'string' ? (out[p.outputToken] as string) : undefined
    if (!more || marker === undefined) {
      delete merged[p.outputToken]
      if (p.moreResults) merged[p.moreResults] = false
      return { output: merged, cache: worst, age }
    }
  }
  // stopped at the page cap: say so, with the marker to continue from
  return { output: { ...merged, [p.moreResults ?? 'IsTruncated']: true, [p.outputToken]: marker }, cache: worst, age }
}

function failure(error: unknown, requestId: string, log: RequestLog): Response {
  if (error instanceof Refusal) {
    log.code = error.code
    return jsonError(error.status, error.code, error.message, requestId)
  }
  if (error instanceof Error && error.name === 'ConfigError') {
    log.code = 'ConfigError'
    return jsonError(500, 'ServiceMisconfigured', `the proxy is misconfigured: ${error.message}`, requestId)
  }
  log.code = error instanceof Error && error.name === 'XmlParseError' ? 'UpstreamUnreadable' : 'InternalFailure'
  console.error(JSON.stringify({ requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' }))
  return jsonError(502, log.code, log.code === 'UpstreamUnreadable' ? 'IAM answered with XML this proxy cannot read' : 'the proxy failed; see its logs', requestId)
}

/** Dates as ISO 8601 (Date's own toJSON), bytes as base64. */
function jsonValue(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let binary = ''
    for (const b of value) binary += String.fromCharCode(b)
    return btoa(binary)
  }
  return value
}
