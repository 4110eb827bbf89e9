// Spawns a real moto server (IAM + STS) on a free loopback port, for integration tests and `npm start`.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

export const MOTO_INSTALL_HINT = "pip install 'moto[server]==5.2.1'"

/** Thrown when the `moto_server` executable cannot be started at all. */
export class MotoMissingError extends Error {
  constructor(command, cause) {
    super(`${command} not found: install it with ${MOTO_INSTALL_HINT}`, { cause })
    this.name = 'MotoMissingError'
  }
}

/** A port the OS just handed out; another process could take it before moto binds, so callers retry. */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntilAnswering(endpoint, child, deadline) {
  let lastError
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`)
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) })
      await res.arrayBuffer()
      if (res.ok) return
      lastError = new Error(`HTTP ${res.status}`)
    } catch (error) {
      lastError = error
    }
    await sleep(100)
  }
  throw new Error(`moto_server did not answer at ${endpoint}`, { cause: lastError })
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>`.
 * `noAuthActionCount`: moto checks SigV4 signatures and IAM policies only after that many service
 * calls (INITIAL_NO_AUTH_ACTION_COUNT); leave it undefined to never check.
 */
export async function startMoto(options = {}) {
  const command = options.command ?? process.env.MOTO_SERVER ?? 'moto_server'
  const host = '127.0.0.1'
  const startupMs = options.startupMs ?? 30_000
  const env = { ...process.env, ...options.env }
  if (options.noAuthActionCount !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.noAuthActionCount)

  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host))
    const child = spawn(command, ['-H', host, '-p', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-4_000)
    })
    const spawned = await new Promise((resolve) => {
      child.once('spawn', () => resolve(undefined))
      child.once('error', (error) => resolve(error))
    })
    if (spawned !== undefined) {
      if (spawned.code === 'ENOENT') throw new MotoMissingError(command, spawned)
      throw spawned
    }
    const endpoint = `http://${host}:${port}`
    try {
      await waitUntilAnswering(endpoint, child, Date.now() + startupMs)
    } catch (error) {
      child.kill('SIGKILL')
      // the port may have been taken between freePort() and moto binding it
      if (attempt < 3 && options.port === undefined) continue
      throw new Error(`${error.message}\n${stderr}`, { cause: error })
    }
    const stop = () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined)
        child.once('exit', () => resolve(undefined))
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref()
      })
    return { endpoint, port, pid: child.pid, stop, stderr: () => stderr }
  }
}

/** Moves moto's auth switch at run time: signatures are checked after `count` more service calls. */
export async function setNoAuthActionCount(endpoint, count) {
  const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: String(count) })
  if (!res.ok) throw new Error(`moto reset-auth answered HTTP ${res.status}`)
  await res.arrayBuffer()
}
