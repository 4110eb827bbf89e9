// The package as npm users meet it: `npm pack`, installed into a fresh project, every entry imported
// from Node, Deno and Bun, type-checked by TypeScript under `bundler` and `node16` resolution, and
// the `iam-edge` command run from the installed tarball. Needs `npm run build` first (npm test does).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve('.')
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name)
const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string; exports: Record<string, unknown> }
// every public entry but package.json
const ENTRIES = Object.keys(pkg.exports)
  .filter((e) => e !== './package.json')
  .map((e) => (e === '.' ? 'iam-edge' : `iam-edge/${e.slice(2)}`))

let project: string

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'iam-edge-pack-'))
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop() as string
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  // iam-edge has no dependencies: the tarball installs without the registry
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(project, packed)], { cwd: project, stdio: 'pipe' })
  // the optional peer for iam-edge/xmldom, as a user who wants it installs it
  mkdirSync(join(project, 'node_modules', '@xmldom'), { recursive: true })
  symlinkSync(join(ROOT, 'node_modules', '@xmldom', 'xmldom'), join(project, 'node_modules', '@xmldom', 'xmldom'), 'dir')
  const importAll = ENTRIES.map((e, i) => `import * as m${i} from '${e}'`).join('\n')
  writeFileSync(join(project, 'all.mjs'), `${importAll}\nconsole.log(JSON.stringify([${ENTRIES.map((e, i) => `['${e}', Object.keys(m${i}).length]`).join(', ')}]))\n`)
}, 120_000)

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

function exportCounts(command: string, args: string[]): Array<[string, number]> {
  const run = spawnSync(command, args, { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } })
  expect(run.stderr.includes('error') ? run.stderr : '').toBe('')
  expect(run.status).toBe(0)
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Array<[string, number]>
}

describe('the packed package', () => {
  it('ships what the exports map names, a LICENSE, the sources its maps point at, and no tests', () => {
    const files = readdirSync(join(project, 'node_modules', 'iam-edge'))
    expect(files.sort()).toEqual(['LICENSE', 'NOTICE', 'README.md', 'bin', 'dist', 'package.json', 'src'].sort())
  })

  it('has source maps whose every source is a file in the package, so stack traces name real files', () => {
    const installed = join(project, 'node_modules', 'iam-edge')
    const maps = readdirSync(join(installed, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js.map'))
    expect(maps.length).toBeGreaterThan(5)
    const missing: string[] = []
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(installed, 'dist', map), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> }
      for (const [i, source] of sources.entries()) {
        // iam-edge's own code: the file is shipped; code bundled from a dependency (the CLI's YAML
        // and JMESPath readers): its text is in the map
        const shipped = existsSync(resolve(join(installed, 'dist', dirname(map)), source))
        if (source.includes('node_modules/') ? typeof sourcesContent?.[i] !== 'string' : !shipped) missing.push(`${map} → ${source}`)
      }
    }
    expect(missing).toEqual([])
  })

  it.each([
    ['Node', process.execPath, ['all.mjs']],
    ['Bun', bin('bun'), ['all.mjs']],
    ['Deno', bin('deno'), ['run', '--quiet', '--allow-read', '--allow-env', 'all.mjs']],
  ])('imports every entry from %s', (_runtime, command, args) => {
    const counts = exportCounts(command, args)
    expect(counts.map(([e]) => e)).toEqual(ENTRIES)
    for (const [entry, n] of counts) expect([entry, n > 0]).toEqual([entry, true])
  })

  it('signs an S3 Multi-Region Access Point request with SigV4a from the installed package (loaded on demand)', () => {
    writeFileSync(
      join(project, 'mrap.mjs'),
      [
        "import { AwsClient } from 'iam-edge/fetch'",
        "import { verifyRequestV4a } from 'iam-edge/sigv4a'",
        "const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }",
        "const req = await new AwsClient(keys).sign('https://x.mrap.accesspoint.s3-global.amazonaws.com/k')",
        "const ok = await verifyRequestV4a(req, () => keys, { normalizePath: false, singleEncode: true, allowUnsignedPayload: true })",
        "console.log(JSON.stringify([req.headers.get('authorization').split(' ')[0], ok.ok]))",
      ].join('\n'),
    )
    const run = spawnSync(process.execPath, ['mrap.mjs'], { cwd: project, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual(['AWS4-ECDSA-P256-SHA256', true])
  })

  it.each(['bundler', 'node16'])('type-checks a file using each entry under moduleResolution %s', (resolution) => {
    const dir = join(project, `ts-${resolution}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'use.ts'),
      [
        "import { signRequest } from 'iam-edge/sigv4'",
        "import { IamClient, ListUsers } from 'iam-edge/iam'",
        "import { StsClient, GetCallerIdentity } from 'iam-edge/sts'",
        "import { AwsClient } from 'iam-edge/fetch'",
        "import { fromProfile } from 'iam-edge/config'",
        "import { xmldomReader } from 'iam-edge/xmldom'",
        "import { fromEnv, IamError } from 'iam-edge'",
        'const credentials = fromEnv({ AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "secret" })',
        'export const all = [signRequest, new IamClient({ credentials }), ListUsers, new StsClient({ credentials }), GetCallerIdentity, AwsClient, fromProfile, xmldomReader, IamError]',
      ].join('\n'),
    )
    const module = resolution === 'bundler' ? 'preserve' : 'node16'
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], module, moduleResolution: resolution, skipLibCheck: false }, files: ['use.ts'] }),
    )
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' })
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.status).toBe(0)
  })

  it('runs `npx iam-edge --version` from the installed tarball', () => {
    const run = spawnSync('npx', ['--no-install', 'iam-edge', '--version'], { cwd: project, encoding: 'utf8' })
    expect(run.stdout.trim()).toMatch(new RegExp(`^iam-edge/${pkg.version.replace(/\./g, '\\.')} action-data/\\d{4}-\\d{2}-\\d{2} `))
  })
})
