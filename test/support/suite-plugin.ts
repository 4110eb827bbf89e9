// Serves the AWS SigV4 and SigV4a test suites (vendored under test/fixtures/sigv4/v4 and v4a) to
// tests as the virtual modules `virtual:sigv4-suite` and `virtual:sigv4a-suite`, read from disk when Vite loads it, so the same fixtures reach tests running
// in Node and inside workerd (which has no file system).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Plugin } from 'vite'

const SUITES: Record<string, string> = { 'virtual:sigv4-suite': 'v4', 'virtual:sigv4a-suite': 'v4a' }

/** The repository root: fixtures and models are read from the checkout itself. */
export const repoRoot = resolve(import.meta.dirname, '..', '..')

export function readSuite(version = 'v4'): { root: string; cases: Record<string, Record<string, string>> } {
  const root = join(repoRoot, 'test', 'fixtures', 'sigv4', version)
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
    resolveId: (id) => (id in SUITES ? `\0${id}` : undefined),
    load: (id) => {
      const version = id.startsWith('\0') ? SUITES[id.slice(1)] : undefined
      return version ? `export default ${JSON.stringify(readSuite(version))}` : undefined
    },
  }
}
