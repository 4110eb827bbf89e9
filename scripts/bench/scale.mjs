#!/usr/bin/env node
// npm run bench:scale [-- --json] — the proxy at scale, gate off (today's design) and gate on, in
// one run: N simulated locations (each with its own Cache API and isolate state) in one workerd
// (Miniflare), a working set of keys with Zipf popularity, and a fake IAM that answers Throttling
// above its rate (per wall-clock second). Halfway through, every entry expires at once (the clock
// of every location and of the gate jumps one TTL ahead). Figures only; nothing passes or fails.
//
// Knobs (environment): SCALE_SECONDS (60 per run), SCALE_LOCATIONS (20), SCALE_KEYS (1000),
// SCALE_IN_FLIGHT (32), SCALE_IAM_RATE (10 calls/s before Throttling).
import { createHash } from 'node:crypto'
import { table } from './harness.mjs'
import { startLocations } from './locations.mjs'

const json = process.argv.includes('--json')
const seconds = Number(process.env.SCALE_SECONDS ?? 60)
const LOCATIONS = Number(process.env.SCALE_LOCATIONS ?? 20)
const KEYS = Number(process.env.SCALE_KEYS ?? 1000)
const IN_FLIGHT = Number(process.env.SCALE_IN_FLIGHT ?? 32)
const IAM_RATE = Number(process.env.SCALE_IAM_RATE ?? 10)
const TTL = 60
const log = (...args) => (json ? console.error(...args) : console.log(...args))

// Zipf popularity (s = 1): key k is drawn with weight 1/(k+1)
const cdf = []
let total = 0
for (let k = 0; k < KEYS; k++) cdf.push((total += 1 / (k + 1)))
function zipfKey() {
  const x = Math.random() * total
  let lo = 0
  let hi = KEYS - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cdf[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

const TOKEN = 'scale-bench-token'
const role = (name) =>
  `<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path><RoleName>${name}</RoleName><RoleId>AROA${createHash('sha1').update(name).digest('hex').slice(0, 16).toUpperCase()}</RoleId><Arn>arn:aws:iam::123456789012:role/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration></Role></GetRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleResponse>`
const THROTTLING = '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>'

async function run(gate) {
  // the fake IAM: answers up to IAM_RATE calls in each wall-clock second, Throttling above that
  const perSecond = new Map()
  let throttledUpstream = 0
  const mf = await startLocations({
    bindings: {
      CACHE_TTL_SECONDS: String(TTL),
      STALE_IF_ERROR_SECONDS: '600',
      AWS_ACCESS_KEY_ID: 'AKIASCALEBENCH000001',
      AWS_SECRET_ACCESS_KEY: 'scale-bench-secret-0123456789',
      PROXY_TOKENS: JSON.stringify({ bench: { sha256: createHash('sha256').update(TOKEN).digest('hex') } }),
      // the gate spends at most IAM's rate in any wall-clock second: rate + burst ≤ IAM_RATE
      UPSTREAM_RATE_PER_SECOND: String(IAM_RATE - 2),
      UPSTREAM_BURST: '2',
      UPSTREAM_CALLER_SHARE: '1',
    },
    outboundService: async (req) => {
      const second = Math.floor(Date.now() / 1000)
      const n = (perSecond.get(second) ?? 0) + 1
      perSecond.set(second, n)
      if (n > IAM_RATE) {
        throttledUpstream++
        return new Response(THROTTLING, { status: 400 })
      }
      const params = new URLSearchParams(await req.text())
      return new Response(role(params.get('RoleName') ?? 'x'))
    },
  })
  const answered = new Set()
  const tiers = new Map()
  const latencies = []
  let requests = 0
  let callerThrottling = 0
  let callerThrottlingAnswered = 0
  let otherErrors = 0
  const started = performance.now()
  const until = started + seconds * 1000
  let stampeded = false
  const lane = async () => {
    while (performance.now() < until) {
      if (!stampeded && performance.now() - started > (seconds * 1000) / 2) {
        stampeded = true
        await mf.dispatchFetch(`http://bench/__advance?s=${TTL + 1}`, { method: 'POST' })
      }
      const key = zipfKey()
      const loc = Math.floor(Math.random() * LOCATIONS)
      const wasAnswered = answered.has(key)
      const t0 = performance.now()
      const res = await mf.dispatchFetch(`http://bench/iam/GetRole?RoleName=role-${key}`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-location': String(loc), ...(gate ? {} : { 'x-gate': 'off' }) } })
      const body = await res.text()
      latencies.push(performance.now() - t0)
      requests++
      if (res.status === 200) {
        answered.add(key)
        const tier = res.headers.get('x-cache-tier') ?? '?'
        tiers.set(tier, (tiers.get(tier) ?? 0) + 1)
      } else if (body.includes('Throttling')) {
        callerThrottling++
        if (wasAnswered) callerThrottlingAnswered++
        tiers.set('refused', (tiers.get('refused') ?? 0) + 1)
      } else {
        otherErrors++
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
  const elapsed = (performance.now() - started) / 1000
  await mf.dispose()
  latencies.sort((a, b) => a - b)
  const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10
  const counts = [...perSecond.values()]
  const upstreamCalls = counts.reduce((a, b) => a + b, 0)
  const hitRatio = Object.fromEntries(['memory', 'cache', 'gate', 'upstream', 'stale', 'refused'].map((t) => [t, Math.round(((tiers.get(t) ?? 0) / requests) * 10_000) / 10_000]))
  return {
    requests,
    requestsPerSecond: Math.round(requests / elapsed),
    upstreamCalls,
    upstreamMaxPerSecond: Math.max(0, ...counts),
    upstreamMeanPerSecond: Math.round((upstreamCalls / elapsed) * 10) / 10,
    upstreamThrottled: throttledUpstream,
    callerThrottling,
    callerThrottlingAnswered,
    otherErrors,
    hitRatio,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  }
}

log(`bench:scale — ${LOCATIONS} locations, ${KEYS} keys (Zipf s=1), ${IN_FLIGHT} in flight, ${seconds} s per run, fake IAM throttling above ${IAM_RATE}/s, every entry expiring at ${seconds / 2} s`)
const gateOff = await run(false)
log('gate off: done')
const gateOn = await run(true)
const row = (name, r) => ({
  run: name,
  'req/s': r.requestsPerSecond,
  'IAM max/s': r.upstreamMaxPerSecond,
  'IAM mean/s': r.upstreamMeanPerSecond,
  'IAM throttled': r.upstreamThrottled,
  'Throttling to callers': r.callerThrottling,
  '… for answered keys': r.callerThrottlingAnswered,
  'memory/cache/gate/upstream/stale': ['memory', 'cache', 'gate', 'upstream', 'stale'].map((t) => `${(r.hitRatio[t] * 100).toFixed(1)}`).join(' / '),
  'p50 ms': r.p50Ms,
  'p99 ms': r.p99Ms,
})
const rows = [row('gate off', gateOff), row('gate on', gateOn)]
log(table(rows, Object.keys(rows[0])))
if (json) console.log(JSON.stringify({ gateOff, gateOn }))
