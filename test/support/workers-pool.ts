// The workers pool as npm test and the mutation run (stryker/) both use it: the Worker's module
// in workerd, with its gate Durable Object in the tests' isolate.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'

export function workersPool(): ReturnType<typeof cloudflareTest> {
  return cloudflareTest({
    main: './worker/index.ts',
    miniflare: {
      compatibilityDate: '2026-04-01',
      compatibilityFlags: [],
      durableObjects: { GATE: { className: 'UpstreamGate', useSQLite: true } },
      // the gate object's own configuration (a test's Worker side brings its own env)
      bindings: {
        IAM_ENDPOINT: 'https://iam.upstream.test',
        STS_ENDPOINT: 'https://sts.upstream.test',
        AWS_ACCESS_KEY_ID: 'AKIAGATEUPSTREAM0001',
        AWS_SECRET_ACCESS_KEY: 'gate-upstream-secret-0123456789',
        PROXY_TOKENS: JSON.stringify({ gate: { sha256: '0'.repeat(64) } }),
      },
    },
  })
}
