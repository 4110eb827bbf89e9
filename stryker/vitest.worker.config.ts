// The tests that guard the proxy's caller checks, for mutation testing (npm run mutate): the
// Worker in workerd (the workers pool), as in npm test.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { workersPool } from '../test/support/workers-pool.js'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [workersPool()],
  test: {
    include: ['test/workers/worker-policy.test.ts', 'test/workers/worker-auth.test.ts', 'test/workers/hostile-corpus.test.ts', 'test/workers/worker-access.test.ts', 'test/workers/worker-config.test.ts', 'test/workers/worker-answers.test.ts', 'test/workers/worker-upstream.test.ts', 'test/workers/worker-cache.test.ts', 'test/workers/worker-gate.test.ts'],
  },
})
