// Runs the signing contenders inside workerd (Miniflare), each in the same isolate as the
// WebCrypto floor it is compared with, and returns signatures/s per contender.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'

// the SigV4 contenders and the floor: the three WebCrypto calls no SigV4 signer can skip
export const SIGV4_CONTENDERS = `
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
            // the Headers object is made on first read (about 5 µs in workerd): what a caller pays who sends it
            'iam-edge signRequest, .headers read': async () => (await signRequest(request, { credentials, region: 'us-east-1', service: 'iam' })).headers,
            'iam-edge Signer': () => signer.sign(request),
            'aws4fetch AwsV4Signer': () => new AwsV4Signer({ ...request, ...credentials, service: 'iam', region: 'us-east-1', cache: awsCache }).sign(),
            'crypto floor': async () => {
              await crypto.subtle.digest('SHA-256', enc.encode(request.body))
              await crypto.subtle.digest('SHA-256', enc.encode(canonical))
              await crypto.subtle.sign('HMAC', key, enc.encode(canonical.slice(0, 120)))
            },
          }
        }
`

// the JavaScript side alone: WebCrypto answered at once (resolved promises), so what is left is
// each signer's own work (checks, canonical request, encodes, awaits, hex, the result). Steadier
// than a ratio to the floor (about ±3 % against ±7 %), which makes it the figure to watch when
// changing the signer; the floor's own JavaScript (three encodes, three awaits) is the reference.
export const SIGV4_JS_CONTENDERS = `
        import { Signer, signRequest } from './dist/sigv4/index.js'
        const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
        const request = { method: 'POST', url: 'https://iam.amazonaws.com/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=ListUsers&Version=2010-05-08' }
        const enc = new TextEncoder()
        const canonical = 'POST\\n/\\n\\ncontent-type:' + request.headers['content-type'] + '\\nhost:iam.amazonaws.com\\nx-amz-date:20261122T100000Z\\n\\ncontent-type;host;x-amz-date\\n' + '0'.repeat(64)
        const real = crypto.subtle
        const digest = new Uint8Array(32).buffer
        let key
        const instant = { digest: () => Promise.resolve(digest), sign: () => Promise.resolve(digest), importKey: () => Promise.resolve(key) }
        // the signers read globalThis.crypto.subtle (and encode into their reused buffer, as they do with the real one)
        Object.defineProperty(globalThis, 'crypto', { value: { subtle: instant }, configurable: true })
        async function contenders() {
          key ??= await real.importKey('raw', enc.encode('k'.repeat(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
          const signer = new Signer({ credentials, region: 'us-east-1', service: 'iam' })
          return {
            'iam-edge signRequest': () => signRequest(request, { credentials, region: 'us-east-1', service: 'iam' }),
            'iam-edge Signer': () => signer.sign(request),
            "floor's JavaScript": async () => {
              await instant.digest('SHA-256', enc.encode(request.body))
              await instant.digest('SHA-256', enc.encode(canonical))
              await instant.sign('HMAC', key, enc.encode(canonical.slice(0, 120)))
            },
            // the real floor, which every ratio is taken against (and the calibration needs)
            'crypto floor': async () => {
              await real.digest('SHA-256', enc.encode(request.body))
              await real.digest('SHA-256', enc.encode(canonical))
              await real.sign('HMAC', key, enc.encode(canonical.slice(0, 120)))
            },
          }
        }
`

/**
 * `contenders`: module source defining `async function contenders()`, which answers
 * `{ name: () => Promise }` and includes a 'crypto floor' every rate is divided by.
 */
export async function workerdSignsPerSecond({ seconds = 2, inFlight = 1, rounds = 5, contenders = SIGV4_CONTENDERS } = {}) {
  const bundle = await build({
    stdin: {
      contents: `
${contenders}
        // a fixed number of signatures, no clock inside: workerd's Date.now() advances only across
        // I/O, so the run is timed from outside (Node), around the whole dispatch
        async function runCount(fn, count, inFlight) {
          const per = Math.ceil(count / inFlight)
          const lane = async () => { for (let i = 0; i < per; i++) await fn() }
          await Promise.all(Array.from({ length: inFlight }, lane))
          return per * inFlight
        }
        export default {
          async fetch(req) {
            const u = new URL(req.url)
            const count = Number(u.searchParams.get('count')), inFlight = Number(u.searchParams.get('inFlight')), name = u.searchParams.get('name')
            const fn = (await contenders())[name]
            if (!fn) return Response.json({ names: Object.keys(await contenders()) })
            return Response.json({ count: await runCount(fn, count, inFlight) })
          },
        }`,
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'esm',
    write: false,
    // the browser builds of the SDK's packages (@aws-sdk/signature-v4a's Node builds need node:*)
    platform: 'browser',
  })
  const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: '2026-04-01' })
  try {
    const { names } = await (await mf.dispatchFetch('http://bench/')).json()
    const timed = async (name, count) => {
      const start = performance.now()
      const res = await mf.dispatchFetch(`http://bench/?count=${count}&inFlight=${inFlight}&name=${encodeURIComponent(name)}`)
      const done = (await res.json()).count
      return { done, seconds: (performance.now() - start) / 1000 }
    }
    // what a dispatch costs with no work, taken off every run
    let overhead = Infinity
    for (let i = 0; i < 5; i++) overhead = Math.min(overhead, (await timed(names[0], 0)).seconds)
    // calibrate each, then rounds interleaved across contenders, each figure the median: the
    // machine's noise moves every contender in a round alike, and a single run can be off by 30 %
    const counts = {}
    // one run of each first, untimed: a contender calibrated cold gets a smaller count, and a
    // shorter run pays a larger share of what each dispatch costs before its code is warm
    // (measured: identical contenders listed first came out 0.05-0.07 of the floor lower)
    for (const name of names) await timed(name, 2000)
    for (const name of names) {
      const probe = await timed(name, 2000)
      const rate = probe.done / Math.max(probe.seconds - overhead, 1e-3)
      counts[name] = Math.max(2000, Math.round((rate * seconds) / rounds))
    }
    const rates = Object.fromEntries(names.map((name) => [name, []]))
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        const run = await timed(name, counts[name])
        rates[name].push(run.done / (run.seconds - overhead))
      }
    }
    const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
    // rate per contender, and its ratio to the floor measured in the same round
    const out = { rates: {}, ofFloor: {} }
    for (const name of names) {
      out.ofFloor[name] = median(rates[name].map((rate, round) => rate / rates['crypto floor'][round]))
      out.rates[name] = median(rates[name])
    }
    return out
  } finally {
    await mf.dispose()
  }
}
