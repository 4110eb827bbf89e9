// The simulated locations of `npm run bench:scale` and `npm run soak`: scripts/bench/scale-worker.ts
// bundled as `wrangler deploy` bundles a Worker, in one Miniflare with the gate bound, upstream
// answered by `outboundService` (a function in this process).
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
let script

const quiet = (stdout, stderr) => {
  stdout.resume()
  stderr.resume()
}

export async function startLocations({ bindings, outboundService, handleRuntimeStdio = quiet, inspectorPort }) {
  script ??= (
    await build({
      entryPoints: ['scripts/bench/scale-worker.ts'],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      external: ['cloudflare:*'],
      write: false,
      logLevel: 'silent',
      conditions: ['workerd', 'worker', 'browser'],
    })
  ).outputFiles[0].text
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-04-01',
    durableObjects: { GATE: { className: 'UpstreamGate', useSQLite: true } },
    bindings: { IAM_ENDPOINT: 'https://iam.fake.test', STS_ENDPOINT: 'https://sts.fake.test', ...bindings },
    outboundService,
    handleRuntimeStdio,
    ...(inspectorPort === undefined ? {} : { inspectorPort }),
  })
  await mf.ready
  return mf
}
