// The tests that guard iam-edge/s3 and AwsClient's upload options, for mutation testing (npm run
// mutate): Node only, without the botocore and moto runs (their python and servers cost seconds
// per mutant; npm test runs them).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/s3-chunked.test.ts', 'test/unit/s3-checksum.test.ts', 'test/unit/s3-post.test.ts', 'test/unit/s3-fetch.test.ts'],
    testTimeout: 30_000,
  },
})
