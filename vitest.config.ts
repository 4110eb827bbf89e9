import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { sigv4SuitePlugin } from './test/support/suite-plugin.js'

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [sigv4SuitePlugin()],
        test: {
          name: 'node',
          include: ['test/{unit,conformance,integration,e2e,runtimes}/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          sigv4SuitePlugin(),
          cloudflareTest({
            // the Worker's module: its gate Durable Object runs in the tests' isolate
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
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
        },
      },
    ],
  },
})
