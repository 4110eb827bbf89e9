#!/usr/bin/env node
// npm run types [-- --check]
// Writes worker/env.d.ts (the Worker's `Env`) with `wrangler types` from wrangler.toml and the
// variable names in .dev.vars.example. --check writes nothing and fails when the file is stale
// (wrangler's own --check compares a hash of its command line, so it cannot check this file).
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'

const target = 'worker/env.d.ts'
const check = process.argv.includes('--check')
// beside the target, so the generated relative import of the Worker's module is the same
const out = check ? 'worker/.env-check.d.ts' : target
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }
try {
  execFileSync('npx', ['wrangler', 'types', out, '--include-runtime=false', '--strict-vars=false', '--env-file', '.dev.vars.example'], { env, stdio: 'pipe' })
  // the first two lines name the command and its output path; only the declarations matter
  const body = (file) => readFileSync(file, 'utf8').split('\n').slice(2).join('\n')
  if (check && body(out) !== body(target)) {
    console.error(`${target} is stale against wrangler.toml/.dev.vars.example: run npm run types`)
    process.exit(1)
  }
  console.log(check ? `${target} is up to date` : `wrote ${target}`)
} finally {
  if (check) rmSync(out, { force: true })
}
