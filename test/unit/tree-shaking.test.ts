import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

describe('tree-shaking', () => {
  it('a bundle that imports ListUsers, GetRole and GetCallerIdentity carries those three operations only', async () => {
    const out = await build({
      stdin: {
        contents: [
          "import { IamClient, ListUsers, GetRole } from './src/iam/index.ts'",
          "import { StsClient, GetCallerIdentity } from './src/sts/index.ts'",
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
