import type { MiddlewareHandler } from 'hono'
import { loadConfig } from './config.js'
import type { Env } from './env.js'

const ALLOW_HEADERS = 'authorization, content-type, cache-control, x-amz-date, x-amz-security-token, x-amz-content-sha256, x-amz-user-agent'
const EXPOSE_HEADERS = 'x-cache, age, x-amzn-requestid'

/**
 * CORS for the origins in CORS_ORIGINS only: a preflight from any other origin gets 403 and no
 * CORS headers, so browsers keep pages elsewhere from reading answers.
 */
export function cors(): MiddlewareHandler<{ Bindings: Env }> {
  return async function corsMiddleware(c, next) {
    const origin = c.req.header('origin')
    if (origin === undefined) return next()
    let allowed = false
    try {
      allowed = loadConfig(c.env).corsOrigins.has(origin)
    } catch {
      // a broken configuration is reported by the handler; CORS stays closed
    }
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.body(null, 403, { vary: 'Origin' })
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': ALLOW_HEADERS,
        'access-control-max-age': '600',
        vary: 'Origin',
      })
    }
    await next()
    c.res.headers.append('vary', 'Origin')
    if (allowed) {
      c.res.headers.set('access-control-allow-origin', origin)
      c.res.headers.set('access-control-expose-headers', EXPOSE_HEADERS)
    }
  }
}
