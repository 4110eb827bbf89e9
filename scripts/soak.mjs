#!/usr/bin/env node
// npm run soak — a bounded soak of the proxy on loopback (wrangler dev in front of moto): a steady
// mix of 80 % cache hits and 20 % misses for SOAK_SECONDS (default 60) at SOAK_RATE requests/s
// (default 200), sampling workerd's memory. Fails on any non-2xx answer. Memory is reported beside
// a baseline phase on /healthz (no application state at all): under wrangler dev, workerd's RSS
// climbs for that too, so only growth well beyond the baseline's points at the Worker.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { startProxyStack } from './proxy-stack.mjs'

const seconds = Number(process.env.SOAK_SECONDS ?? 60)
const rate = Number(process.env.SOAK_RATE ?? 200)

function workerdRss() {
  const pids = execFileSync('pgrep', ['-f', 'workerd serve'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
  let kb = 0
  // wrangler dev runs two workerd processes; their sum is the Worker's footprint
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      // gone
    }
  }
  return Math.round(kb / 1024)
}

const stack = await startProxyStack({ vars: { CACHE_TTL_SECONDS: '30' } })
let failed = false
try {
  const auth = { authorization: `Bearer ${stack.token}` }
  const hit = (path) => ({ method: 'GET', path, headers: auth })
  const requests = [
    hit('/iam/ListUsers'),
    hit('/iam/ListRoles?all=1'),
    hit(`/iam/GetRole?RoleName=${stack.account.roles[0]}`),
    hit('/iam/ListPolicies?Scope=Local'),
    { method: 'GET', path: `/iam/GetRole?RoleName=${stack.account.roles[1]}`, headers: { ...auth, 'cache-control': 'no-cache' } },
  ]
  const sample = async (phaseSeconds, opts) => {
    const samples = [workerdRss()]
    const timer = setInterval(() => samples.push(workerdRss()), 5000)
    const result = await new Promise((resolve, reject) =>
      autocannon({ url: stack.url, connections: 10, overallRate: rate, duration: phaseSeconds, ...opts }, (err, res) => (err ? reject(err) : resolve(res))),
    )
    clearInterval(timer)
    samples.push(workerdRss())
    return { result, samples, perMinute: ((samples[samples.length - 1] - samples[0]) / phaseSeconds) * 60 }
  }
  const baseline = await sample(Math.max(10, Math.round(seconds / 3)), { requests: [{ method: 'GET', path: '/healthz' }] })
  const mix = await sample(seconds, { requests })
  const result = mix.result
  const bad = result.non2xx + result.errors + result.timeouts + baseline.result.non2xx + baseline.result.errors
  console.log(`soak: ${seconds} s at ${rate} req/s (80 % hits, 20 % misses to moto), after a /healthz baseline`)
  console.log(`requests ${result.requests.total}, 2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`)
  console.log(`latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`)
  console.log(`workerd RSS MB, /healthz baseline: ${baseline.samples.join(' ')} (${baseline.perMinute.toFixed(0)} MB/min)`)
  console.log(`workerd RSS MB, proxy mix:        ${mix.samples.join(' ')} (${mix.perMinute.toFixed(0)} MB/min)`)
  const steady = mix.perMinute <= Math.max(baseline.perMinute * 2, 20)
  console.log(steady ? 'memory: grows no faster than the dev server does on /healthz' : 'memory: grows faster than the /healthz baseline: look for a leak')
  failed = bad > 0
  if (failed) console.log('FAIL')
} finally {
  await stack.stop()
}
process.exit(failed ? 1 : 0)
