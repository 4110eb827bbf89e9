#!/usr/bin/env node
// npm run build — the published files: one ESM file per layer of the library, each bundled by
// esbuild with the other layers left as imports, and tsc's .d.ts beside each module.
//
// Why layers and not esbuild's code splitting: splitting cuts shared code into a chunk per set of
// entries that share it, and Node pays about 1.5 ms per file on a cold import (`iam-edge/iam` came
// to nine files). A layer is one file, and every class lives in exactly one of them, so an IamError
// thrown via `iam-edge/iam` is the one `iam-edge` exports. Layers import only downwards (the
// dependency direction of src/), so no file waits on one that waits on it.
//   sigv4 ← sigv4a;  sigv4 ← query (with the IAM/STS client classes) ← iam, sts (operations) ← credentials ← config
//   ← cli;  fetch ← query;  root ← all
// Bundlers still see plain ESM with top-level exports and keep only what is imported.
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { build } from 'esbuild'

const SRC = resolve('src')

/**
 * Each layer: the files it owns (a test on the path below src/) and the file it becomes. A layer
 * that is also a public entry lists what it exports (`exports`: a module, or `module#name,name`):
 * that entry plus what other layers import, not every internal. IAM's ~400 shape descriptors as
 * exports cost ~1.5 ms of a cold import, and internals exported at run time would read as API.
 */
const LAYERS = [
  {
    name: 'sigv4',
    owns: (p) => p.startsWith('sigv4/'),
    out: 'dist/sigv4/index.js',
    // the public entry, and the five internals the query, fetch and config layers use
    exports: [
      'sigv4/index.ts',
      'sigv4/sign.ts#CONTENT_SHA256,payloadHash,sign',
      'sigv4/read-body.ts#readCapped',
      'sigv4/crypto.ts#utf8,defaultSubtle,sha256Hex',
      'sigv4/canonical.ts#uriEscape,check',
      'sigv4/verify.ts#verifyAs',
    ],
  },
  // SigV4a: its own entry on top of the signer, so SigV4 users never load it
  { name: 'sigv4a', owns: (p) => p.startsWith('sigv4a/'), out: 'dist/sigv4a/index.js', exports: ['sigv4a/index.ts'] },
  { name: 'xmldom', owns: (p) => p === 'query/xmldom.ts', out: 'dist/query/xmldom.js' },
  // the core: the Query client, and the IAM and STS client classes and errors (small), so the root
  // entry reaches IamClient without loading the 176 IAM operations
  { name: 'query', owns: (p) => p.startsWith('query/') || p === 'version.ts' || /^(iam|sts)\/(client|errors|generated\/error-codes)\.ts$/.test(p), out: 'dist/chunks/query.js' },
  { name: 'iam', owns: (p) => p.startsWith('iam/'), out: 'dist/iam/index.js', exports: ['iam/index.ts', 'iam/generated/registry.ts'] },
  { name: 'sts', owns: (p) => p.startsWith('sts/'), out: 'dist/sts/index.js', exports: ['sts/index.ts', 'sts/generated/registry.ts'] },
  { name: 'credentials', owns: (p) => p.startsWith('credentials/'), out: 'dist/chunks/credentials.js' },
  // what iam-edge/fetch imports on demand for SigV4a, self-contained (its own copy of the signer):
  // bundlers split code by module, so an import of the sigv4a layer would move the shared signer
  // into a chunk of its own and make every AwsClient user's start-up larger
  { name: 'fetch-sigv4a', owns: (p) => p === 'fetch/sigv4a.ts', out: 'dist/fetch/sigv4a.js', inlines: ['sigv4', 'sigv4a'] },
  // likewise for S3 uploads (chunked streams, checksums)
  { name: 'fetch-s3', owns: (p) => p === 'fetch/s3.ts', out: 'dist/fetch/s3.js', inlines: ['sigv4', 's3'] },
  { name: 'fetch', owns: (p) => p.startsWith('fetch/'), out: 'dist/fetch/index.js' },
  // S3 uploads on top of the signer: presigned POST, chunked streaming signatures, checksums
  { name: 's3', owns: (p) => p.startsWith('s3/'), out: 'dist/s3/index.js', exports: ['s3/index.ts'] },
  { name: 'config', owns: (p) => p.startsWith('config/'), out: 'dist/config/index.js' },
  // the action data (about 200 KB gzip): a file of its own, which the policy layer imports on demand
  { name: 'policy-data', owns: (p) => p === 'policy/generated/action-data.ts', out: 'dist/policy/action-data.js', exports: ['policy/generated/action-data.ts#default'] },
  // policy evaluation: pure code over IAM's types only (its imports of iam/ are type-only)
  { name: 'policy', owns: (p) => p.startsWith('policy/'), out: 'dist/policy/index.js', exports: ['policy/index.ts'] },
  { name: 'cli', owns: (p) => p.startsWith('cli/'), out: 'dist/cli/run.js', entry: 'src/cli/run.ts' },
  { name: 'root', owns: (p) => p === 'index.ts', out: 'dist/index.js', entry: 'src/index.ts' },
]

