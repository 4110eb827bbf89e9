import { defineConfig } from 'vitest/config'
import { sigv4SuitePlugin } from './test/support/suite-plugin.js'
import { workersPool } from './test/support/workers-pool.js'

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [sigv4SuitePlugin()],
        test: {
          name: 'node',
          include: ['test/{unit,conformance,integration,e2e,runtimes,policy}/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [sigv4SuitePlugin(), workersPool()],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
        },
      },
    ],
  },
})
