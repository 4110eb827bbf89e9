#!/usr/bin/env node
// npm run soak — does the Worker hold its memory steady? Plain workerd (Miniflare, no wrangler dev:
// its own growth hid the answer once), the Worker bundled as for `wrangler deploy` with the gate
// bound, a stub IAM. Two phases at SOAK_RATE requests/s (default 200), SOAK_SECONDS each (default
// 300): /healthz alone (no application state), then the proxy mix through 4 simulated locations —
// hits, Cache-Control: no-cache misses, ?all=1 paging, SigV4 Query calls, NoSuchEntity answers,
// and a stream of new keys (the memory tier, the Cache API and the gate's storage fill to their
// bounds). workerd's RSS is read every 5 s and, through the V8 inspector, the Worker isolate's
// JavaScript heap after a full collection every 30 s. Each phase prints both slopes (MB/min, least
// squares, after its first third). Fails on a non-2xx/404 answer or when the mix's live heap grows
// more than 2 MB/min faster than /healthz's (the Worker's own growth; workerd's RSS grows on
// /healthz alone too, and is reported beside it).
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { signRequest } from '../dist/sigv4/index.js'
import { startLocations } from './bench/locations.mjs'

// Node 20 has WebSocket (for the inspector) only behind a flag
if (typeof WebSocket === 'undefined') {
  const child = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], { stdio: 'inherit' })
  process.exit(child.status ?? 1)
}
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
const seconds = Number(process.env.SOAK_SECONDS ?? 300)
const rate = Number(process.env.SOAK_RATE ?? 200)

const TOKEN = 'soak-token'
const key = { accessKeyId: 'AKIASOAKCALLER000001', secretAccessKey: 'soak-caller-secret-0123456789' }
const users = (marker) => {
  const page = marker ? Number(marker.slice(1)) : 0
  const more = page < 2
  const members = Array.from({ length: 20 }, (_, i) => `<member><Path>/</Path><UserName>u${page}-${i}</UserName><UserId>AIDA${page}${i}</UserId><Arn>arn:aws:iam::123456789012:user/u${i}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`).join('')
  return `<ListUsersResponse><ListUsersResult><IsTruncated>${more}</IsTruncated>${more ? `<Marker>m${page + 1}</Marker>` : ''}<Users>${members}</Users></ListUsersResult></ListUsersResponse>`
}
const causes = new Map()
const errors = []
const mf = await startLocations({
  bindings: {
    CACHE_TTL_SECONDS: '30',
    AWS_ACCESS_KEY_ID: 'AKIASOAKUPSTREAM0001',
    AWS_SECRET_ACCESS_KEY: 'soak-upstream-secret-0123456789',
    PROXY_KEYS: JSON.stringify({ [key.accessKeyId]: { name: 'soak-sigv4', secretAccessKey: key.secretAccessKey } }),
    PROXY_TOKENS: JSON.stringify({ soak: { sha256: createHash('sha256').update(TOKEN).digest('hex') } }),
    // the stub answers anything: the budget is not what this measures
    UPSTREAM_RATE_PER_SECOND: '100000',
    UPSTREAM_BURST: '100000',
  },
  outboundService: async (req) => {
    const params = new URLSearchParams(await req.text())
    const action = params.get('Action')
    if (action === 'ListUsers') return new Response(users(params.get('Marker')))
    const name = params.get('RoleName') ?? ''
    if (name.startsWith('missing')) return new Response('<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no such role</Message></Error><RequestId>n</RequestId></ErrorResponse>', { status: 404 })
    return new Response(`<GetRoleResponse><GetRoleResult><Role><Path>/</Path><RoleName>${name}</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${'%7B%7D'.repeat(200)}</AssumeRolePolicyDocument></Role></GetRoleResult></GetRoleResponse>`)
  },
  // the Worker's log lines: the causes of any 5xx are printed at the end
  handleRuntimeStdio: (stdout, stderr) => {
    let rest = ''
    stdout.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) {
        if (!/"status":5\d\d/.test(line)) continue
        const cause = /"cause":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 200)
        causes.set(cause, (causes.get(cause) ?? 0) + 1)
      }
    })
    stderr.on('data', (chunk) => errors.push(String(chunk).slice(0, 300)))
  },
  // the V8 inspector: the isolate's JavaScript heap, apart from workerd's own memory
  inspectorPort: 0,
})
const origin = (await mf.ready).origin
const inspector = (await mf.getInspectorURL()).href.replace('ws:', 'http:')

/**
 * Bytes the Worker isolate's JavaScript heap holds after a full collection: a heap snapshot
 * collects first (the inspector stays attached only for the reading; the snapshot is discarded).
 */
// one inspector session at a time: two at once both stall
let heapQueue = Promise.resolve()
function liveHeap() {
  const reading = heapQueue.then(timedLiveHeap)
  heapQueue = reading.catch(() => undefined)
  return reading
}

async function timedLiveHeap() {
  let timer
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(Number.NaN), 20_000)
  })
  try {
    return await Promise.race([readLiveHeap(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function readLiveHeap() {
  const targets = await (await fetch(new URL('/json', inspector))).json()
  const target = targets.find((t) => t.id.startsWith('core:user'))
  if (!target) return Number.NaN
  const ws = new WebSocket(target.webSocketDebuggerUrl)
  try {
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve)
      ws.addEventListener('error', reject)
    })
    let id = 0
    const call = (method, params = {}) =>
      new Promise((resolve) => {
        const mine = ++id
        const onMessage = (e) => {
          const message = JSON.parse(String(e.data))
          if (message.id !== mine) return
          ws.removeEventListener('message', onMessage)
          resolve(message.result)
        }
        ws.addEventListener('message', onMessage)
        ws.send(JSON.stringify({ id: mine, method, params }))
      })
    await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    return (await call('Runtime.getHeapUsage')).usedSize
  } finally {
    ws.close()
  }
}

function workerdRss() {
  let kb = 0
  const pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      if (/^Name:\s+workerd/m.test(status)) kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    } catch {
      // gone
    }
  }
  return Math.round(kb / 1024)
}

