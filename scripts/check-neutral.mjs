#!/usr/bin/env node
// Bundles each public entry for --platform=neutral and fails on any `node:` import, bare Node
// built-in, or Node global in the output: the library must run unchanged on Workers, Deno, Bun
// and browsers.
import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { build } from 'esbuild'

const args = process.argv.slice(2)
const entries = args.length > 0 ? args : // iam-edge/config (src/config/index.ts) is the deliberate exception: it reads files and runs
// credential_process on Node, Deno and Bun. Its parsing, resolution and providers are checked here.
['src/sigv4/index.ts', 'src/iam/index.ts', 'src/sts/index.ts', 'src/fetch/index.ts', 'src/policy/index.ts', 'src/index.ts', 'src/config/shared.ts', 'src/config/providers.ts', 'worker/index.ts'].filter((f) => existsSync(f))
const builtins = new Set(builtinModules)
const globals = /\b(Buffer|process|__dirname|__filename|require|global|setImmediate)\b\s*[.(\[]/g
let failed = false

for (const entry of entries) {
  const imports = []
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['worker', 'browser'],
    // the runtime's own modules (the gate's DurableObject base class) are not Node's
    external: ['cloudflare:*'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-node-imports',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            const bare = args.path.replace(/^node:/, '').split('/')[0]
            if (args.path.startsWith('node:') || builtins.has(bare)) {
              imports.push(`${args.path} (from ${args.importer})`)
              return { path: args.path, external: true }
            }
            return undefined
          })
        },
      },
    ],
  })
  const text = result.outputFiles[0].text
  const uses = [...new Set([...text.matchAll(globals)].map((m) => m[1]))]
  if (imports.length > 0 || uses.length > 0) {
    failed = true
    console.error(`✗ ${entry}: ${[...imports.map((i) => `imports ${i}`), ...uses.map((u) => `uses Node global ${u}`)].join('; ')}`)
  } else {
    console.log(`✓ ${entry}: ${text.length} bytes, no Node built-ins or globals`)
  }
}
process.exit(failed ? 1 : 0)
