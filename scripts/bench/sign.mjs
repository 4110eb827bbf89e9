#!/usr/bin/env node
// npm run bench:sign — signatures per second for one IAM ListUsers POST, sequential and 64 in
// flight: iam-edge's signRequest (as the README calls it) and Signer, aws4fetch, smithy and the
// WebCrypto floor (the three calls no signer can skip), in Node and inside workerd. Figures only.
import { fmt, measure, table } from './harness.mjs'
import { contenders } from './sign-cases.mjs'
import { workerdSignsPerSecond } from './sign-worker.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const rows = []
const node = {}
for (const [name, fn] of Object.entries(contenders())) {
  node[name] = { sequential: await measure(fn, { seconds }), inFlight64: await measure(fn, { seconds, inFlight: 64 }) }
  rows.push({ where: 'Node', signer: name, 'seq /s': fmt(node[name].sequential), '64 in flight /s': fmt(node[name].inFlight64) })
}
const wSeq = await workerdSignsPerSecond({ seconds })
const wPar = await workerdSignsPerSecond({ seconds, inFlight: 64 })
for (const name of Object.keys(wSeq.rates)) rows.push({ where: 'workerd', signer: name, 'seq /s': fmt(wSeq.rates[name]), '64 in flight /s': fmt(wPar.rates[name]) })

console.log(`Node ${process.version}, ${seconds} s per run\n`)
console.log(table(rows, Object.keys(rows[0])))
const ratio = (a, b) => (a / b).toFixed(2)
console.log(`
Node:    signRequest ÷ aws4fetch ${ratio(node['iam-edge signRequest'].sequential, node['aws4fetch AwsV4Signer'].sequential)}× sequential (goal ≥ 1.5×); ÷ floor ${ratio(node['iam-edge signRequest'].sequential, node['crypto floor'].sequential)}×
workerd (each ÷ the floor of its round, median of 5 rounds): signRequest ${wSeq.ofFloor['iam-edge signRequest'].toFixed(2)}× (goal ≥ 0.75×), with .headers read ${wSeq.ofFloor['iam-edge signRequest, .headers read'].toFixed(2)}×; Signer ${wSeq.ofFloor['iam-edge Signer'].toFixed(2)}× (goal ≥ 0.8×); aws4fetch ${wSeq.ofFloor['aws4fetch AwsV4Signer'].toFixed(2)}×`)
