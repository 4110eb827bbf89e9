#!/usr/bin/env node
// npm run build — the published files: every entry bundled by esbuild with code splitting (shared
// code in shared chunks, so a class is one class through every entry), ESM, nothing Node-specific,
// and tsc's .d.ts beside each module. A handful of files instead of one per source module, so Node,
// Deno and Bun import an entry in milliseconds; bundlers still keep only what is imported.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { build } from 'esbuild'

export const ENTRIES = ['src/index.ts', 'src/sigv4/index.ts', 'src/iam/index.ts', 'src/sts/index.ts', 'src/fetch/index.ts', 'src/config/index.ts', 'src/query/xmldom.ts', 'src/cli/run.ts']

rmSync('dist', { recursive: true, force: true })
await build({
  entryPoints: ENTRIES,
  outbase: 'src',
  outdir: 'dist',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  // the CLI's JMESPath package is CommonJS: let the neutral platform read `main`
  mainFields: ['module', 'main'],
  target: 'es2022',
  // node: only in iam-edge/config, the one entry for server runtimes (check-neutral proves the rest)
  external: ['@xmldom/xmldom', 'node:*'],
  sourcemap: true,
  logLevel: 'warning',
})
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit' })