/** MB per minute, least squares over [seconds, MB] samples */
function slope(samples) {
  const n = samples.length
  if (n < 2) return 0
  const mx = samples.reduce((a, [x]) => a + x, 0) / n
  const my = samples.reduce((a, [, y]) => a + y, 0) / n
  const num = samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0)
  const den = samples.reduce((a, [x]) => a + (x - mx) ** 2, 0)
  return den === 0 ? 0 : (num / den) * 60
}

let fresh = 0
const auth = { authorization: `Bearer ${TOKEN}` }
const at = (i, headers = {}) => ({ headers: { ...auth, 'x-location': String(i % 4), ...headers } })
const mix = [
  () => [`${origin}/iam/ListUsers`, at(0)],
  () => [`${origin}/iam/ListUsers?all=1`, at(1)],
  () => [`${origin}/iam/GetRole?RoleName=hot${fresh % 50}`, at(fresh)],
  () => [`${origin}/iam/GetRole?RoleName=new${fresh++}`, at(2)],
  () => [`${origin}/iam/GetRole?RoleName=hot1`, at(3, { 'cache-control': 'no-cache' })],
  () => [`${origin}/iam/GetRole?RoleName=missing${fresh % 20}`, at(fresh)],
  async () => {
    const body = `Action=GetRole&Version=2010-05-08&RoleName=hot${fresh % 50}`
    const signed = await signRequest({ method: 'POST', url: `${origin}/`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }, { credentials: key, region: 'us-east-1', service: 'iam' })
    const headers = new Headers(signed.headers)
    headers.set('x-location', String(fresh % 4))
    return [`${origin}/`, { method: 'POST', headers, body }]
  },
]

async function phase(name, next) {
  const samples = []
  const heap = []
  const started = performance.now()
  let ticks = 0
  const sample = () => {
    const t = (performance.now() - started) / 1000
    samples.push([t, workerdRss()])
    if (ticks++ % 6 === 0) liveHeap().then((bytes) => heap.push([t, bytes / 1024 / 1024]), () => undefined)
  }
  sample()
  const timer = setInterval(sample, 5000)
  let sent = 0
  let bad = 0
  const failures = new Map()
  const inFlight = new Set()
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate)
    while (sent < due) {
      sent++
      const mine = sent
      const p = (async () => {
        let timer
        const res = await Promise.race([
          mf.dispatchFetch(...(await next(mine))),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('no answer in 30 s')), 30_000)
          }),
        ]).finally(() => clearTimeout(timer))
        const text = await res.text()
        if (!res.ok && res.status !== 404) {
          bad++
          const why = `${res.status} ${res.headers.get('x-cache-tier') ?? ''} ${text.slice(0, 80)}`
          failures.set(why, (failures.get(why) ?? 0) + 1)
        }
      })().catch((error) => {
        bad++
        failures.set(error.message, (failures.get(error.message) ?? 0) + 1)
      })
      inFlight.add(p)
      p.finally(() => inFlight.delete(p))
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  await Promise.all(inFlight)
  clearInterval(timer)
  sample()
  heap.push([(performance.now() - started) / 1000, (await liveHeap()) / 1024 / 1024])
  const settled = samples.filter(([t]) => t >= seconds / 3)
  const live = heap.filter(([t, mb]) => t >= seconds / 3 && Number.isFinite(mb))
  const result = { name, sent, bad, first: samples[0][1], last: samples.at(-1)[1], slope: slope(settled), heapSlope: live.length >= 2 ? slope(live) : Number.NaN, heap: heap.map(([, mb]) => mb.toFixed(1)) }
  console.log(`${name}: ${sent} requests, ${bad} failed${bad ? ` (${[...failures].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`)
  console.log(`  workerd RSS ${result.first} → ${result.last} MB, slope after the first third ${result.slope.toFixed(1)} MB/min`)
  console.log(`  Worker JS heap after collection (MB, every 30 s): ${result.heap.join(' ')}; slope after the first third ${result.heapSlope.toFixed(2)} MB/min`)
  return result
}

let failed = false
try {
  console.log(`soak: ${seconds} s per phase at ${rate} req/s, plain workerd (Miniflare), gate bound`)
  const baseline = process.env.SOAK_BASELINE === '0' ? { bad: 0, slope: 0, heapSlope: 0 } : await phase('/healthz alone', () => [`${origin}/healthz`])
  const proxy = await phase('proxy mix     ', (i) => mix[i % mix.length]())
  const growth = proxy.heapSlope - baseline.heapSlope
  console.log(`RSS: the mix grows ${(proxy.slope - baseline.slope).toFixed(1)} MB/min faster than /healthz alone; JS heap after collection: ${growth.toFixed(2)} MB/min faster (${fresh} distinct new keys)`)
  for (const [cause, n] of causes) console.log(`5xx cause (${n}×): ${cause}`)
  if (errors.length > 0) console.log(`workerd stderr: ${errors.slice(0, 5).join(' | ')}`)
  // a heap that could not be read twice in a phase is no answer: say so by failing
  failed = baseline.bad + proxy.bad > 0 || !(growth <= 2)
  console.log(failed ? 'FAIL' : 'steady')
} finally {
  await mf.dispose()
}
process.exit(failed ? 1 : 0)
