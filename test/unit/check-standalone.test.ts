import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const run = (dir: string) => spawnSync(process.execPath, ['scripts/check-standalone.mjs', dir], { encoding: 'utf8' })
const dirs: string[] = []
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'standalone-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  spawnSync('git', ['init', '-q'], { cwd: dir })
  spawnSync('git', ['add', '-A'], { cwd: dir })
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the stand-alone check', () => {
  it('passes this repository', () => {
    const result = run('.')
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('fails a tracked file that reads the sibling reference folder or a machine path', () => {
    const up = ['..', 'shared'].join('/')
    const dir = repoWith({
      'a.ts': `const models = '${up}/models'\n`,
      'b.mjs': `ok\nconst p = '/${'work'}/x/y'\n`,
      'c.md': 'nothing here\n',
    })
    const result = run(dir)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`a.ts:1: mentions "${up}"`)
    expect(result.stderr).toContain(`b.mjs:2: mentions "/${'work'}/"`)
    expect(result.stderr).not.toContain('c.md')
  })
})
