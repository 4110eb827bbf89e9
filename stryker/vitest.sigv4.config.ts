// The tests that guard the signer, for mutation testing (npm run mutate): Node only, the
// differential at 300 random requests (2,000 in npm test) so each mutant runs in seconds. SigV4a's
// tests too: the verifier's SigV4a branch and the signer's asymmetric path live in these files.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { sigv4SuitePlugin } from '../test/support/suite-plugin.js'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [sigv4SuitePlugin()],
  test: {
    include: ['test/unit/sigv4-*.test.ts', 'test/unit/sigv4a*.test.ts', 'test/conformance/sigv4-suite.test.ts', 'test/conformance/sigv4a-suite.test.ts', 'test/unit/fetch.test.ts'],
    env: { SIGV4_DIFF_RUNS: '300' },
    testTimeout: 30_000,
  },
})
