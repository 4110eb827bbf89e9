#!/usr/bin/env node
// npm run bench:hits — cache hits per second inside workerd (Miniflare, no wrangler dev): /healthz
// as the floor, a bearer-token hit and a SigV4 hit on the JSON facade and the Query API, 16
// requests in flight. The Worker is bundled as `wrangler deploy` bundles it; upstream is a stub.
// Figures only. `-- --worker DIR` measures another checkout's worker/ (before/after comparisons).
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { signRequest } from '../../dist/sigv4/index.js'
import { table } from './harness.mjs'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
const argIndex = process.argv.indexOf('--worker')
const root = argIndex === -1 ? process.cwd() : process.argv[argIndex + 1]
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const LOOPS = 16

const bundle = await build({ entryPoints: [join(root, 'worker/index.ts')], bundle: true, format: 'esm', platform: 'neutral', external: ['cloudflare:*'], write: false, logLevel: 'silent', conditions: ['workerd', 'worker', 'browser'] })

const TOKEN = 'bench-token'
const key = { accessKeyId: 'APXYBENCH00000000001', secretAccessKey: 'bench-secret-0123456789abcdef' }
const users = Array.from({ length: 50 }, (_, i) => `<member><Path>/</Path><UserName>u${i}</UserName><UserId>AIDA${i}</UserId><Arn>arn:aws:iam::123456789012:user/u${i}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`).join('')
const listUsers = `<ListUsersResponse><ListUsersResult><IsTruncated>false</IsTruncated><Users>${users}</Users></ListUsersResult></ListUsersResponse>`
const mf = new Miniflare({
  modules: true,
  script: bundle.outputFiles[0].text,
  compatibilityDate: '2026-04-01',
  bindings: {
    IAM_ENDPOINT: 'https://iam.upstream.test',
    STS_ENDPOINT: 'https://sts.upstream.test',
    CACHE_TTL_SECONDS: '3600',
    AWS_ACCESS_KEY_ID: 'AKIAUPSTREAM00000001',
    AWS_SECRET_ACCESS_KEY: 'upstream-secret-0123456789',
    PROXY_KEYS: JSON.stringify({ [key.accessKeyId]: { name: 'bench', secretAccessKey: key.secretAccessKey } }),
    PROXY_TOKENS: JSON.stringify({ bench: { sha256: createHash('sha256').update(TOKEN).digest('hex') } }),
  },
  outboundService: () => new Response(listUsers),
  // the Worker logs a line per request; the benchmark does not print them
  handleRuntimeStdio: (stdout, stderr) => {
    stdout.resume()
    stderr.resume()
  },
})
// dispatchFetch sends Host as the runtime's own address: sign for that
const origin = (await mf.ready).origin

async function rate(makeRequest) {
  await mf.dispatchFetch(...(await makeRequest()))
  let count = 0
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      while (performance.now() < until) {
        const res = await mf.dispatchFetch(...(await makeRequest()))
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        count++
      }
    }),
  )
  return count / ((performance.now() - started) / 1000)
}

const body = 'Action=ListUsers&Version=2010-05-08'
const sigv4 = async () => {
  // the load generator signs each request, as a real client would (same 2 cores)
  const signed = await signRequest({ method: 'POST', url: `${origin}/`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }, { credentials: key, region: 'us-east-1', service: 'iam' })
  return [`${origin}/`, { method: 'POST', headers: signed.headers, body }]
}
try {
  const healthz = await rate(async () => ['http://127.0.0.1/healthz'])
  const bearer = await rate(async () => ['http://127.0.0.1/iam/ListUsers', { headers: { authorization: `Bearer ${TOKEN}` } }])
  const signed = await rate(sigv4)
  const rows = [
    { case: '/healthz', 'req/s': Math.round(healthz), '÷ healthz': '1.00' },
    { case: 'bearer hit, GET /iam/ListUsers', 'req/s': Math.round(bearer), '÷ healthz': (bearer / healthz).toFixed(2) },
    { case: 'SigV4 hit, POST / ListUsers', 'req/s': Math.round(signed), '÷ healthz': (signed / healthz).toFixed(2) },
  ]
  console.log(`Miniflare, ${LOOPS} in flight, ${seconds} s per case, worker from ${root}\n`)
  console.log(table(rows, Object.keys(rows[0])))
} finally {
  await mf.dispose()
}
