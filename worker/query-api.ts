import type { Context } from 'hono'
import { authenticate } from './auth.js'
import { loadConfig } from './config.js'
import type { Env } from './env.js'
import { xmlError } from './envelope.js'
import { answerSts } from './identity.js'
import { logRequest, type RequestLog } from './log.js'
import { checkParams, readCall } from './params.js'
import { authorize, STS_ACTIONS } from './policy.js'
import type { CallContext } from './proxied-call.js'
import { proxiedCall } from './proxied-call.js'
import { Refusal } from './refusal.js'
import type { Deps } from './deps.js'

const VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const

/** IAM's own Query API at `/` (POST form or GET query): IAM's XML back, IAM's envelope for refusals. */
export function queryApi(deps: Deps) {
  return async function queryApiHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
    const started = deps.now()
    const requestId = crypto.randomUUID()
    const log: RequestLog = { route: 'query', status: 0, ms: 0 }
    let service: 'iam' | 'sts' = 'iam'
    let response: Response
    try {
      const config = loadConfig(c.env)
      const { caller, body } = await authenticate(c.req.raw, config)
      log.caller = caller.name
      const call = readCall(c.req.method, new URL(c.req.url), c.req.header('content-type') ?? null, body)
      log.action = call.action
      service = caller.service === 'sts' || (call.action !== undefined && STS_ACTIONS.has(call.action) && caller.accessKeyId === undefined) ? 'sts' : 'iam'
      const op = authorize(caller, service, call.action)
      if (call.version !== undefined && call.version !== VERSIONS[service]) {
        throw new Refusal(400, 'NoSuchVersion', `Version ${JSON.stringify(call.version.slice(0, 20))} is not ${VERSIONS[service]}`)
      }
      const ctx: CallContext = { config, fetch: deps.fetch, now: deps.now, waitUntil: (p) => c.executionCtx.waitUntil(p), bypass: /no-cache/i.test(c.req.header('cache-control') ?? '') }
      if (!op) {
        const sts = await answerSts(ctx, caller, call.action as string, call.pairs, requestId)
        log.cache = sts.cache
        response = new Response(sts.body, { headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId } })
      } else {
        const result = await proxiedCall(ctx, 'iam', op.name, checkParams(op, call.pairs))
        log.cache = result.status
        log.upstream = result.answer.status
        const headers = { 'x-cache': result.status, age: String(result.age) }
        if (result.answer.failed) {
          const timeout = result.answer.failed === 'timeout'
          response = xmlError('iam', timeout ? 504 : 502, timeout ? 'RequestTimeout' : 'ServiceUnavailable', timeout ? 'IAM did not answer in time' : 'IAM could not be reached', requestId, headers)
        } else {
          response = new Response(result.answer.body, {
            status: result.answer.status,
            headers: { 'content-type': 'text/xml', 'x-amzn-requestid': result.answer.requestId ?? requestId, ...headers },
          })
        }
      }
    } catch (error) {
      response = refusalResponse(error, service, requestId, log)
    }
    log.status = response.status
    log.ms = deps.now() - started
    logRequest(log)
    return response
  }
}

export function refusalResponse(error: unknown, service: string, requestId: string, log: RequestLog): Response {
  if (error instanceof Refusal) {
    log.code = error.code
    return xmlError(service, error.status, error.code, error.message, requestId)
  }
  if (error instanceof Error && error.name === 'ConfigError') {
    log.code = 'ConfigError'
    return xmlError(service, 500, 'ServiceMisconfigured', `the proxy is misconfigured: ${error.message}`, requestId)
  }
  log.code = 'InternalFailure'
  console.error(JSON.stringify({ requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' }))
  return xmlError(service, 500, 'InternalFailure', 'the proxy failed; see its logs', requestId)
}
