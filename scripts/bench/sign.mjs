#!/usr/bin/env node
// npm run bench:sign — signatures per second for one IAM ListUsers POST, sequential and 64 in
// flight, for iam-edge, aws4fetch, smithy and the WebCrypto floor, plus iam-edge inside workerd.
import { fmt, measure, table } from './harness.mjs'
import { contenders } from './sign-cases.mjs'
import { workerdSignsPerSecond } from './sign-worker.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const cases = contenders()
const results = {}
for (const [name, fn] of Object.entries(cases)) {
  results[name] = { name, sequential: await measure(fn, { seconds }), inFlight64: await measure(fn, { seconds, inFlight: 64 }) }
}
results['iam-edge in workerd'] = {
  name: 'iam-edge in workerd',
  sequential: await workerdSignsPerSecond({ seconds }),
  inFlight64: await workerdSignsPerSecond({ seconds, inFlight: 64 }),
}

const ours = results['iam-edge']
const rows = Object.values(results).map((r) => ({
  signer: r.name,
  'seq /s': fmt(r.sequential),
  '64 in flight /s': fmt(r.inFlight64),
  'iam-edge ÷ this (seq)': (ours.sequential / r.sequential).toFixed(2),
}))
console.log(`Node ${process.version}, ${seconds} s per run\n`)
console.log(table(rows, Object.keys(rows[0])))
const floor = results['crypto floor']
console.log(`\niam-edge vs aws4fetch: ${(ours.sequential / results.aws4fetch.sequential).toFixed(2)}× sequential, ${(ours.inFlight64 / results.aws4fetch.inFlight64).toFixed(2)}× in flight (goal ≥ 2×)`)
console.log(`crypto floor vs iam-edge: ${(floor.sequential / ours.sequential).toFixed(2)}× sequential, ${(floor.inFlight64 / ours.inFlight64).toFixed(2)}× in flight (goal ≤ 1.25×)`)
