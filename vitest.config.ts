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
            miniflare: { compatibilityDate: '2026-04-01', compatibilityFlags: [] },
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
