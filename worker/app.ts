import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { jsonError, Refusal, xmlError } from './answers.js'
import { EdgeCache } from './cache.js'
import { type Bindings, ConfigError, loadConfig } from './config.js'
import { jsonFacade } from './json-facade.js'
import { MAX_BODY_BYTES } from './params.js'
import { queryApi } from './query-api.js'
import type { AppContext, AppEnv, Deps, RequestLog } from './types.js'

/** What the Worker takes from its surroundings; tests swap `fetch` for a fault-injecting upstream. */


const ALLOW_HEADERS = ['authorization', 'content-type', 'cache-control', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-user-agent', 'x-amz-region-set']
const EXPOSE_HEADERS = ['x-cache', 'x-cache-tier', 'age', 'x-amzn-requestid', 'retry-after']

/** The proxy: IAM's Query API at `/`, the JSON facade at `/iam/{Action}`, `/healthz`. */
export function createApp(partial: Partial<Deps> = {}): Hono<AppEnv> {
  const deps: Deps = {
    // an unbound global fetch throws "Illegal invocation" in workerd
    fetch: partial.fetch ?? ((input, init) => fetch(input, init)),
    now: partial.now ?? Date.now,
    edge: partial.edge ?? new EdgeCache(),
  }
  const app = new Hono<AppEnv>()
  // unauthenticated and apart from the proxied paths; says nothing about configuration
  app.get('/healthz', (c) => c.json({ ok: true }, 200, { date: httpDate(deps) }))
  // ids are always the proxy's own: a caller-chosen id would let it forge lines in the logs
  app.use('*', requestId({ headerName: '' }))
  app.use('*', requestLog(deps))
  app.use('*', allowedOriginsOnly())
  app.use('*', cors({ origin: allowedOrigin, allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ALLOW_HEADERS, exposeHeaders: EXPOSE_HEADERS, maxAge: 600 }))
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new Refusal(413, 'RequestEntityTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`)
      },
    }),
  )
  app.on(['GET', 'POST'], '/', queryApi(deps))
  app.get('/iam/:action', jsonFacade(deps))
  // a known path with another method: 405 with the methods it takes (Allow), not "no route"
  app.all('/', (c) => errorAnswer(notAllowed(c.req.method, 'GET, POST', 'POST / or GET /?Action=…'), c))
  app.all('/iam/:action', (c) => errorAnswer(notAllowed(c.req.method, 'GET', 'GET /iam/{Action}'), c))
  app.notFound((c) => errorAnswer(new Refusal(404, 'NotFound', `no route for ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 100)}; use POST / or GET /iam/{Action}`), c))
  app.onError((error, c) => errorAnswer(error, c))
  return app
}

/** The Date header's value (RFC 9110's IMF-fixdate). */
function httpDate(deps: Deps): string {
  return new Date(deps.now()).toUTCString()
}

function notAllowed(method: string, allow: string, use: string): Refusal {
  return new Refusal(405, 'MethodNotAllowed', `${method.slice(0, 10)} is not allowed here; use ${use}`, { allow: `${allow}, OPTIONS` })
}

function requestLog(deps: Deps): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const started = deps.now()
    const path = new URL(c.req.url).pathname
    const log: RequestLog = { requestId: c.var.requestId, route: path === '/' ? 'query' : path.startsWith('/iam/') ? 'json' : 'other', status: 0, ms: 0 }
    c.set('log', log)
    c.set('service', 'iam')
    await next()
    // one id in the header of every answer, in the log line, and in every body
    c.res.headers.set('x-amzn-requestid', log.requestId)
    // a Date on every answer, the proxy's refusals included: SDK v3 corrects a skewed clock from
    // it after RequestTimeTooSkewed, and `wrangler dev` adds none
    c.res.headers.set('date', httpDate(deps))
    log.status = c.res.status
    log.ms = deps.now() - started
    console.log(JSON.stringify(log))
  }
}

function allowedOrigin(origin: string, c: AppContext): string | null {
  try {
    return loadConfig(c.env).corsOrigins.has(origin) ? origin : null
  } catch {
    // a broken configuration is reported by the handler; CORS stays closed
    return null
  }
}

/** A preflight from an origin outside CORS_ORIGINS gets 403 and no CORS headers (hono's cors would answer 204). */
function allowedOriginsOnly(): MiddlewareHandler<AppEnv> {
  return async function preflightGuard(c, next) {
    const origin = c.req.header('origin')
    if (c.req.method === 'OPTIONS' && origin !== undefined && allowedOrigin(origin, c) === null) return c.body(null, 403, { vary: 'Origin' })
    return next()
  }
}

/**
 * Every error ends here as an answer in the route's envelope: a Refusal as its status and code,
 * a configuration problem as 500 naming the setting, anything else as 500 with the cause logged.
 */
function errorAnswer(error: Error, c: AppContext): Response {
  if (error instanceof HTTPException) return error.getResponse()
  const log = c.var.log
  let status = 500
  let code = 'InternalFailure'
  let message = "the proxy failed; its operator finds the cause in the proxy's logs under this request id"
  let headers: Record<string, string> = {}
  if (error instanceof Refusal) {
    ;({ status, code, message, headers } = error)
    if (error.detail !== undefined) log.cause = [log.cause, error.detail].filter(Boolean).join('; ')
  } else if (error instanceof ConfigError) {
    // before authentication: the caller learns which setting, never its value (an account id, key
    // ids, token names); the operator reads the problem in the log line
    code = 'ServiceMisconfigured'
    message = `the proxy is misconfigured: ${error.setting}; its operator finds the problem in the proxy's logs under this request id`
    log.cause = `ConfigError: ${error.message}`
  } else if (error.name === 'XmlParseError') {
    status = 502
    code = 'UpstreamUnreadable'
    message = 'IAM answered with XML this proxy cannot read'
    log.cause = `${error.name}: ${error.message}`
  } else if (error.name === 'PaginationError') {
    status = 502
    code = 'UpstreamPaginationLoop'
    message = error.message
  } else {
    log.cause = `${error.name}: ${error.message}`
  }
  log.code = code
  return log.route === 'json' ? jsonError(status, code, message, log.requestId, headers) : xmlError(c.var.service, status, code, message, log.requestId, headers)
}
