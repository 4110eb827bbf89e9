#!/usr/bin/env node
// npm run soak — does the Worker hold its memory steady? Plain workerd (Miniflare, no wrangler dev:
// its own growth hid the answer once), the Worker bundled as for `wrangler deploy` with the gate
// bound, a stub IAM. Two phases at SOAK_RATE requests/s (default 200), SOAK_SECONDS each (default
// 300): /healthz alone (no application state), then the proxy mix through 4 simulated locations —
// hits, Cache-Control: no-cache misses, ?all=1 paging, SigV4 Query calls, NoSuchEntity answers,
// and a stream of new keys (the memory tier, the Cache API and the gate's storage fill to their
// bounds). workerd's RSS is sampled every 5 s; each phase's slope (MB/min, least squares, after
// its first third) is printed. Fails on a non-2xx/404 answer or when the mix grows more than
// 10 MB/min faster than /healthz.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { signRequest } from '../dist/sigv4/index.js'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
const seconds = Number(process.env.SOAK_SECONDS ?? 300)
const rate = Number(process.env.SOAK_RATE ?? 200)

const bundle = await build({ entryPoints: ['scripts/bench/scale-worker.ts'], bundle: true, format: 'esm', platform: 'neutral', external: ['cloudflare:*'], write: false, logLevel: 'silent', conditions: ['workerd', 'worker', 'browser'] })
const TOKEN = 'soak-token'
const key = { accessKeyId: 'AKIASOAKCALLER000001', secretAccessKey: 'soak-caller-secret-0123456789' }
const users = (marker) => {
  const page = marker ? Number(marker.slice(1)) : 0
  const more = page < 2
  const members = Array.from({ length: 20 }, (_, i) => `<member><Path>/</Path><UserName>u${page}-${i}</UserName><UserId>AIDA${page}${i}</UserId><Arn>arn:aws:iam::123456789012:user/u${i}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`).join('')
  return `<ListUsersResponse><ListUsersResult><IsTruncated>${more}</IsTruncated>${more ? `<Marker>m${page + 1}</Marker>` : ''}<Users>${members}</Users></ListUsersResult></ListUsersResponse>`
}
const mf = new Miniflare({
  modules: true,
  script: bundle.outputFiles[0].text,
  compatibilityDate: '2026-04-01',
  durableObjects: { GATE: { className: 'UpstreamGate', useSQLite: true } },
  bindings: {
    IAM_ENDPOINT: 'https://iam.stub.test',
    STS_ENDPOINT: 'https://sts.stub.test',
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
  handleRuntimeStdio: (stdout, stderr) => {
    stdout.resume()
    stderr.resume()
  },
})
const origin = (await mf.ready).origin

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
  const started = performance.now()
  const sample = () => samples.push([(performance.now() - started) / 1000, workerdRss()])
  sample()
  const timer = setInterval(sample, 5000)
  let sent = 0
  let bad = 0
  const inFlight = new Set()
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate)
    while (sent < due) {
      sent++
      const p = (async () => {
        const res = await mf.dispatchFetch(...(await next(sent)))
        await res.arrayBuffer()
        if (!res.ok && res.status !== 404) bad++
      })().catch(() => bad++)
      inFlight.add(p)
      p.finally(() => inFlight.delete(p))
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  await Promise.all(inFlight)
  clearInterval(timer)
  sample()
  const settled = samples.filter(([t]) => t >= seconds / 3)
  const result = { name, sent, bad, first: samples[0][1], last: samples.at(-1)[1], slope: slope(settled) }
  console.log(`${name}: ${sent} requests, ${bad} failed; workerd RSS ${result.first} → ${result.last} MB; slope after the first third ${result.slope.toFixed(1)} MB/min`)
  return result
}

let failed = false
try {
  console.log(`soak: ${seconds} s per phase at ${rate} req/s, plain workerd (Miniflare), gate bound`)
  const baseline = await phase('/healthz alone', () => [`${origin}/healthz`])
  const proxy = await phase('proxy mix     ', (i) => mix[i % mix.length]())
  const growth = proxy.slope - baseline.slope
  console.log(`the mix grows ${growth.toFixed(1)} MB/min faster than /healthz alone (${fresh} distinct new keys)`)
  failed = baseline.bad + proxy.bad > 0 || growth > 10
  console.log(failed ? 'FAIL' : 'steady')
} finally {
  await mf.dispose()
}
process.exit(failed ? 1 : 0)
