import { HTTPException } from 'hono/http-exception'
import { type Operation, parseErrorBody, parseOutput, toBase64, walkPages } from '../src/index.js'
import { jsonError, Refusal, serviceFailure } from './answers.js'
import type { AppContext, Deps } from './types.js'
import { authenticate } from './auth.js'
import { loadConfig } from './config.js'
import { retryAfter } from './failures.js'
import { checkParams, readCall } from './params.js'
import { authorize } from './policy.js'
import { type CallContext, callContext, proxiedCall } from './proxied-call.js'
import { failureMessage, type UpstreamAnswer } from './upstream.js'

/** Pages `?all=1` follows at most; the answer says when it stopped early. */
export const MAX_PAGES = 50

type Page = { output: Record<string, unknown>; cache: string; tier: string; age: number }

/** `GET /iam/{Action}?Param=…`: the parsed output as JSON, for browsers; `?all=1` follows pages. */
export function jsonFacade(deps: Deps) {
  return async function jsonFacadeHandler(c: AppContext): Promise<Response> {
    const log = c.var.log
    const action = c.req.param('action') ?? ''
    log.action = action
    const config = loadConfig(c.env)
    const { caller } = await authenticate(c.req.raw, config, deps.fetch, deps.now(), (p) => c.executionCtx.waitUntil(p))
    log.caller = caller.name
    const call = readCall('GET', new URL(c.req.url), null, new Uint8Array(0), ['all'])
    if (call.action !== undefined || call.version !== undefined) throw new Refusal(400, 'MalformedQueryString', 'the action comes from the path: /iam/{Action}; leave Action and Version out')
    const op = authorize(caller, 'iam', action, config.accessAdvisor) as Operation
    const params = checkParams(op, call.pairs)
    const ctx = callContext(c, deps, config, caller)
    const all = new URL(c.req.url).searchParams.get('all')
    const result = (all === '1' || all === 'true') && op.paginator ? await allPages(ctx, op, params) : await onePage(ctx, op, params)
    return new Response(JSON.stringify(result.output, jsonValue), {
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-cache': result.cache, 'x-cache-tier': result.tier, age: String(result.age) },
    })
  }
}

/** One upstream page, parsed; an upstream error ends the request with its code (HTTPException carries the answer). */
async function onePage(ctx: CallContext, op: Operation, params: Array<[string, string]>): Promise<Page> {
  const result = await proxiedCall(ctx, 'iam', op.name, params)
  const { answer } = result
  const { requestId } = ctx.log
  const headers = { 'x-cache': result.status, 'x-cache-tier': result.tier, ...retryAfter(answer) }
  if (answer.failed) {
    const { failed } = answer
    ctx.log.code = failed.code
    // a spent budget is 429 with the wait, as HTTP clients expect
    const res = jsonError(failed.retryAfter === undefined ? answer.status : 429, failed.code, failureMessage(failed), requestId, headers)
    throw new HTTPException(res.status as 502, { res })
  }
  if (answer.status < 200 || answer.status >= 300) {
    const parsed = parseErrorBody(answer.body)
    if (!parsed) throw serviceFailure(answer.status, headers)
    ctx.log.code = parsed.code
    const res = jsonError(answer.status, parsed.code, parsed.message || `IAM answered HTTP ${answer.status}`, requestId, headers)
    throw new HTTPException(answer.status as 400, { res })
  }
  return { output: parsed(op, answer), cache: result.status, tier: result.tier, age: result.age }
}

// a cached answer is one object for as long as the memory tier holds it: parse its XML once
const outputs = new WeakMap<UpstreamAnswer, Record<string, unknown>>()

function parsed(op: Operation, answer: UpstreamAnswer): Record<string, unknown> {
  let output = outputs.get(answer)
  if (!output) {
    output = parseOutput(op, answer.body) as Record<string, unknown>
    outputs.set(answer, output)
  }
  return output
}

/** Every page (up to MAX_PAGES) merged into one output, through the library's page loop. */
async function allPages(ctx: CallContext, op: Operation, params: Array<[string, string]>): Promise<Page> {
  const p = op.paginator as NonNullable<Operation['paginator']>
  const keys = typeof p.resultKey === 'string' ? [p.resultKey] : [...p.resultKey]
  const given = params.find(([k]) => k === p.inputToken)?.[1]
  const rest = params.filter(([k]) => k !== p.inputToken)
  let merged: Record<string, unknown> | undefined
  let worst = 'HIT'
  let tier: string | undefined
  let age = 0
  let count = 0
  const pages = walkPages(op, given, (marker) =>
    onePage(ctx, op, marker === undefined ? rest : [...rest, [p.inputToken, marker] as [string, string]].sort(([a], [b]) => (a < b ? -1 : 1))),
    (page) => page.output,
  )
  for await (const { page, next } of pages) {
    tier ??= page.tier
    if (page.cache !== 'HIT') {
      worst = page.cache
      tier = page.tier
    }
    age = Math.max(age, page.age)
    if (!merged) merged = { ...page.output }
    else for (const key of keys) merged[key] = [...((merged[key] as unknown[]) ?? []), ...((page.output[key] as unknown[]) ?? [])]
    if (next === undefined) {
      delete merged[p.outputToken]
      if (p.moreResults) merged[p.moreResults] = false
      break
    }
    if (++count >= MAX_PAGES) {
      // stopped at the page cap: say so, with the marker to continue from
      merged[p.moreResults ?? 'IsTruncated'] = true
      merged[p.outputToken] = next
      break
    }
  }
  return { output: merged ?? {}, cache: worst, tier: tier ?? 'memory', age }
}

/** Dates as ISO 8601 (Date's own toJSON), bytes as base64. */
function jsonValue(this: unknown, _key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toBase64(value) : value
}
