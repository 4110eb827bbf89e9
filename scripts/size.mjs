#!/usr/bin/env node
// npm run size — min+gzip bytes of browser bundles of iam-edge's entries beside the libraries they
// replace. Builds from dist/ (run `npm run build` first).
// `--check` (in npm test): each published entry, and the combinations the README names, against
// its budget in scripts/size-budgets.json; a bundle over its budget fails with both figures.
import { existsSync, readFileSync } from 'node:fs'
import { relative, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/**
 * min+gzip bytes of what loads at start: the entry and the chunks it imports statically. Code
 * behind a dynamic import() (SigV4a in iam-edge/fetch) is split off, as Vite, Rollup, webpack and
 * esbuild's splitting do, and counted apart as `lazy` (a bundler that does not split, such as
 * wrangler's, inlines it).
 */
async function gzipBytes(contents, platform = 'browser') {
  const out = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    splitting: true,
    outdir: 'size-out',
    metafile: true,
    // the optional peer of iam-edge/xmldom is the user's, not ours
    external: ['@xmldom/xmldom'],
    write: false,
    logLevel: 'silent',
  })
  const files = new Map(out.outputFiles.map((f) => [relative(process.cwd(), f.path).split(sep).join('/'), f.contents]))
  const outputs = out.metafile.outputs
  const entry = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined)
  const startup = new Set()
  const visit = (name) => {
    if (startup.has(name)) return
    startup.add(name)
    for (const i of outputs[name].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path)
  }
  visit(entry)
  let bytes = 0
  let lazy = 0
  for (const [name, contents] of files) {
    if (name.endsWith('.map')) continue
    const gz = gzipSync(contents, { level: 9 }).length
    if (startup.has(name)) bytes += gz
    else lazy += gz
  }
  return { bytes, lazy }
}

/** What npm test holds to a budget: every published entry whole, and the README's combinations. */
const BUDGETED = [
  ['iam-edge/sigv4: signRequest + presignRequest', "export { signRequest, presignRequest } from './dist/sigv4/index.js'"],
  ['iam-edge/fetch: AwsClient + AwsV4Signer', "export { AwsClient, AwsV4Signer } from './dist/fetch/index.js'"],
  ['IamClient + ListUsers + GetRole', "export { IamClient, ListUsers, GetRole } from './dist/iam/index.js'"],
  ['iam-edge (whole)', "export * from './dist/index.js'"],
  ['iam-edge/sigv4 (whole)', "export * from './dist/sigv4/index.js'"],
  ['iam-edge/iam (whole)', "export * from './dist/iam/index.js'"],
  ['iam-edge/sts (whole)', "export * from './dist/sts/index.js'"],
  ['iam-edge/fetch (whole)', "export * from './dist/fetch/index.js'"],
  ['iam-edge/sigv4a (whole, with the signer it builds on)', "export * from './dist/sigv4a/index.js'"],
  ['iam-edge/policy (whole, without the action data)', "export * from './dist/policy/index.js'"],
  ['iam-edge/s3 (whole, with the signer it builds on)', "export * from './dist/s3/index.js'"],
  ['iam-edge/xmldom (whole, without @xmldom/xmldom)', "export * from './dist/query/xmldom.js'"],
  ['iam-edge/config (whole, Node)', "export * from './dist/config/index.js'", 'node'],
]

if (process.argv.includes('--check')) {
  const budgets = JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8'))
  let over = 0
  for (const [name, code, platform] of BUDGETED) {
    const { bytes, lazy } = await gzipBytes(code, platform)
    const budget = budgets[name]
    if (budget === undefined) throw new Error(`size: no budget for "${name}" in scripts/size-budgets.json`)
    const ok = bytes <= budget
    if (!ok) over++
    console.log(`${ok ? '✓' : '✗'} ${name}: ${bytes} B min+gzip (budget ${budget} B)${lazy ? `, + ${lazy} B loaded on demand` : ''}`)
  }
  if (over > 0) {
    console.error(`size: ${over} bundle(s) over budget; shrink them, or raise the budget in scripts/size-budgets.json with the reason in the commit`)
    process.exit(1)
  }
  process.exit(0)
}

const rows = [
  ['iam-edge/sigv4: signRequest + presignRequest', "export { signRequest, presignRequest } from './dist/sigv4/index.js'", 'aws4fetch AwsV4Signer', "export { AwsV4Signer } from 'aws4fetch'"],
  ['iam-edge/sigv4: whole entry (with verifyRequest, Signer)', "export * from './dist/sigv4/index.js'", 'aws4fetch (AwsClient + AwsV4Signer)', "export * from 'aws4fetch'"],
]
rows.push(['iam-edge/sigv4a: signRequestV4a + presignRequestV4a', "export { signRequestV4a, presignRequestV4a } from './dist/sigv4a/index.js'", '@aws-sdk/signature-v4a SignatureV4a', "export { SignatureV4a } from '@aws-sdk/signature-v4a'"])
rows.push(['iam-edge/fetch: AwsClient + AwsV4Signer', "export { AwsClient, AwsV4Signer } from './dist/fetch/index.js'", 'aws4fetch (AwsClient + AwsV4Signer)', "export { AwsClient, AwsV4Signer } from 'aws4fetch'"])
if (existsSync('dist/iam/index.js')) {
  rows.push([
    'IamClient + ListUsers + GetRole',
    "export { IamClient, ListUsers, GetRole } from './dist/iam/index.js'",
    '@aws-sdk/client-iam IAMClient + ListUsersCommand + GetRoleCommand',
    "export { IAMClient, ListUsersCommand, GetRoleCommand } from '@aws-sdk/client-iam'",
  ])
}

console.log('bundle'.padEnd(60), 'min+gz B'.padStart(9), '  reference'.padEnd(68), 'min+gz B'.padStart(9), 'ratio'.padStart(7))
for (const [name, code, refName, refCode] of rows) {
  const { bytes: ours, lazy } = await gzipBytes(code)
  const { bytes: theirs } = await gzipBytes(refCode)
  console.log(name.padEnd(60), String(ours).padStart(9), `  ${refName}`.padEnd(68), String(theirs).padStart(9), (ours / theirs).toFixed(2).padStart(7))
  if (lazy) console.log(`  + ${lazy} B loaded on demand (split off by the bundler)`)
}