/** The public entries (package.json "exports"); the runtime and bundle checks use this list. */
export const ENTRIES = ['src/index.ts', 'src/sigv4/index.ts', 'src/sigv4a/index.ts', 'src/iam/index.ts', 'src/sts/index.ts', 'src/fetch/index.ts', 'src/config/index.ts', 'src/query/xmldom.ts', 'src/policy/index.ts', 'src/s3/index.ts', 'src/cli/run.ts']

const srcPath = (file) => relative(SRC, file).split(sep).join('/')
const layerOf = (file) => {
  const path = srcPath(file)
  const layer = LAYERS.find((l) => l.owns(path))
  if (!layer) throw new Error(`build: ${path} belongs to no layer`)
  return layer
}

function filesOf(layer) {
  const out = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (full.endsWith('.ts') && !full.endsWith('.d.ts') && layerOf(full) === layer) out.push(full)
    }
  }
  walk(SRC)
  return out.sort()
}

/** Imports of another layer's file become imports of that layer's output. */
function layerBoundary(layer) {
  return {
    name: 'layer-boundary',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === 'inner' || !args.importer.startsWith(SRC)) return undefined
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'inner' })
        if (resolved.errors.length > 0 || !resolved.path.startsWith(SRC)) return resolved
        const target = layerOf(resolved.path)
        if (target === layer || layer.inlines?.includes(target.name)) return { path: resolved.path }
        const from = dirname(resolve(layer.out))
        const path = relative(from, resolve(target.out)).split(sep).join('/')
        return { path: path.startsWith('.') ? path : `./${path}`, external: true }
      })
    },
  }
}

const common = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // the CLI's JMESPath package is CommonJS: let the neutral platform read `main`
  mainFields: ['module', 'main'],
  target: 'es2022',
  // node: only in iam-edge/config, the one entry for server runtimes (check-neutral proves the rest)
  external: ['@xmldom/xmldom', 'node:*'],
  sourcemap: true,
  logLevel: 'warning',
}

rmSync('dist', { recursive: true, force: true })
await Promise.all(
  LAYERS.map((layer) => {
    const plugins = [layerBoundary(layer)]
    if (layer.entry) {
      // the CLI splits off what it loads lazily (the yaml writer): outdir and splitting
      return build({ ...common, plugins, entryPoints: [layer.entry], outdir: dirname(layer.out), entryNames: '[name]', chunkNames: 'lazy-[name]-[hash]', splitting: true })
    }
    // every export of every module of the layer (other layers import internals from it), or the
    // modules it names; an import of anything else fails when Node links the importing layer
    const modules = layer.exports ?? filesOf(layer).map(srcPath)
    const contents = modules
      .map((entry) => {
        const [path, names] = entry.split('#')
        return `export ${names ? `{ ${names.split(',').join(', ')} }` : '*'} from ${JSON.stringify(`./${path}`)}`
      })
      .join('\n')
    return build({ ...common, plugins, stdin: { contents, resolveDir: SRC, loader: 'ts', sourcefile: `${layer.name}-layer.ts` }, outfile: layer.out })
  }),
)
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit' })
