// The Worker for `npm run bench:scale` and `npm run soak`: N simulated locations in one workerd,
// each with its own isolate state (memory tier, coalescing) and its own Cache API, in front of the
// real gate object. A request with `x-location: i` is answered by location i (a header, so SigV4
// signatures over the path still verify); `POST /__advance?s=N` moves the clock of every location
// and of the gate N seconds ahead (a stampede: every entry expires). `x-gate: off` answers a
// request without the gate (each location calls IAM on its own).
import type { ExecutionContext } from 'hono'
import { createApp } from '../../worker/app.js'
import { EdgeCache } from '../../worker/cache.js'
import type { Bindings } from '../../worker/config.js'
import { gateEnvironment } from '../../worker/gate.js'

export { UpstreamGate } from '../../worker/gate.js'

let offsetMs = 0
const now = () => Date.now() + offsetMs
gateEnvironment.now = now

const locations = new Map<number, ReturnType<typeof createApp>>()
const withoutGate = new WeakMap<object, Bindings>()

function location(i: number): ReturnType<typeof createApp> {
  let app = locations.get(i)
  if (!app) {
    // opened per request: a Cache object belongs to the request that opened it, and workerd cancels
    // work that continues from one request's I/O in another
    app = createApp({ now, edge: new EdgeCache(() => caches.open(`location-${i}`)) })
    locations.set(i, app)
  }
  return app
}

export default {
  async fetch(req: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url)
    if (url.pathname === '/__advance') {
      offsetMs += Number(url.searchParams.get('s') ?? 0) * 1000
      return new Response(String(offsetMs))
    }
    let bindings = env
    if (req.headers.get('x-gate') === 'off') {
      bindings = withoutGate.get(env) ?? { ...env, GATE: undefined }
      withoutGate.set(env, bindings)
    }
    return location(Number(req.headers.get('x-location') ?? 0)).fetch(req, bindings, ctx)
  },
}
