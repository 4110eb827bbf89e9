import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

describe('tree-shaking', () => {
  // the sources, and the published files (`npm run build` has run before the tests)
  it.each([
    ['./src/iam/index.ts', './src/sts/index.ts'],
    ['./dist/iam/index.js', './dist/sts/index.js'],
  ])('a bundle that imports ListUsers, GetRole and GetCallerIdentity from %s carries those three operations only', async (iam, sts) => {
    const out = await build({
      stdin: {
        contents: [
          `import { IamClient, ListUsers, GetRole } from '${iam}'`,
          `import { StsClient, GetCallerIdentity } from '${sts}'`,
          'export const used = [IamClient, StsClient, ListUsers, GetRole, GetCallerIdentity]',
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      minify: true,
      write: false,
      logLevel: 'silent',
    })
    const text = out.outputFiles[0]?.text ?? ''
    for (const name of ['ListUsers', 'GetRole', 'GetCallerIdentity']) expect(text).toContain(`"${name}"`)
    for (const name of ['CreateUser', 'ListRoles', 'AssumeRole', 'GetAccountAuthorizationDetails', 'DeleteRole']) expect(text).not.toContain(`"${name}"`)
    // nor the shapes of operations that were not imported
    expect(text).not.toContain('"AssumeRolePolicyDocument","Description"')
    expect(text).not.toContain('"ReportFormat"')
  })
})
