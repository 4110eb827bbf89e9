// Serves the AWS SigV4 test suite (vendored under test/fixtures/sigv4/v4) to tests as the virtual module
// `virtual:sigv4-suite`, read from disk when Vite loads it, so the same fixtures reach tests running
// in Node and inside workerd (which has no file system).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Plugin } from 'vite'

const ID = 'virtual:sigv4-suite'
const RESOLVED = `\0${ID}`

/** The repository root: fixtures and models are read from the checkout itself. */
export const repoRoot = resolve(import.meta.dirname, '..', '..')

export function readSuite(): { root: string; cases: Record<string, Record<string, string>> } {
  const root = join(repoRoot, 'test', 'fixtures', 'sigv4', 'v4')
  const cases: Record<string, Record<string, string>> = {}
  if (!existsSync(root)) return { root, cases }
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name)
    if (!statSync(dir).isDirectory()) continue
    const files: Record<string, string> = {}
    for (const file of readdirSync(dir)) files[file] = readFileSync(join(dir, file), 'utf8')
    cases[name] = files
  }
  return { root, cases }
}

export function sigv4SuitePlugin(): Plugin {
  return {
    name: 'iam-edge:sigv4-suite',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? `export default ${JSON.stringify(readSuite())}` : undefined),
  }
}
