#!/usr/bin/env node
// npm run mutate [-- sigv4 query worker explorer policy s3] [--incremental] — mutation testing (StrykerJS) of the security-relevant
// modules, one area at a time (configs in stryker/). Slow, so not part of npm test. Each area
// fails under its break threshold (90 %; the explorer's findings 85 %); the summary prints every area's score from its JSON report.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
process.env.WRANGLER_SEND_METRICS = 'false'
const AREAS = ['sigv4', 'query', 'worker', 'explorer', 'policy', 's3']
const asked = process.argv.slice(2).filter((a) => AREAS.includes(a))
const areas = asked.length > 0 ? asked : AREAS
// --incremental: each area reuses its last run's results (reports/stryker-incremental-<area>.json)
// for mutants whose code and covering tests did not change
const incremental = process.argv.includes('--incremental')
let failed = false
for (const area of areas) {
  const extra = incremental ? ['--incremental', '--incrementalFile', `reports/stryker-incremental-${area}.json`] : []
  const run = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', `stryker/${area}.json`, ...extra], { stdio: 'inherit' })
  if (run.status !== 0) failed = true
}
console.log('\narea     score   killed  survived  no coverage  timeout')
for (const area of areas) {
  const report = JSON.parse(readFileSync(`reports/mutation/${area}.json`, 'utf8'))
  const counts = {}
  for (const file of Object.values(report.files)) for (const m of file.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0)
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0)
  console.log(`${area.padEnd(8)} ${((100 * detected) / valid).toFixed(1).padStart(5)} % ${String(counts.Killed ?? 0).padStart(7)} ${String(counts.Survived ?? 0).padStart(9)} ${String(counts.NoCoverage ?? 0).padStart(12)} ${String(counts.Timeout ?? 0).padStart(8)}`)
}
process.exit(failed ? 1 : 0)
