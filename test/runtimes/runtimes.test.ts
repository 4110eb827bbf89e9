// The same smoke test (SigV4 and SigV4a suite slices, AwsClient SigV4a, IAM against moto) on Node,
// workerd, Deno, Bun and headless Chromium; the Chromium page also
// calls the proxy's JSON facade from another origin (CORS).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { pathToFileURL } from 'node:url'
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { Miniflare } from 'miniflare'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/moto/start.mjs'
import { startProxyStack } from '../../scripts/proxy-stack.mjs'
import { type MotoAccount, motoRequirement, startMoto } from '../support/moto.js'
import { buildSmoke, CHROMIUM, CHROMIUM_ARGS, pageServer, SUITE_SLICE_V4A, suiteSlice, writeInput } from './harness.js'
import type { S3Smoke, SmokeInput, SmokeResult } from './smoke.js'
import { presignPost } from '../../src/s3/index.js'

const ci = Boolean(process.env.CI)
const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
for (const [name, path] of [['deno', 'node_modules/.bin/deno'], ['bun', 'node_modules/.bin/bun'], ['chromium', CHROMIUM]] as const) {
  if (!existsSync(path)) {
    const message = `${name} not found at ${path} (${name === 'chromium' ? 'apt-get install -y chromium' : 'npm ci installs it'})`
    if (ci) throw new Error(message)
    console.warn(`skipping the ${name} run: ${message}`)
  }
}

