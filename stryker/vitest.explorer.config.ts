// The tests that guard the IAM explorer's findings and its readers of IAM's answers, for mutation
// testing (npm run mutate -- explorer): Node only.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/explorer-*.test.ts'],
    testTimeout: 30_000,
  },
})
