// The whole proxy on loopback for end-to-end tests, benchmarks and runtime tests: a seeded moto
// server, a counting pass-through in front of it (to count what reaches IAM), and `wrangler dev`
// running the Worker against it with a generated proxy key pair and bearer token.
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startMoto } from './moto/start.mjs'
import { SEED_CALL_COUNT, seedAccount } from './moto/seed.mjs'

/** Forwards every request to `target`, counting them by Action. */
export async function countingProxy(target) {
  const counts = new Map()
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? new URL(req.url, 'http://x').searchParams.get('Action') ?? '?'
      counts.set(action, (counts.get(action) ?? 0) + 1)
      // Host stays as the Worker signed it: moto checks the signature over it
      const up = request(new URL(req.url, target), { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers)
        upRes.pipe(res)
      })
      up.on('error', () => {
        res.writeHead(502)
        res.end()
      })
      up.end(body)
    })
  })
  const port = await freePort()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: (action) => (action === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(action) ?? 0)),
    reset: () => counts.clear(),
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

async function waitForHealth(url, child, ms) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`wrangler dev did not answer ${url}/healthz within ${ms} ms`)
}

/**
 * Starts moto (seeded), the counter and `wrangler dev`. `vars` override wrangler.toml's [vars].
 * Returns the proxy URL, the caller credentials and a stop() that leaves nothing running.
 */
export async function startProxyStack({ vars = {}, keys = {}, tokens = {} } = {}) {
  const moto = await startMoto({ noAuthActionCount: SEED_CALL_COUNT })
  const stops = [() => moto.stop()]
  try {
    const account = await seedAccount(moto.endpoint)
    const counter = await countingProxy(moto.endpoint)
    stops.push(() => counter.close())
    const key = { accessKeyId: proxyKeyId(), secretAccessKey: randomBytes(30).toString('base64url') }
    const token = randomBytes(24).toString('base64url')
    const dir = mkdtempSync(join(tmpdir(), 'iam-edge-stack-'))
    stops.push(() => rmSync(dir, { recursive: true, force: true }))
    const envFile = join(dir, 'dev.vars')
    const secrets = {
      AWS_ACCESS_KEY_ID: account.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: account.credentials.secretAccessKey,
      PROXY_KEYS: JSON.stringify({ [key.accessKeyId]: { name: 'e2e', secretAccessKey: key.secretAccessKey }, ...keys }),
      PROXY_TOKENS: JSON.stringify({ e2e: { sha256: createHash('sha256').update(token).digest('hex') }, ...tokens }),
    }
    writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}='${v}'`).join('\n'), { mode: 0o600 })
    const port = await freePort()
    const allVars = { IAM_ENDPOINT: counter.endpoint, STS_ENDPOINT: counter.endpoint, ...vars }
    const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--env-file', envFile, '--show-interactive-dev-session=false', '--log-level', 'log', '--persist-to', join(dir, 'state')]
    for (const [k, v] of Object.entries(allVars)) args.push('--var', `${k}:${v}`)
    let output = ''
    const wrangler = spawn(join(process.cwd(), 'node_modules', '.bin', 'wrangler'), args, {
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    wrangler.stdout.on('data', (c) => (output = (output + c).slice(-20_000)))
    wrangler.stderr.on('data', (c) => (output = (output + c).slice(-20_000)))
    stops.push(
      () =>
        new Promise((resolve) => {
          if (wrangler.exitCode !== null) return resolve()
          wrangler.once('exit', () => resolve())
          try {
            process.kill(-wrangler.pid, 'SIGTERM')
          } catch {
            resolve()
          }
          setTimeout(() => {
            try {
              process.kill(-wrangler.pid, 'SIGKILL')
            } catch {
              // gone
            }
          }, 3000).unref()
        }),
    )
    const url = `http://127.0.0.1:${port}`
    await waitForHealth(url, wrangler, 90_000).catch((e) => {
      throw new Error(`${e.message}\n${output.slice(-3000)}`)
    })
    return {
      url,
      key,
      token,
      account,
      moto,
      counter,
      logs: () => output,
      stop: async () => {
        for (const stop of stops.reverse()) await stop()
      },
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop()
    throw error
  }
}

/** A key id as `iam-edge proxy init` makes them (src/cli/proxy.ts): APXY and 16 base-32 characters. */
export function proxyKeyId() {
  return `APXY${[...randomBytes(16)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b & 31]).join('')}`
}
