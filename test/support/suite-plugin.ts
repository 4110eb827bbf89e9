// Serves the AWS SigV4 test suite (../shared/testdata/sigv4/v4) to tests as the virtual module
// `virtual:sigv4-suite`, read from disk when Vite loads it, so the same fixtures reach tests running
// in Node and inside workerd (which has no file system).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Plugin } from 'vite'

const ID = 'virtual:sigv4-suite'
const RESOLVED = `\0${ID}`

/**
 * The shared fixtures (SigV4 suite, models): IAM_EDGE_SHARED, else `shared` beside the checkout,
 * else this workplace's /work/shared (a clean clone elsewhere still finds them).
 */
export function sharedDir(): string {
  if (process.env.IAM_EDGE_SHARED) return resolve(process.env.IAM_EDGE_SHARED)
  const candidates = [join(import.meta.dirname, '..', '..', '..', 'shared'), '/work/shared']
  return resolve(candidates.find((dir) => existsSync(join(dir, 'testdata'))) ?? (candidates[0] as string))
}

export function readSuite(): { root: string; cases: Record<string, Record<string, string>> } {
  const root = join(sharedDir(), 'testdata', 'sigv4', 'v4')
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
