// The Manifest V3 example loaded into headless Chromium: its service worker lists IAM users through
// a running proxy (wrangler dev + moto), signing with a proxy-issued key pair.
import { cpSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { startProxyStack } from '../../scripts/proxy-stack.mjs'
import { motoRequirement } from '../support/moto.js'
import { CHROMIUM, CHROMIUM_ARGS } from './harness.js'

const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM} (apt-get install -y chromium)`)

describe.skipIf(!requirement.available || !existsSync(CHROMIUM))('the browser-extension example', () => {
  it(
    'lists users through the proxy from its service worker',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'iam-edge-extension-'))
      cpSync('examples/extension', dir, { recursive: true })
      await build({ entryPoints: ['src/iam/index.ts'], bundle: true, format: 'esm', platform: 'browser', minify: true, outfile: join(dir, 'lib', 'iam-edge.js'), logLevel: 'silent' })
      const stack = await startProxyStack()
      const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'iam-edge-profile-')), {
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
      })
      try {
        const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }))
        expect(worker.url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\/service-worker\.js$/)
        const users = await worker.evaluate(
          ({ url, key }) => (self as unknown as { iamEdge: { listUsers: (u: string, k: unknown) => Promise<string[]> } }).iamEdge.listUsers(url, key),
          { url: stack.url, key: stack.key },
        )
        expect([...users].sort()).toEqual([...stack.account.users].sort())
      } finally {
        await context.close()
        await stack.stop()
      }
    },
    180_000,
  )
})
