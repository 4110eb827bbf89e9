// The tests that guard the Query XML reader and the answer parser, for mutation testing
// (npm run mutate): Node only, property-based round trips at fewer runs than npm test.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/query-*.test.ts', 'test/unit/client-hostile.test.ts', 'test/unit/botocore-parity.test.ts', 'test/conformance/query-protocol.test.ts'],
    testTimeout: 30_000,
  },
})
