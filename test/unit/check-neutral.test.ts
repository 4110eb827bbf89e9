import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const run = (...entries: string[]) => spawnSync(process.execPath, ['scripts/check-neutral.mjs', ...entries], { encoding: 'utf8' })

describe('the neutral-platform check', () => {
  it('passes the signer', () => {
    const result = run('src/sigv4/index.ts')
    expect(result.stdout).toContain('✓ src/sigv4/index.ts')
    expect(result.status).toBe(0)
  })

  it('fails a module that imports node:crypto and uses Buffer', () => {
    const result = run('test/fixtures/neutral/leaky.ts')
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('imports node:crypto')
    expect(result.stderr).toContain('uses Node global Buffer')
  })
})
