#!/usr/bin/env node
// npm run size — min+gzip bytes of browser bundles of iam-edge entry points beside the libraries
// they replace. Builds from dist/ (run `npm run build` first). Figures only.
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

async function gzipBytes(contents) {
  const out = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  return gzipSync(out.outputFiles[0].contents, { level: 9 }).length
}

const rows = [
  ['iam-edge/sigv4: signRequest + presignRequest', "export { signRequest, presignRequest } from './dist/sigv4/index.js'", 'aws4fetch AwsV4Signer', "export { AwsV4Signer } from 'aws4fetch'"],
  ['iam-edge/sigv4: whole entry (with verifyRequest, Signer)', "export * from './dist/sigv4/index.js'", 'aws4fetch (AwsClient + AwsV4Signer)', "export * from 'aws4fetch'"],
]
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
  const ours = await gzipBytes(code)
  const theirs = await gzipBytes(refCode)
  console.log(name.padEnd(60), String(ours).padStart(9), `  ${refName}`.padEnd(68), String(theirs).padStart(9), (ours / theirs).toFixed(2).padStart(7))
}
