// Every TypeScript block of the README and of docs/*.md type-checks against the package as
// published (its entries mapped to the sources), so the examples users copy compile under strict
// settings.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dir = join('test', '.readme-types')
// what the blocks take from their surroundings: a Deno global, placeholders for user secrets
const PRELUDE = 'declare const Deno: { env: { toObject(): Record<string, string> } }\ndeclare const accessKeyId: string\ndeclare const secretAccessKey: string\n'
const ENTRY = (sub: string) => [`../../src/${sub === '' ? 'index' : `${sub}/index`}.ts`]

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the README', () => {
  const pages = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))]
  const blocks = pages.flatMap((page) => [...readFileSync(page, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string))

  it('has TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3)
  })

  it('type-checks every TypeScript block', () => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const files = blocks.map((code, i) => {
      const file = `block-${i + 1}.ts`
      writeFileSync(join(dir, file), `${PRELUDE}${code}\nexport {}\n`)
      return file
    })
    const paths: Record<string, string[]> = {}
    for (const sub of ['', 'sigv4', 'iam', 'sts', 'fetch', 'config', 'policy', 's3']) {
      const name = sub === '' ? 'iam-edge' : `iam-edge/${sub}`
      paths[name] = ENTRY(sub)
      paths[`npm:${name}`] = ENTRY(sub)
    }
    paths['iam-edge/xmldom'] = ['../../src/query/xmldom.ts']
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: ['node'], paths },
        files,
      }),
    )
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' })
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.status).toBe(0)
  })
})
