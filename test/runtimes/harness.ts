// Builds the smoke bundle and the inputs every runtime gets, and serves pages for Chromium.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { readSuite } from '../support/suite-plugin.js'
import type { SmokeInput } from './smoke.js'

/** A varied slice of the SigV4 suite: folding, duplicates, normalization, unicode, tokens, bodies. */
export const SUITE_SLICE = [
  'get-header-value-multiline',
  'get-header-key-duplicate',
  'get-relative-relative-normalized',
  'get-slashes-unnormalized',
  'get-utf8',
  'get-vanilla-query-order-encoded',
  'post-sts-header-after',
  'post-x-www-form-urlencoded-parameters',
]

/** A slice of the SigV4a suite: a session token, a body, normalization, a query. */
export const SUITE_SLICE_V4A = ['get-vanilla', 'post-sts-header-after', 'post-x-www-form-urlencoded', 'get-relative-relative-normalized', 'get-vanilla-query-order-key-case']

export function suiteSlice(version = 'v4', names: readonly string[] = SUITE_SLICE): Record<string, Record<string, string>> {
  const { root, cases } = readSuite(version)
  const out: Record<string, Record<string, string>> = {}
  for (const name of names) {
    const files = cases[name]
    if (!files) throw new Error(`SigV4 ${version} suite case ${name} not found under ${root}`)
    out[name] = files
  }
  return out
}

export async function buildSmoke(): Promise<{ dir: string; bundle: string; workerScript: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-edge-runtimes-'))
  const bundle = join(dir, 'smoke.bundle.mjs')
  await build({ entryPoints: ['test/runtimes/smoke.ts'], bundle: true, format: 'esm', platform: 'neutral', outfile: bundle, logLevel: 'silent' })
  copyFileSync('test/runtimes/cli-runner.mjs', join(dir, 'cli-runner.mjs'))
  const worker = await build({
    stdin: {
      contents: "import { smoke } from './test/runtimes/smoke.ts'\nexport default { async fetch(req) { return Response.json(await smoke(await req.json())) } }",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  })
  return { dir, bundle, workerScript: worker.outputFiles[0]?.text ?? '' }
}

export function writeInput(dir: string, input: SmokeInput): string {
  const path = join(dir, 'input.json')
  writeFileSync(path, JSON.stringify(input))
  return path
}

/**
 * A loopback origin for Chromium: `/__smoke/*` serves the page, the bundle and the input; every
 * other request goes to `upstream` unchanged (Host included, so signatures still verify), which
 * keeps the page's IAM calls same-origin (moto sends no CORS headers).
 */
export async function pageServer(files: Record<string, { type: string; body: string }>, upstream: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = files[path]
    if (file) {
      res.writeHead(200, { 'content-type': file.type })
      res.end(file.body)
      return
    }
    const up = request(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers)
      upRes.pipe(res)
    })
    up.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(up)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
