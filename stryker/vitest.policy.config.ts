// The tests that guard policy evaluation, for mutation testing (npm run mutate): the corpus, the
// account reader, whoCan, escalations (IAM Vulnerable and the traps), the action data, and the
// property tests at a fifth of npm test's cases. (escalation-methods.ts, the table of methods,
// and the generated action data are data, not logic: they are not mutated.)
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Stryker's runner keeps tests in worker threads, where a test cannot change the time zone: the
// whole run is in one that is not UTC, so that "a date-time without a zone is UTC" is tested here
// as it is in npm test (conditions-edges.test.ts)
process.env.TZ = 'Asia/Kolkata'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/policy/*.test.ts'],
    env: { POLICY_PROPERTY_SCALE: '0.2' },
    testTimeout: 30_000,
  },
})
