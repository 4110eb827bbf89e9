#!/usr/bin/env node
// npm run compare — the same small Worker (ListUsers, then GetRole) written with iam-edge and with
// @aws-sdk/client-iam, side by side: the bundle `wrangler deploy --dry-run` makes, whether it works
// in workerd as installed, Node's import() of that bundle, Miniflare's start and first request
// against one moto, and a strict `tsc` without skipLibCheck. Prints the README's comparison table.
// Figures only; needs moto_server (pip install 'moto[server]==5.2.1').
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { Miniflare } from 'miniflare'
import { startMoto } from './moto/start.mjs'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
process.env.WRANGLER_SEND_METRICS = 'false'
const ROOT = resolve('.')
const work = mkdtempSync(join(tmpdir(), 'iam-edge-compare-'))
const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 7)

// the same Worker twice; both read their endpoint from env so they can be pointed at moto
const WORKERS = {
  'iam-edge': `import { IamClient, ListUsers, GetRole, fromEnv, IamError } from 'iam-edge/iam'
interface Env { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; IAM_ENDPOINT: string }
export default {
  async fetch(_req: Request, env: Env): Promise<Response> {
    const iam = new IamClient({ credentials: fromEnv(env), endpoint: env.IAM_ENDPOINT || undefined })
    const { Users } = await iam.send(ListUsers, {})
    try {
      await iam.send(GetRole, { RoleName: 'no-such-role' })
    } catch (e) {
      if (!(e instanceof IamError && e.code === 'NoSuchEntity')) throw e
    }
    return Response.json(Users.map((u) => u.UserName))
  },
}
`,
  'AWS SDK v3': `import { IAMClient, ListUsersCommand, GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam'
interface Env { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; IAM_ENDPOINT: string }
export default {
  async fetch(_req: Request, env: Env): Promise<Response> {
    const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }, ...(env.IAM_ENDPOINT ? { endpoint: env.IAM_ENDPOINT } : {}) })
    const { Users = [] } = await iam.send(new ListUsersCommand({}))
    try {
      await iam.send(new GetRoleCommand({ RoleName: 'no-such-role' }))
    } catch (e) {
      if (!(e instanceof NoSuchEntityException)) throw e
    }
    return Response.json(Users.map((u) => u.UserName))
  },
}
`,
}
// what the SDK needs before it can read XML in a Worker (it expects DOMParser and Node)
const SDK_POLYFILL = `import { DOMParser, Node } from '@xmldom/xmldom'
Object.assign(globalThis, { DOMParser, Node })
`

function project(name, source, polyfill) {
  const dir = join(work, name.replace(/\W+/g, '-'))
  mkdirSync(join(dir, 'src'), { recursive: true })
  writeFileSync(join(dir, 'src', 'index.ts'), polyfill ? `import './polyfill.js'\n${source}` : source)
  if (polyfill) writeFileSync(join(dir, 'src', 'polyfill.ts'), SDK_POLYFILL)
  writeFileSync(join(dir, 'wrangler.toml'), `name = "compare"\nmain = "src/index.ts"\ncompatibility_date = "2026-04-01"\n`)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
  // the installed packages: iam-edge as published (dist + exports map), the SDK from this checkout
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === '.bin' || entry === 'iam-edge') continue
    execFileSync('ln', ['-s', join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry)])
  }
  execFileSync('ln', ['-s', ROOT, join(dir, 'node_modules', 'iam-edge')])
  return dir
}

