#!/usr/bin/env node
// part of npm run bench:sign — SigV4a signatures per second in Node and in workerd, iam-edge's
// signRequestV4a beside @aws-sdk/signature-v4a's SignatureV4a (same request, key cached on both
// sides; in workerd also beside the WebCrypto floor), and the first signature of a new key pair
// (the derivation). Figures only.
import { SignatureV4a } from '@aws-sdk/signature-v4a'
import { Sha256 } from '@aws-crypto/sha256-js'
import { signRequestV4a } from '../../dist/sigv4a/index.js'
import { fmt, measure, table } from './harness.mjs'
import { workerdSignsPerSecond } from './sign-worker.mjs'

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
  rows.push({ where: 'node', signer: name, 'seq /s': fmt(rates[name]) })
}

// workerd: the same two, and the floor, the WebCrypto calls no SigV4a signer can skip (two
// SHA-256 digests and one ECDSA P-256 signature)
const inWorkerd = await workerdSignsPerSecond({
  seconds,
  contenders: `
    import { signRequestV4a } from './dist/sigv4a/index.js'
    import { SignatureV4a } from '@aws-sdk/signature-v4a'
    import { Sha256 } from '@aws-crypto/sha256-js'
    const credentials = ${JSON.stringify(credentials)}
    const request = ${JSON.stringify(request)}
    const sdkRequest = () => (${sdkRequest.toString()})()
    const enc = new TextEncoder()
    const canonical = 'GET\\n/photos/a.jpg\\n\\nhost:mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com\\nx-amz-date:20261122T100000Z\\nx-amz-region-set:*\\n\\nhost;x-amz-date;x-amz-region-set\\n' + '0'.repeat(64)
    async function contenders() {
      const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
      const sdk = new SignatureV4a({ credentials, region: '*', service: 's3', sha256: Sha256 })
      return {
        'iam-edge signRequestV4a': () => signRequestV4a(request, { credentials, service: 's3' }),
        '@aws-sdk/signature-v4a': () => sdk.sign(sdkRequest(), { signingRegion: '*' }),
        'crypto floor': async () => {
          await crypto.subtle.digest('SHA-256', enc.encode(''))
          await crypto.subtle.digest('SHA-256', enc.encode(canonical))
          await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, enc.encode(canonical.slice(0, 120)))
        },
      }
    }`,
})
for (const name of Object.keys(inWorkerd.rates)) rows.push({ where: 'workerd', signer: name, 'seq /s': fmt(inWorkerd.rates[name]) })
let fresh = 0
const first = async () => signRequestV4a(request, { credentials: { accessKeyId: `AKID${fresh++}`, secretAccessKey: 'secret' }, service: 's3', keyCache: false })
const t0 = performance.now()
for (let i = 0; i < 50; i++) await first()
const firstMs = (performance.now() - t0) / 50
console.log(`Node ${process.version}, ${seconds} s per run\n`)
console.log(table(rows, Object.keys(rows[0])))
console.log(`\nNode: signRequestV4a ÷ @aws-sdk/signature-v4a: ${(rates['iam-edge signRequestV4a'] / rates['@aws-sdk/signature-v4a']).toFixed(2)}× (goal > 1×)`)
console.log(`workerd (median of 5 rounds): signRequestV4a ÷ @aws-sdk/signature-v4a: ${(inWorkerd.rates['iam-edge signRequestV4a'] / inWorkerd.rates['@aws-sdk/signature-v4a']).toFixed(2)}×; ÷ the floor ${inWorkerd.ofFloor['iam-edge signRequestV4a'].toFixed(2)}× (the SDK ${inWorkerd.ofFloor['@aws-sdk/signature-v4a'].toFixed(2)}×)`)
console.log(`first signature of a new key pair (derivation included): ${firstMs.toFixed(2)} ms`)
