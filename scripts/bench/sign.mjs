#!/usr/bin/env node
// npm run bench:sign — signatures per second for one IAM ListUsers POST, sequential and 64 in
// flight: iam-edge's signRequest (as the README calls it) and Signer, aws4fetch, smithy and the
// WebCrypto floor (the three calls no signer can skip), in Node and inside workerd. Figures only.
import { compare, fmt, measure, medianRatio, table } from './harness.mjs'
import { contenders } from './sign-cases.mjs'
import { SIGV4_JS_CONTENDERS, workerdSignsPerSecond } from './sign-worker.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const rows = []
// sequential: 5 rounds interleaved across the contenders, medians (the machine's noise moves the
// contenders of one round alike); 64 in flight: one run each
const cases = contenders()
const seq = await compare(cases, 'aws4fetch AwsV4Signer', { seconds: seconds * 5, rounds: 5 })
for (const name of Object.keys(cases)) {
  const inFlight64 = await measure(cases[name], { seconds, inFlight: 64 })
  rows.push({ where: 'Node', signer: name, 'seq /s': fmt(seq.rates[name]), '64 in flight /s': fmt(inFlight64) })
}
const wSeq = await workerdSignsPerSecond({ seconds })
const wPar = await workerdSignsPerSecond({ seconds, inFlight: 64 })
for (const name of Object.keys(wSeq.rates)) rows.push({ where: 'workerd', signer: name, 'seq /s': fmt(wSeq.rates[name]), '64 in flight /s': fmt(wPar.rates[name]) })
const wJs = await workerdSignsPerSecond({ seconds, contenders: SIGV4_JS_CONTENDERS })
const us = (name) => `${(1e6 / wJs.rates[name]).toFixed(2)} µs`

console.log(`Node ${process.version}, ${seconds} s per run\n`)
console.log(table(rows, Object.keys(rows[0])))
console.log(`
Node (median of 5 interleaved rounds): signRequest ÷ aws4fetch ${medianRatio(seq.perRound, 'iam-edge signRequest', 'aws4fetch AwsV4Signer').toFixed(2)}× sequential (goal ≥ 1.5×), Signer ${medianRatio(seq.perRound, 'iam-edge Signer', 'aws4fetch AwsV4Signer').toFixed(2)}×; signRequest ÷ floor ${medianRatio(seq.perRound, 'iam-edge signRequest', 'crypto floor').toFixed(2)}×
workerd (each ÷ the floor of its round, median of 5 rounds): signRequest ${wSeq.ofFloor['iam-edge signRequest'].toFixed(2)}× (goal ≥ 0.8×), with .headers read ${wSeq.ofFloor['iam-edge signRequest, .headers read'].toFixed(2)}×; Signer ${wSeq.ofFloor['iam-edge Signer'].toFixed(2)}× (goal ≥ 0.75×); aws4fetch ${wSeq.ofFloor['aws4fetch AwsV4Signer'].toFixed(2)}×
workerd JavaScript per signature (WebCrypto answered at once; median of 5 rounds): signRequest ${us('iam-edge signRequest')}, Signer ${us('iam-edge Signer')}, the floor's ${us("floor's JavaScript")}; WebCrypto's own share of the floor ${((1e6 / wJs.rates['crypto floor']) - (1e6 / wJs.rates["floor's JavaScript"])).toFixed(2)} µs`)
