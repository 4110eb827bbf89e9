import { Hono } from 'hono'
import { cors } from './cors.js'
import type { Deps } from './deps.js'
import type { Env } from './env.js'
import { jsonError } from './envelope.js'
import { jsonFacade } from './json-facade.js'
import { logRequest } from './log.js'
import { queryApi } from './query-api.js'

/** The proxy: IAM's Query API at `/`, the JSON facade at `/iam/{Action}`, `/healthz`. */
export function createApp(deps: Partial<Deps> = {}): Hono<{ Bindings: Env }> {
  const resolved: Deps = {
    // an unbound global fetch throws "Illegal invocation" in workerd
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    now: deps.now ?? Date.now,
  }
  const app = new Hono<{ Bindings: Env }>()
  // unauthenticated and apart from the proxied paths; says nothing about configuration
  app.get('/healthz', (c) => c.json({ ok: true }))
  app.use('*', cors())
  app.on(['GET', 'POST'], '/', queryApi(resolved))
  app.get('/iam/:action', jsonFacade(resolved))
  app.notFound((c) => {
    logRequest({ route: 'other', status: 404, ms: 0 })
    return jsonError(404, 'NotFound', `no route for ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 100)}; use POST / or GET /iam/{Action}`, crypto.randomUUID())
  })
  return app
}
