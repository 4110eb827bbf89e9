#!/usr/bin/env node
// npm run bench:startup — cold `await import()` of each entry in a fresh Node process (median of
// 9, in interleaved rounds) beside @aws-sdk/client-iam and aws4fetch, and the CLI's `--help` wall
// time beside bare node. Figures only.
import { spawnSync } from 'node:child_process'
import { table } from './harness.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function importOnce(specifier) {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t)`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${specifier}: ${r.stderr}`)
  return Number(r.stdout.trim())
}

// every entry once per round, rounds interleaved: this machine's speed drifts by half within a
// minute, and a drift then moves all entries of a round alike instead of whichever ran last
function importMedians(specifiers) {
  const runs = specifiers.map(() => [])
  for (let round = 0; round < RUNS; round++) specifiers.forEach((spec, i) => runs[i].push(importOnce(spec)))
  return runs.map(median)
}

function wallMs(args) {
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' })
    runs.push(performance.now() - t)
    if (r.status !== 0 && !args.includes('-e')) throw new Error(`${args.join(' ')} exited ${r.status}`)
  }
  return median(runs)
}

const entries = [
  ['iam-edge', './dist/index.js'],
  ['iam-edge/sigv4', './dist/sigv4/index.js'],
  ['iam-edge/iam', './dist/iam/index.js'],
  ['iam-edge/sts', './dist/sts/index.js'],
  ['@aws-sdk/client-iam', '@aws-sdk/client-iam'],
  ['aws4fetch', 'aws4fetch'],
]
const medians = importMedians(entries.map(([, spec]) => spec))
const rows = entries.map(([name], i) => ({ module: name, 'cold import ms (median)': medians[i].toFixed(1) }))
console.log(`Node ${process.version}, ${RUNS} fresh processes each, in rounds interleaved across modules\n`)
console.log(table(rows, Object.keys(rows[0])))
const bare = wallMs(['-e', '0'])
const help = wallMs(['bin/iam-edge.mjs', 'iam', '--help'])
console.log(`\nCLI: \`iam-edge iam --help\` ${help.toFixed(0)} ms wall, bare \`node -e 0\` ${bare.toFixed(0)} ms: +${(help - bare).toFixed(0)} ms (goal ≤ +60 ms)`)
