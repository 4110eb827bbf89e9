#!/usr/bin/env node
// Part of npm run build — the IAM explorer as Workers Static Assets (wrangler.toml [assets]):
// build/explorer/explorer/index.html, its JS and CSS under assets/ named by content hash (cached
// for a year), the trust graph's code (dagre) as a chunk loaded when that view opens, and a
// _headers file: a strict Content-Security-Policy, no framing, no referrer.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const OUT = 'build/explorer'
const ASSETS = join(OUT, 'explorer', 'assets')
// what was built and its sizes (npm run bench:explorer reads them); its time tells --if-stale
const STAMP = 'build/explorer.json'

// `--if-stale` (wrangler.toml's [build] command, run by wrangler dev and deploy): nothing to do
// when the files are newer than every input; several wrangler dev processes may start at once, and
// none should rebuild the directory another one serves
if (process.argv.includes('--if-stale') && existsSync(STAMP)) {
  const inputs = ['explorer', 'scripts/build-explorer.mjs', 'package-lock.json'].flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).map((f) => join(p, f)) : [p]))
  const built = statSync(STAMP).mtimeMs
  if (inputs.every((f) => statSync(f).mtimeMs <= built)) process.exit(0)
}

rmSync(OUT, { recursive: true, force: true })
mkdirSync(ASSETS, { recursive: true })
// the search for paths to admin runs in a worker of its own file; the page learns its hashed name
const worker = await build({
  entryPoints: ['explorer/paths-worker.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outdir: ASSETS,
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
})
const workerFile = basename(Object.keys(worker.metafile.outputs).find((o) => o.endsWith('.js')))
const result = await build({
  define: { __PATHS_WORKER__: JSON.stringify(workerFile) },
  entryPoints: ['explorer/main.ts', 'explorer/styles.css'],
  bundle: true,
  minify: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outdir: ASSETS,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
})

const outputs = result.metafile.outputs
const named = (entry) => Object.keys(outputs).find((o) => outputs[o].entryPoint === entry)
const js = named('explorer/main.ts')
const css = named('explorer/styles.css')
// what the first view loads: the entry, the chunks it imports statically, and the CSS
const first = new Set([css])
const visit = (o) => {
  if (first.has(o)) return
  first.add(o)
  for (const i of outputs[o].imports) if (i.kind === 'import-statement') visit(i.path)
}
visit(js)

writeFileSync(
  join(OUT, 'explorer', 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>IAM explorer</title>
<link rel="stylesheet" href="assets/${basename(css)}">
<script type="module" src="assets/${basename(js)}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The IAM explorer needs JavaScript.</noscript>
</body>
</html>
`,
)

/** The page's security headers: scripts and styles from this origin only, no inline code, no framing. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
writeFileSync(
  join(OUT, '_headers'),
  `/explorer/*
  Content-Security-Policy: ${CSP}
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
  Referrer-Policy: no-referrer
  Cache-Control: no-cache
/explorer/assets/*
  Cache-Control: public, max-age=31536000, immutable
`,
)

let firstBytes = 0
for (const o of first) firstBytes += gzipSync(readFileSync(o), { level: 9 }).length
const lazy = Object.keys(outputs).filter((o) => !first.has(o) && /\.(js|css)$/.test(o))
// each chunk loaded on demand, by what it holds: the trust graph (dagre) and the action data
const chunks = {}
for (const o of lazy) {
  const name = basename(o).replace(/-[A-Z0-9]+\.js$/, '')
  chunks[name] = (chunks[name] ?? 0) + gzipSync(readFileSync(o), { level: 9 }).length
}
chunks['paths-worker'] = gzipSync(readFileSync(join(ASSETS, workerFile)), { level: 9 }).length
const lazyBytes = Object.values(chunks).reduce((n, b) => n + b, 0)
writeFileSync(STAMP, JSON.stringify({ built: new Date().toISOString(), firstViewGzipBytes: firstBytes, onDemandGzipBytes: lazyBytes, chunks }))
console.log(`explorer: first view ${firstBytes} B gzip (JS + CSS); on demand: ${Object.entries(chunks).map(([n, b]) => `${n} ${b} B`).join(', ')} gzip → ${OUT}`)
