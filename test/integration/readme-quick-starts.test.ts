// The README's quick starts run as written against a real moto: the Worker in workerd (Miniflare),
// the audit script in Node, Deno and Bun. The code is taken from the README itself, so an example
// that stops working fails here. Needs `npm run build` (the package entries resolve to dist/).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MotoAccount, requireMoto, startMoto } from '../support/moto.js'

const motoHere = requireMoto(it)

const ROOT = resolve('.')
const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
const workerBlock = blocks.find((b) => b.includes('export default') && b.includes('fromEnv(env)')) as string
const scriptBlock = blocks.find((b) => b.includes('fromProfile') && b.includes('paginateItems')) as string

describe.runIf(motoHere)('the README quick starts, as written', () => {
  let running: MotoAccount
  let dir: string

  beforeAll(async () => {
    running = await startMoto()
    dir = mkdtempSync(join(tmpdir(), 'iam-edge-readme-'))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
    mkdirSync(join(dir, 'node_modules'))
    // the package as installed: this checkout's exports map and dist/
    symlinkSync(ROOT, join(dir, 'node_modules', 'iam-edge'), 'dir')
  }, 60_000)

  afterAll(async () => {
    await running?.moto.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('has both blocks', () => {
    expect(workerBlock).toBeDefined()
    expect(scriptBlock).toBeDefined()
  })

  it('the Worker answers ListRoles, a role and a missing role in workerd', async () => {
    writeFileSync(join(dir, 'worker.ts'), workerBlock)
    const out = await build({ entryPoints: [join(dir, 'worker.ts')], bundle: true, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], write: false, logLevel: 'silent' })
    const { accessKeyId, secretAccessKey } = running.account.credentials
    const mf = new Miniflare({
      modules: true,
      script: out.outputFiles[0]?.text ?? '',
      compatibilityDate: '2026-04-01',
      bindings: { AWS_ACCESS_KEY_ID: accessKeyId as string, AWS_SECRET_ACCESS_KEY: secretAccessKey as string, IAM_ENDPOINT: running.moto.endpoint },
    })
    try {
      const roles = (await (await mf.dispatchFetch('http://localhost/')).json()) as string[]
      expect(roles.sort()).toEqual([...running.account.roles].sort())
      const role = await mf.dispatchFetch(`http://localhost/?role=${running.account.assumableRole}`)
      expect([role.status, ((await role.json()) as { RoleName: string }).RoleName]).toEqual([200, running.account.assumableRole])
      const missing = await mf.dispatchFetch('http://localhost/?role=no-such-role')
      expect([missing.status, await missing.text()]).toEqual([404, 'no role no-such-role'])
    } finally {
      await mf.dispose()
    }
  })

  // the block has no type annotations: Node runs it as JavaScript (audit.mjs), as the README says
  it.each([
    ['Node', process.execPath, 'audit.mjs', (file: string) => ['--no-warnings', file]],
    ['Deno', join(ROOT, 'node_modules/.bin/deno'), 'audit.ts', (file: string) => ['run', '-A', '--quiet', file]],
    ['Bun', join(ROOT, 'node_modules/.bin/bun'), 'audit.ts', (file: string) => [file]],
  ])('the audit script lists every user with its keys under %s', (runtime, command, name, args) => {
    const file = join(dir, name)
    writeFileSync(file, scriptBlock)
    const { accessKeyId, secretAccessKey } = running.account.credentials
    // no ~/.aws here: the chain finds the keys in the environment, the endpoint in AWS_ENDPOINT_URL_IAM
    const home = join(dir, `home-${runtime}`)
    mkdirSync(home, { recursive: true })
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_ACCESS_KEY_ID: accessKeyId as string,
      AWS_SECRET_ACCESS_KEY: secretAccessKey as string,
      AWS_ENDPOINT_URL_IAM: running.moto.endpoint,
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    }
    const run = spawnSync(command, args(file), { cwd: dir, env, encoding: 'utf8', timeout: 60_000 })
    expect(run.stderr).toBe('')
    const lines = run.stdout.trim().split('\n')
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([...running.account.users].sort())
    expect(lines.every((l) => /^\S+ \d{4}-\d\d-\d\dT[\d:.]+Z \d+$/.test(l))).toBe(true)
  })
})
