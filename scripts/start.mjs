#!/usr/bin/env node
// npm start — the proxy Worker on http://127.0.0.1:8787 in one command. With real AWS keys in
// .dev.vars it proxies real IAM; without them it starts a local moto IAM/STS server, seeds a small
// account, points the Worker at it, and prints the IAM explorer's URL, a proxy key pair, a bearer
// token and commands to try.
// `npm start -- --access` also puts a local Cloudflare Access stand-in in front (a JWKS on loopback)
// and prints an assertion to send as Cf-Access-Jwt-Assertion.
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LOCAL_AUD, startAccessStandIn } from './access-dev.mjs'
import { MOTO_INSTALL_HINT, startMoto } from './moto/start.mjs'
import { seedAccount, SEED_CALL_COUNT } from './moto/seed.mjs'
import { proxyKeyId } from './proxy-stack.mjs'

const PORT = Number(process.env.PORT ?? 8787)
const HOST = '127.0.0.1'
/** Things to stop on exit, newest first. */
const stoppers = []
let tempDir

function fail(line) {
  console.error(`iam-edge start: ${line}`)
  shutdown(1)
}

function shutdown(code = 0) {
  for (const stop of stoppers.reverse()) {
    try {
      stop()
    } catch {
      // already gone
    }
  }
  if (tempDir) rmSync(tempDir, { recursive: true, force: true })
  process.exit(code)
}
process.on('SIGINT', () => shutdown(0))
process.on('SIGTERM', () => shutdown(0))

function readDevVars() {
  if (!existsSync('.dev.vars')) return {}
  const out = {}
  for (const line of readFileSync('.dev.vars', 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line)
    if (m) out[m[1]] = m[2]
  }
  return out
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, HOST, () => server.close(() => resolve(true)))
  })
}

function whoListens(port) {
  const ss = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' })
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss.stdout ?? '')
  return m ? `${m[1]} (pid ${m[2]})` : 'another process'
}

async function waitForHealth(url, child, ms) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) return false
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return true
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return false
}

if (!(await portFree(PORT))) fail(`port ${PORT} is busy (held by ${whoListens(PORT)}); stop it or run PORT=<other> npm start`)
if (!existsSync('dist/index.js') || !existsSync('build/explorer/explorer/index.html')) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
  if (build.status !== 0) fail('npm run build failed')
}

const devVars = readDevVars()
const realAws = Boolean(devVars.AWS_ACCESS_KEY_ID && devVars.AWS_SECRET_ACCESS_KEY)
const accessKeyId = proxyKeyId()
const secretAccessKey = randomBytes(30).toString('base64url')
const token = `iamedge_${randomBytes(24).toString('base64url')}`
const secrets = {
  PROXY_KEYS: JSON.stringify({ [accessKeyId]: { name: 'demo', secretAccessKey } }),
  PROXY_TOKENS: JSON.stringify({ demo: { sha256: createHash('sha256').update(token).digest('hex') } }),
}
const vars = {}
let upstream = 'real AWS IAM (keys from .dev.vars)'
let emulatorLines = ''

if (!realAws) {
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).error) fail(`moto_server is not on PATH: ${MOTO_INSTALL_HINT} (or put real AWS keys in .dev.vars)`)
  // moto checks signatures from the first call after the seed's: no unsigned call gets through
  const moto = await startMoto({ noAuthActionCount: SEED_CALL_COUNT }).catch((e) => fail(`moto_server did not start: ${e.message}`))
  stoppers.push(() => moto.stop())
  const seeded = await seedAccount(moto.endpoint).catch((e) => fail(`seeding moto failed: ${e.message}`))
  Object.assign(secrets, { AWS_ACCESS_KEY_ID: seeded.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.credentials.secretAccessKey })
  Object.assign(vars, { IAM_ENDPOINT: moto.endpoint, STS_ENDPOINT: moto.endpoint })
  upstream = `local moto at ${moto.endpoint} (seeded: ${seeded.users.length} users, ${seeded.roles.length} roles, ${seeded.policies.length} policies)`
  // the emulator's own key (the seeded admin's): add your own IAM data to it directly
  emulatorLines = `
  emulator key     AWS_ACCESS_KEY_ID=${seeded.credentials.accessKeyId}   (moto itself, read and write: add your own data)
                   AWS_SECRET_ACCESS_KEY=${seeded.credentials.secretAccessKey}

  AWS_ACCESS_KEY_ID=${seeded.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${seeded.credentials.secretAccessKey} AWS_DEFAULT_REGION=us-east-1 \\
    aws iam create-user --user-name me --endpoint-url ${moto.endpoint}
  (the proxy caches answers for a while: the explorer's Refresh reads past the cache)
`
}

let accessLines = ''
if (process.argv.includes('--access')) {
  const access = await startAccessStandIn()
  stoppers.push(() => access.close())
  Object.assign(vars, { ACCESS_TEAM_DOMAIN: access.teamDomain, ACCESS_AUD: LOCAL_AUD, ACCESS_POLICIES: JSON.stringify({ '*@example.com': { actions: ['ListUsers', 'ListRoles', 'GetRole'] } }) })
  const assertion = await access.mint({ email: 'dev@example.com' })
  accessLines = `
  Access (stand-in at ${access.teamDomain}; dev@example.com may ListUsers, ListRoles, GetRole):
  curl -s -H 'Cf-Access-Jwt-Assertion: ${assertion}' '${`http://${HOST}:${PORT}`}/iam/ListRoles' | head -c 600
`
}

tempDir = mkdtempSync(join(tmpdir(), 'iam-edge-start-'))
const envFile = join(tempDir, 'dev.vars')
writeFileSync(envFile, Object.entries({ ...devVars, ...secrets }).map(([k, v]) => `${k}='${v}'`).join('\n'), { mode: 0o600 })
const args = ['dev', '--ip', HOST, '--port', String(PORT), '--env-file', envFile, '--show-interactive-dev-session=false', '--log-level', 'log']
for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`)
// its own process group, so workerd and every helper wrangler starts go down with it
const wrangler = spawn(join('node_modules', '.bin', 'wrangler'), args, {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  detached: true,
})
stoppers.push(() => process.kill(-wrangler.pid, 'SIGTERM'))
wrangler.on('exit', (code) => {
  console.error(`wrangler dev exited (${code})`)
  shutdown(code ?? 1)
})

const base = `http://${HOST}:${PORT}`
if (!(await waitForHealth(base, wrangler, 60_000))) fail(`the Worker did not answer ${base}/healthz within 60 s`)

console.log(`
iam-edge proxy is up at ${base}   (upstream: ${upstream})

  IAM explorer     ${base}/explorer/   (sign in with the bearer token below${process.argv.includes('--access') ? '; behind real Cloudflare Access no sign-in is asked' : ''})

  proxy key pair   AWS_ACCESS_KEY_ID=${accessKeyId}
                   AWS_SECRET_ACCESS_KEY=${secretAccessKey}
  bearer token     ${token}
${emulatorLines}
Try:
  curl -s -H 'Authorization: Bearer ${token}' '${base}/iam/ListUsers' | head -c 600

  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_DEFAULT_REGION=us-east-1 \\
    aws iam list-users --endpoint-url ${base}

  node --input-type=module -e "const r = await fetch('${base}/iam/ListRoles?all=1', { headers: { authorization: 'Bearer ${token}' } }); console.log((await r.json()).Roles.map(x => x.RoleName))"

${accessLines}
Ctrl-C stops the proxy${realAws ? '' : ' and moto'}.
`)
