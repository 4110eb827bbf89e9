// The tests that guard the proxy's caller checks, for mutation testing (npm run mutate): the
// Worker in workerd (the workers pool), as in npm test.
import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('..', import.meta.url))

export default defineConfig({
  root,
  plugins: [
    cloudflareTest({
      main: './worker/index.ts',
      miniflare: {
        compatibilityDate: '2026-04-01',
        compatibilityFlags: [],
        durableObjects: { GATE: { className: 'UpstreamGate', useSQLite: true } },
        bindings: {
          IAM_ENDPOINT: 'https://iam.upstream.test',
          STS_ENDPOINT: 'https://sts.upstream.test',
          AWS_ACCESS_KEY_ID: 'AKIAGATEUPSTREAM0001',
          AWS_SECRET_ACCESS_KEY: 'gate-upstream-secret-0123456789',
          PROXY_TOKENS: JSON.stringify({ gate: { sha256: '0'.repeat(64) } }),
        },
      },
    }),
  ],
  test: {
    include: ['test/workers/worker-policy.test.ts', 'test/workers/worker-auth.test.ts', 'test/workers/hostile-corpus.test.ts', 'test/workers/worker-access.test.ts', 'test/workers/worker-config.test.ts'],
  },
})
