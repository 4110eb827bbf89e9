// Runs the signing contenders inside workerd (Miniflare), each in the same isolate as the
// WebCrypto floor it is compared with, and returns signatures/s per contender.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'

export async function workerdSignsPerSecond({ seconds = 2, inFlight = 1 } = {}) {
  const bundle = await build({
    stdin: {
      contents: `
        import { Signer, signRequest } from './dist/sigv4/index.js'
        import { AwsV4Signer } from 'aws4fetch'
        const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
        const request = { method: 'POST', url: 'https://iam.amazonaws.com/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=ListUsers&Version=2010-05-08' }
        const enc = new TextEncoder()
        const canonical = 'POST\\n/\\n\\ncontent-type:' + request.headers['content-type'] + '\\nhost:iam.amazonaws.com\\nx-amz-date:20261122T100000Z\\n\\ncontent-type;host;x-amz-date\\n' + '0'.repeat(64)
        async function contenders() {
          const key = await crypto.subtle.importKey('raw', enc.encode('k'.repeat(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
          const signer = new Signer({ credentials, region: 'us-east-1', service: 'iam' })
          const awsCache = new Map()
          return {
            'iam-edge signRequest': () => signRequest(request, { credentials, region: 'us-east-1', service: 'iam' }),
            'iam-edge Signer': () => signer.sign(request),
            'aws4fetch AwsV4Signer': () => new AwsV4Signer({ ...request, ...credentials, service: 'iam', region: 'us-east-1', cache: awsCache }).sign(),
            'crypto floor': async () => {
              await crypto.subtle.digest('SHA-256', enc.encode(request.body))
              await crypto.subtle.digest('SHA-256', enc.encode(canonical))
              await crypto.subtle.sign('HMAC', key, enc.encode(canonical.slice(0, 120)))
            },
          }
        }
        async function runFor(fn, ms, inFlight) {
          let count = 0
          const until = Date.now() + ms
          const lane = async () => { while (Date.now() < until) { for (let i = 0; i < 64; i++) await fn(); count += 64 } }
          await Promise.all(Array.from({ length: inFlight }, lane))
          return count
        }
        export default {
          async fetch(req) {
            const u = new URL(req.url)
            const ms = Number(u.searchParams.get('ms')), inFlight = Number(u.searchParams.get('inFlight')), name = u.searchParams.get('name')
            const fn = (await contenders())[name]
            if (!fn) return Response.json({ names: Object.keys(await contenders()) })
            await runFor(fn, 300, inFlight)
            // workerd's Date.now() only advances across I/O, so time the run from outside too
            const count = await runFor(fn, ms, inFlight)
            return Response.json({ count })
          },
        }`,
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'neutral',
  })
  const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: '2026-04-01' })
  try {
    const { names } = await (await mf.dispatchFetch('http://bench/')).json()
    const out = {}
    for (const name of names) {
      const start = performance.now()
      const res = await mf.dispatchFetch(`http://bench/?ms=${seconds * 1000}&inFlight=${inFlight}&name=${encodeURIComponent(name)}`)
      const { count } = await res.json()
      out[name] = count / ((performance.now() - start) / 1000 - 0.3)
    }
    return out
  } finally {
    await mf.dispose()
  }
}
