import { errorCodeIn } from '../src/index.js'
import { Refusal, serviceFailure, withRequestId, xmlError } from './answers.js'
import type { AppContext, Deps } from './types.js'
import { authenticate } from './auth.js'
import { loadConfig } from './config.js'
import { retryAfter } from './failures.js'
import { answerSts } from './identity.js'
import { checkParams, readCall } from './params.js'
import { authorize, STS_ACTIONS } from './policy.js'
import { callContext, proxiedCall } from './proxied-call.js'
import { failureMessage, SERVICES } from './upstream.js'

/** IAM's own Query API at `/` (POST form or GET query): IAM's XML back, IAM's envelope for refusals. */
export function queryApi(deps: Deps) {
  return async function queryApiHandler(c: AppContext): Promise<Response> {
    const log = c.var.log
    const config = loadConfig(c.env)
    const { caller, body } = await authenticate(c.req.raw, config, deps.fetch, deps.now(), (p) => c.executionCtx.waitUntil(p))
    log.caller = caller.name
    const call = readCall(c.req.method, new URL(c.req.url), c.req.header('content-type') ?? null, body)
    log.action = call.action
    const service = caller.service === 'sts' || (call.action !== undefined && STS_ACTIONS.has(call.action) && caller.accessKeyId === undefined) ? 'sts' : 'iam'
    c.set('service', service)
    const op = authorize(caller, service, call.action, config.accessAdvisor)
    const version = SERVICES[service].version
    if (call.version !== undefined && call.version !== version) {
      throw new Refusal(400, 'NoSuchVersion', `Version ${JSON.stringify(call.version.slice(0, 20))} is not ${version}`)
    }
    const ctx = callContext(c, deps, config, caller)
    if (!op) {
      const sts = await answerSts(ctx, caller, call.action as string, call.pairs, log.requestId)
      log.cache = sts.cache
      return new Response(sts.body, { headers: { 'content-type': 'text/xml' } })
    }
    const result = await proxiedCall(ctx, 'iam', op.name, checkParams(op, call.pairs))
    const { answer } = result
    const headers = { 'x-cache': result.status, 'x-cache-tier': result.tier, age: String(result.age), ...retryAfter(answer) }
    if (answer.failed) {
      log.code = answer.failed.code
      return xmlError('iam', answer.status, answer.failed.code, failureMessage(answer.failed), log.requestId, headers)
    }
    if (answer.status >= 300 && errorCodeIn(answer.body) === undefined) {
      // not IAM's error envelope (an HTML error page, an empty body): AWS SDKs and the CLI could
      // not read it, and its text is upstream's, not ours to pass on. Found by its <Code>, not
      // parsed: a cached NoSuchEntity is answered this way on every hit
      throw serviceFailure(answer.status, headers)
    }
    return new Response(withRequestId(answer.body, log.requestId), { status: answer.status, headers: { 'content-type': 'text/xml', ...headers } })
  }
}