function bundle(dir) {
  const out = join(dir, 'out')
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', out], { cwd: dir, encoding: 'utf8', env: process.env })
  if (run.status !== 0) throw new Error(`wrangler failed in ${dir}:\n${run.stderr}`)
  const file = readdirSync(out).find((f) => f.endsWith('.js'))
  const code = readFileSync(join(out, file))
  return { path: join(out, file), raw: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function importMs(path) {
  const times = []
  for (let i = 0; i < ROUNDS; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(path)}); console.log(performance.now() - t)`], { encoding: 'utf8' })
    if (run.status !== 0) return Number.NaN
    times.push(Number(run.stdout.trim()))
  }
  return median(times)
}

async function inWorkerd(path, endpoint) {
  const started = performance.now()
  const mf = new Miniflare({
    modules: true,
    script: readFileSync(path, 'utf8'),
    compatibilityDate: '2026-04-01',
    bindings: { AWS_ACCESS_KEY_ID: 'AKIACOMPARE000000001', AWS_SECRET_ACCESS_KEY: 'compare-secret', IAM_ENDPOINT: endpoint },
  })
  try {
    await mf.ready
    const ready = performance.now() - started
    const t = performance.now()
    const res = await mf.dispatchFetch('http://localhost/')
    const body = await res.text()
    const first = performance.now() - t
    return { ready, first, ok: res.status === 200, detail: res.status === 200 ? '' : (/(\w*Error[^\n]*)/.exec(body)?.[1] ?? `HTTP ${res.status}`).slice(0, 60) }
  } finally {
    await mf.dispose()
  }
}

function strictErrors(dir) {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [] }, files: ['src/index.ts'] }),
  )
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' })
  return (run.stdout.match(/error TS\d+/g) ?? []).length
}

const moto = await startMoto()
try {
  // moto's first answers are slow (lazy imports): warm it so neither Worker pays for that
  for (const source of Object.values(WORKERS).slice(0, 1)) await inWorkerd(bundle(project('warm-up', source, false)).path, moto.endpoint)
  const rows = []
  for (const [name, source] of Object.entries(WORKERS)) {
    const dir = project(name, source, false)
    const built = bundle(dir)
    const asInstalled = await inWorkerd(built.path, moto.endpoint)
    let polyfilled
    if (name !== 'iam-edge') {
      const pdir = project(`${name} polyfilled`, source, true)
      polyfilled = { dir: pdir, built: bundle(pdir) }
    }
    const used = polyfilled?.built ?? built
    // median of three starts, each a fresh Miniflare
    const runs = [polyfilled ? await inWorkerd(used.path, moto.endpoint) : asInstalled, await inWorkerd(used.path, moto.endpoint), await inWorkerd(used.path, moto.endpoint)]
    const run = { ready: median(runs.map((r) => r.ready)), first: median(runs.map((r) => r.first)), ok: runs.every((r) => r.ok) }
    rows.push({
      name,
      gzip: `${(used.gzip / 1024).toFixed(1)} KiB${polyfilled ? ' (with the polyfill it needs)' : ''}`,
      works: asInstalled.ok ? 'yes, no flags' : `no: ${asInstalled.detail}`,
      import: `${importMs(used.path).toFixed(0)} ms`,
      miniflare: `${run.ready.toFixed(0)} / ${run.first.toFixed(0)} ms${run.ok ? '' : ' (failed)'}`,
      tsc: strictErrors(dir),
    })
  }
  const empty = join(work, 'empty.mjs')
  writeFileSync(empty, '')
  const [a, b] = rows
  const line = (label, key) => `| ${label} | ${a[key]} | ${b[key]} |`
  console.log(`| | ${a.name} | ${b.name} |\n| --- | ---: | ---: |`)
  console.log(line('`wrangler deploy --dry-run` bundle, gzip -9', 'gzip'))
  console.log(line('works in a Worker as installed', 'works'))
  console.log(line(`Node \`import()\` of the bundle (an empty module: ${importMs(empty).toFixed(0)} ms)`, 'import'))
  console.log(line('Miniflare ready / first request (ListUsers + GetRole against moto)', 'miniflare'))
  console.log(line('strict `tsc` without `skipLibCheck`: errors', 'tsc'))
} finally {
  await moto.stop()
  rmSync(work, { recursive: true, force: true })
}
