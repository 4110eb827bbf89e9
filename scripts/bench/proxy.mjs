#!/usr/bin/env node
// npm run bench:proxy — the proxy under load on loopback (wrangler dev in front of moto):
// cache hits, misses (Cache-Control: no-cache) against moto, moto directly for reference, and
// 100 concurrent identical misses counted at moto. Figures only.
import { gzipSync } from 'node:zlib'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { signRequest } from '../../dist/sigv4/index.js'
import { startProxyStack } from '../proxy-stack.mjs'
import { table } from './harness.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 8)
const connections = 20

function load(opts) {
  return new Promise((resolve, reject) => autocannon({ connections, duration: seconds, ...opts }, (err, res) => (err ? reject(err) : resolve(res))))
}

/** `connections` loops for `seconds`, in autocannon's result shape (average req/s, p50/p99 ms). */
async function fetchLoop(fn) {
  const latencies = []
  let bad = 0
  const until = performance.now() + seconds * 1000
  const start = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t = performance.now()
        const status = await fn().catch(() => 0)
        latencies.push(performance.now() - t)
        if (status < 200 || status >= 300) bad++
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))])
  return { requests: { average: latencies.length / ((performance.now() - start) / 1000) }, latency: { p50: at(0.5), p99: at(0.99) }, non2xx: bad, errors: 0 }
}

const row = (name, r) => ({
  case: name,
  'req/s': Math.round(r.requests.average).toLocaleString('en-US'),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  'non-2xx': r.non2xx + r.errors,
})

const stack = await startProxyStack({ vars: { CACHE_TTL_SECONDS: '600' } })
try {
  const auth = { authorization: `Bearer ${stack.token}` }
  const rows = []
  await fetch(`${stack.url}/iam/ListUsers`, { headers: auth }).then((r) => r.text())
  rows.push(row('proxy, cache hit (GET /iam/ListUsers)', await load({ url: `${stack.url}/iam/ListUsers`, headers: auth })))
  rows.push(row('proxy, miss → moto (no-cache GetUser)', await load({ url: `${stack.url}/iam/GetUser?UserName=${stack.account.adminUser}`, headers: { ...auth, 'cache-control': 'no-cache' } })))

  // moto checks signatures now: each request is signed as a client would (a fetch loop, since
  // autocannon cannot sign per request)
  const body = 'Action=GetUser&Version=2010-05-08&UserName=alice'
  rows.push(
    row(
      'moto directly (signed GetUser, fetch loop)',
      await fetchLoop(async () => {
        const signed = await signRequest({ method: 'POST', url: `${stack.moto.endpoint}/`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, { credentials: stack.account.credentials, region: 'us-east-1', service: 'iam' })
        const res = await fetch(signed.url, { method: 'POST', headers: signed.headers, body })
        await res.arrayBuffer()
        return res.status
      }),
    ),
  )
  console.log(`${connections} connections, ${seconds} s each, loopback, 2 cores shared by load generator, workerd and moto\n`)
  console.log(table(rows, Object.keys(rows[0])))

  // cold bursts of identical misses: one upstream call each, and the answers labelled by what
  // happened to them (one MISS; the others JOINED the call, or HIT once it was stored)
  console.log('')
  for (const [i, size] of [100, 50, 25, 9, 5].entries()) {
    const role = stack.account.roles[i]
    const before = stack.counter.count('GetRole')
    const answers = await Promise.all(Array.from({ length: size }, () => fetch(`${stack.url}/iam/GetRole?RoleName=${role}`, { headers: auth }).then(async (r) => (await r.arrayBuffer(), [r.status, r.headers.get('x-cache')]))))
    const labels = {}
    for (const [, label] of answers) labels[label] = (labels[label] ?? 0) + 1
    console.log(`${size} concurrent identical misses: ${answers.filter(([s]) => s === 200).length} × 200, labels ${JSON.stringify(labels)}, upstream GetRole calls: ${stack.counter.count('GetRole') - before} (goal 1)`)
  }
} finally {
  await stack.stop()
}

const out = mkdtempSync(join(tmpdir(), 'iam-edge-deploy-'))
const dry = spawnSync('node_modules/.bin/wrangler', ['deploy', '--dry-run', '--outdir', out], { encoding: 'utf8', env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' } })
const file = readdirSync(out).find((f) => f.endsWith('.js'))
if (dry.status === 0 && file) {
  const js = readFileSync(join(out, file))
  console.log(`Worker bundle (wrangler deploy --dry-run): ${js.length.toLocaleString('en-US')} B, ${gzipSync(js, { level: 9 }).length.toLocaleString('en-US')} B gzip`)
} else {
  console.log(`wrangler deploy --dry-run failed: ${dry.stderr.slice(-500)}`)
}
