// Runs the iam-edge signing loop inside workerd (Miniflare) and returns signatures/s.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'

export async function workerdSignsPerSecond({ seconds = 2, inFlight = 1 } = {}) {
  const bundle = await build({
    stdin: {
      contents: `
        import { Signer } from './dist/sigv4/index.js'
        const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
        const request = { method: 'POST', url: 'https://iam.amazonaws.com/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=ListUsers&Version=2010-05-08' }
        async function runFor(signer, ms, inFlight) {
          let count = 0
          const until = Date.now() + ms
          const lane = async () => { while (Date.now() < until) { for (let i = 0; i < 64; i++) await signer.sign(request); count += 64 } }
          await Promise.all(Array.from({ length: inFlight }, lane))
          return count
        }
        export default {
          async fetch(req) {
            const u = new URL(req.url)
            const ms = Number(u.searchParams.get('ms')), inFlight = Number(u.searchParams.get('inFlight'))
            const signer = new Signer({ credentials, region: 'us-east-1', service: 'iam' })
            await runFor(signer, 300, inFlight)
            // workerd's Date.now() only advances across I/O, so time the run from outside too
            const count = await runFor(signer, ms, inFlight)
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
    const start = performance.now()
    const res = await mf.dispatchFetch(`http://bench/?ms=${seconds * 1000}&inFlight=${inFlight}`)
    const { count } = await res.json()
    const elapsed = (performance.now() - start) / 1000 - 0.3
    return count / elapsed
  } finally {
    await mf.dispose()
  }
}