describe.skipIf(!requirement.available)('every runtime runs the smoke test', () => {
  let ctx: MotoAccount
  let built: Awaited<ReturnType<typeof buildSmoke>>
  let input: SmokeInput
  let inputPath: string
  let s3: S3Smoke
  const expectedRoles = () => [...ctx.account.roles].sort()

  beforeAll(async () => {
    ;[ctx, built] = await Promise.all([startMoto(), buildSmoke()])
    input = { endpoint: ctx.moto.endpoint, credentials: ctx.account.credentials, cases: suiteSlice(), casesV4a: suiteSlice('v4a', SUITE_SLICE_V4A) }
    inputPath = writeInput(built.dir, input)
    // what every runtime must give: AWS's documented values, Node's own checksums, Node's presigned POST
    const hello = Buffer.from('hello world')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(hello))
    const post = await presignPost({ credentials: input.credentials, region: 'us-east-1', bucket: 'uploads', key: { startsWith: 'users/42/' }, contentLengthRange: [1, 5_000_000], date: new Date(Date.UTC(2026, 11, 1)), expiresIn: 900 })
    s3 = {
      documented: {
        seed: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
        chunks: ['b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2', '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7', '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992'],
        trailer: ['x-amz-checksum-crc32c:sOO8/Q==', 'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435'],
      },
      // CRC32C of 'hello world' is 0xc99465aa (RFC 3720's polynomial; no Node built-in computes it)
      checksums: { crc32: crc.toString('base64'), crc32c: Buffer.from('c99465aa', 'hex').toString('base64'), sha256: createHash('sha256').update(hello).digest('base64') },
      post: { url: post.url, fields: post.fields },
      streamed: { contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', encoding: 'aws-chunked', trailer: 'x-amz-checksum-crc32', body: `b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:${crc.toString('base64')}\r\n\r\n` },
    }
  }, 120_000)
  afterAll(async () => {
    await ctx?.moto.stop()
  })

  const check = (result: SmokeResult, runtime: string) => {
    expect(result.runtime).toBe(runtime)
    expect(result.signing).toEqual({ cases: 8, passed: 8, failures: [] })
    expect(result.concurrent).toEqual({ passed: 32, failures: [] })
    expect(result.sigv4a).toEqual({ cases: SUITE_SLICE_V4A.length, passed: SUITE_SLICE_V4A.length, failures: [] })
    expect(result.sigv4aFetch).toEqual({ algorithm: 'AWS4-ECDSA-P256-SHA256', regionSet: '*', verified: true })
    expect(result.roles.pages).toBeGreaterThanOrEqual(3)
    expect([...result.roles.names].sort()).toEqual(expectedRoles())
    expect(result.missingRole).toEqual({ name: 'NoSuchEntityException', code: 'NoSuchEntity' })
    // the seeded account: alice is admin; deploy-bot, bob and ec2-web can become admin (through ec2-web's self-attach)
    const arn = (kind: string, name: string, path = '/') => `arn:aws:iam::${ctx.account.accountId}:${kind}${path}${name}`
    expect(result.policy.admins).toEqual([arn('user', ctx.account.adminUser)])
    expect(result.policy.escalating).toEqual([arn('role', 'ec2-web'), arn('user', 'bob', '/engineering/'), arn('user', 'deploy-bot', '/service/')].sort())
    expect(result.policy.actions).toBeGreaterThan(20_000)
    expect(result.s3).toEqual(s3)
  }

  it('on Node', async () => {
    const { smoke } = (await import(pathToFileURL(built.bundle).href)) as { smoke: (i: SmokeInput) => Promise<SmokeResult> }
    check(await smoke(input), 'node')
  })

  it('on workerd (Miniflare)', async () => {
    const mf = new Miniflare({ modules: true, script: built.workerScript, compatibilityDate: '2026-04-01' })
    try {
      const res = await mf.dispatchFetch('http://smoke/', { method: 'POST', body: JSON.stringify(input) })
      check((await res.json()) as SmokeResult, 'workerd')
    } finally {
      await mf.dispose()
    }
  })

  it.skipIf(!existsSync('node_modules/.bin/deno'))('on Deno', () => {
    const run = spawnSync('node_modules/.bin/deno', ['run', '--allow-net', '--allow-read', `${built.dir}/cli-runner.mjs`, inputPath], { encoding: 'utf8', timeout: 60_000 })
    expect(run.stderr).toBe('')
    check(JSON.parse(run.stdout) as SmokeResult, 'deno')
  })

  it.skipIf(!existsSync('node_modules/.bin/bun'))('on Bun', () => {
    const run = spawnSync('node_modules/.bin/bun', [`${built.dir}/cli-runner.mjs`, inputPath], { encoding: 'utf8', timeout: 60_000 })
    expect(run.status).toBe(0)
    check(JSON.parse(run.stdout) as SmokeResult, 'bun')
  })

  it.skipIf(!existsSync(CHROMIUM))(
    'in headless Chromium, and across origins to the proxy',
    async () => {
      const port = await freePort()
      const origin = `http://127.0.0.1:${port}`
      const stack = await startProxyStack({ vars: { CORS_ORIGINS: origin } })
      let server: Server | undefined
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
      try {
        const page = `<!doctype html><script type="module">
          import { smoke } from '/__smoke/smoke.js'
          const input = await (await fetch('/__smoke/input.json')).json()
          let proxy
          try {
            const res = await fetch(${JSON.stringify(`${stack.url}/iam/ListRoles?all=1`)}, { headers: { authorization: 'Bearer ${stack.token}' } })
            proxy = { status: res.status, cache: res.headers.get('x-cache'), roles: (await res.json()).Roles.map((r) => r.RoleName) }
          } catch (e) { proxy = { error: String(e) } }
          window.__result = { smoke: await smoke({ ...input, endpoint: location.origin }), proxy }
        </script>`
        server = await pageServer(
          {
            '/__smoke/': { type: 'text/html', body: page },
            '/__smoke/smoke.js': { type: 'text/javascript', body: readFileSync(built.bundle, 'utf8') },
            '/__smoke/input.json': { type: 'application/json', body: JSON.stringify(input) },
          },
          ctx.moto.endpoint,
          port,
        )
        const tab = await browser.newPage()
        const errors: string[] = []
        tab.on('pageerror', (e) => errors.push(String(e)))
        await tab.goto(`${origin}/__smoke/`)
        const result = (await tab.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, { timeout: 60_000 }).then((h) => h.jsonValue())) as {
          smoke: SmokeResult
          proxy: { status: number; cache: string; roles: string[] }
        }
        expect(errors).toEqual([])
        check(result.smoke, 'browser')
        expect(result.proxy.status).toBe(200)
        expect(result.proxy.roles.sort()).toEqual([...stack.account.roles].sort())
      } finally {
        await browser.close()
        server?.close()
        await stack.stop()
      }
    },
    180_000,
  )
})
