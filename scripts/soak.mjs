#!/usr/bin/env node
// npm run soak — a bounded soak of the proxy on loopback (wrangler dev in front of moto): a steady
// mix of 80 % cache hits and 20 % misses for SOAK_SECONDS (default 60) at SOAK_RATE requests/s
// (default 200), sampling workerd's memory. Fails on any non-2xx answer or growing memory.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { startProxyStack } from './proxy-stack.mjs'

const seconds = Number(process.env.SOAK_SECONDS ?? 60)
const rate = Number(process.env.SOAK_RATE ?? 200)

function workerdRss() {
  const pids = execFileSync('pgrep', ['-f', 'workerd serve'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
  let kb = 0
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
  const samples = []
  const sampler = setInterval(() => samples.push({ at: samples.length * 5 + 5, mb: workerdRss() }), 5000)
  const result = await new Promise((resolve, reject) =>
    autocannon({ url: stack.url, connections: 10, overallRate: rate, duration: seconds, requests }, (err, res) => (err ? reject(err) : resolve(res))),
  )
  clearInterval(sampler)
  const bad = result.non2xx + result.errors + result.timeouts
  const at10 = samples.find((s) => s.at >= 10)?.mb ?? samples[0]?.mb ?? 0
  const last = samples[samples.length - 1]?.mb ?? 0
  const steady = last <= at10 * 1.5
  console.log(`soak: ${seconds} s at ${rate} req/s (80 % hits, 20 % misses to moto)`)
  console.log(`requests ${result.requests.total}, 2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`)
  console.log(`latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`)
  console.log(`workerd RSS MB every 5 s: ${samples.map((s) => s.mb).join(' ')}`)
  console.log(`memory ${steady ? 'steady' : 'GROWING'}: ${at10} MB at 10 s, ${last} MB at the end, max ${Math.max(...samples.map((s) => s.mb))} MB`)
  failed = bad > 0 || !steady
  if (failed) console.log('FAIL')
} finally {
  await stack.stop()
}
process.exit(failed ? 1 : 0)
