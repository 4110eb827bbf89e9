#!/usr/bin/env node
// node scripts/check-standalone.mjs [DIR]
// The repository must stand alone: no tracked file may point at a sibling folder of the checkout
// (the team reference folder) or at an absolute path of one machine (a home or work directory). Exits 1 listing each hit.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dir = resolve(process.argv[2] ?? '.')
// Built from parts so this file does not match itself.
const patterns = [
  ['..', 'shared'].join('/'),
  ...['work', 'home', 'root', 'Users', 'mnt/data'].map((d) => `/${d}/`),
  'C:\\Users\\',
]
const files = execFileSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean)
const hits = []
for (const file of files) {
  let text
  try {
    text = readFileSync(join(dir, file), 'utf8')
  } catch {
    continue // listed but deleted in the work tree
  }
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    for (const p of patterns) if (line.includes(p)) hits.push(`${file}:${i + 1}: mentions ${JSON.stringify(p)}`)
  })
}
if (hits.length > 0) {
  console.error(`check-standalone: ${hits.length} reference(s) outside the repository:\n  ${hits.join('\n  ')}`)
  process.exit(1)
}
console.log(`check-standalone: ${files.length} tracked files, none reaches outside the repository`)
