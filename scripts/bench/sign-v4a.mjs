#!/usr/bin/env node
// npm run bench:sign-v4a — SigV4a signatures per second in Node, iam-edge's signRequestV4a beside
// @aws-sdk/signature-v4a's SignatureV4a (same request, key cached on both sides), and the first
// signature of a new key pair (the derivation). Figures only.
import { SignatureV4a } from '@aws-sdk/signature-v4a'
import { Sha256 } from '@aws-crypto/sha256-js'
import { signRequestV4a } from '../../dist/sigv4a/index.js'
import { fmt, measure, table } from './harness.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const request = { method: 'GET', url: 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/a.jpg' }
const sdk = new SignatureV4a({ credentials, region: '*', service: 's3', sha256: Sha256 })
const sdkRequest = () => ({ method: 'GET', protocol: 'https:', hostname: 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com', path: '/photos/a.jpg', query: {}, headers: { host: 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com' } })
const contenders = {
  'iam-edge signRequestV4a': () => signRequestV4a(request, { credentials, service: 's3' }),
  '@aws-sdk/signature-v4a': () => sdk.sign(sdkRequest(), { signingRegion: '*' }),
}
const rows = []
const rates = {}
for (const [name, fn] of Object.entries(contenders)) {
  await fn()
  rates[name] = await measure(fn, { seconds })
  rows.push({ signer: name, 'seq /s': fmt(rates[name]) })
}
let fresh = 0
const first = async () => signRequestV4a(request, { credentials: { accessKeyId: `AKID${fresh++}`, secretAccessKey: 'secret' }, service: 's3', keyCache: false })
const t0 = performance.now()
for (let i = 0; i < 50; i++) await first()
const firstMs = (performance.now() - t0) / 50
console.log(`Node ${process.version}, ${seconds} s per run\n`)
console.log(table(rows, Object.keys(rows[0])))
console.log(`\nsignRequestV4a ÷ @aws-sdk/signature-v4a: ${(rates['iam-edge signRequestV4a'] / rates['@aws-sdk/signature-v4a']).toFixed(2)}× (goal > 1×)`)
console.log(`first signature of a new key pair (derivation included): ${firstMs.toFixed(2)} ms`)
