// The dependency direction of the source folders: worker/cli → config → iam/sts/credentials → query → sigv4.
// Each folder may import only the folders listed for it; a cycle would need a forbidden edge.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ALLOWED: Record<string, readonly string[]> = {
  'src/sigv4': [],
  'src/sigv4a': ['src/sigv4'],
  'src/query': ['src/sigv4', 'src'],
  'src/fetch': ['src/query', 'src/sigv4a', 'src/s3', 'src/sigv4'],
  // S3 uploads: on the signer only
  'src/s3': ['src/sigv4'],
  'src/iam': ['src/query', 'src/sigv4'],
  'src/sts': ['src/query', 'src/sigv4'],
  'src/credentials': ['src/sts', 'src/query', 'src/sigv4'],
  'src/config': ['src/credentials', 'src/sts', 'src/query', 'src/sigv4'],
  // the evaluator: IAM's types only (its imports of src/iam are `import type`, checked below)
  'src/policy': ['src/iam'],
  'src/cli': ['src/iam', 'src/sts', 'src/config', 'src/credentials', 'src/query', 'src/sigv4', 'src/policy', 'src'],
  worker: ['src/iam', 'src/sts', 'src/credentials', 'src/query', 'src/sigv4a', 'src/sigv4', 'src'],
  // the explorer page: the evaluator, through its public entry
  explorer: ['src/policy'],
}

// static imports and re-exports, and import('…') on demand
const IMPORT = /^(?:import|export)\b[^'"]*from '(\.[^']+)'|\bimport\('(\.[^']+)'\)/gm

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** The folder of ALLOWED a file belongs to ('src' for the top-level version.ts). */
function folderOf(file: string): string {
  const rel = relative('.', file)
  return Object.keys(ALLOWED).find((f) => rel.startsWith(`${f}/`)) ?? 'src'
}

describe('folder dependencies', () => {
  it('leave src/policy with IAM’s types only: every import of src/iam is type-only', () => {
    const bad: string[] = []
    for (const file of files('src/policy')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(import|export)\b([^'"]*)from '(\.[^']+)'/gm)) {
        const target = folderOf(resolve(dirname(file), m[3] as string))
        if (target === 'src/iam' && !/^(import|export) type\b/.test(m[0])) bad.push(`${relative('.', file)} → ${m[3]}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('point one way only', () => {
    const bad: string[] = []
    for (const folder of Object.keys(ALLOWED)) {
      for (const file of files(folder)) {
        for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
          const spec = (m[1] ?? m[2]) as string
          const target = folderOf(resolve(dirname(file), spec))
          if (target !== folder && !(ALLOWED[folder] as readonly string[]).includes(target)) bad.push(`${relative('.', file)} → ${spec}`)
        }
      }
    }
    expect(bad).toEqual([])
  })

  it('bring the Worker the library through its public entries only', () => {
    const entries = new Set(['src/index.ts', 'src/sigv4/index.ts', 'src/sigv4a/index.ts', 'src/iam/index.ts', 'src/sts/index.ts'])
    const bad: string[] = []
    for (const file of files('worker')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^'"]*from '(\.[^']+)'/gm)) {
        const target = relative('.', resolve(dirname(file), m[1] as string)).replace(/\.js$/, '.ts')
        if (target.startsWith('src/') && !entries.has(target)) bad.push(`${relative('.', file)} → ${m[1]}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('leave no import circle inside a folder, not even one held by types only', () => {
    // every module's imports of the same tree (type-only ones too), then strongly connected components
    const graph = new Map<string, string[]>()
    const all = ['src', 'worker', 'explorer'].flatMap((d) => files(d)).filter((f) => !f.includes('/generated/'))
    const known = new Set(all.map((f) => resolve(f)))
    for (const file of all) {
      const deps = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(file), (m[1] ?? m[2]) as string).replace(/\.js$/, '.ts')).filter((d) => known.has(d))
      graph.set(resolve(file), deps)
    }
    let next = 0
    const index = new Map<string, number>()
    const low = new Map<string, number>()
    const stack: string[] = []
    const onStack = new Set<string>()
    const circles: string[][] = []
    const visit = (v: string) => {
      index.set(v, next)
      low.set(v, next++)
      stack.push(v)
      onStack.add(v)
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w)
          low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
      }
      if (low.get(v) !== index.get(v)) return
      const circle: string[] = []
      let w: string
      do {
        w = stack.pop() as string
        onStack.delete(w)
        circle.push(relative('.', w))
      } while (w !== v)
      if (circle.length > 1) circles.push(circle.sort())
    }
    for (const v of graph.keys()) if (!index.has(v)) visit(v)
    expect(circles).toEqual([])
  })
})
