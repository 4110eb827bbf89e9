#!/usr/bin/env node
// npm run codegen [-- --models DIR] [--out DIR] [--check]
// Writes src/{iam,sts}/generated from the vendored botocore models in models/ (or --models DIR). --check writes nothing and fails when the committed output is stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { emitService } from './emit.mjs'
import { loadModel, SERVICES } from './model.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(name)
  return i === -1 ? undefined : args[i + 1]
}
const modelsDir = resolve(option('--models') ?? join(root, 'models'))
const outRoot = resolve(option('--out') ?? join(root, 'src'))
const check = args.includes('--check')

if (!existsSync(modelsDir)) {
  console.error(`codegen: no models at ${modelsDir} (pass --models DIR)`)
  process.exit(2)
}

const listFiles = (dir, base = dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)]))
    : []

let stale = []
for (const id of Object.keys(SERVICES)) {
  const files = emitService(loadModel(modelsDir, id))
  const dir = join(outRoot, id, 'generated')
  if (check) {
    const present = new Set(listFiles(dir))
    for (const [file, text] of Object.entries(files)) {
      if (!present.has(file) || readFileSync(join(dir, file), 'utf8') !== text) stale.push(join(id, 'generated', file))
      present.delete(file)
    }
    stale.push(...[...present].map((f) => `${join(id, 'generated', f)} (not generated any more)`))
    continue
  }
  rmSync(dir, { recursive: true, force: true })
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  const ops = Object.keys(files).filter((f) => f.startsWith('operations/') && f !== 'operations/index.ts').length
  console.log(`codegen: ${id}: ${ops} operations → ${dir}`)
}
if (check) {
  if (stale.length > 0) {
    console.error(`codegen: generated code is stale against ${modelsDir}; run npm run codegen:\n  ${stale.join('\n  ')}`)
    process.exit(1)
  }
  console.log('codegen: generated code matches the models')
}
