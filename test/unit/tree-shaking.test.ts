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

describe('credential helpers beside the client', () => {
  const bundle = async (contents: string) => {
    const out = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'esm', platform: 'neutral', minify: true, write: false, logLevel: 'silent' })
    return out.outputFiles[0]?.text ?? ''
  }

  it('cost nothing unless used, and the same from iam-edge/iam as from iam-edge', async () => {
    const without = await bundle("import { IamClient, ListUsers } from './dist/iam/index.js'\nexport const used = [IamClient, ListUsers]")
    const fromIam = await bundle("import { IamClient, ListUsers, fromEnv } from './dist/iam/index.js'\nexport const used = [IamClient, ListUsers, fromEnv]")
    const fromRoot = await bundle("import { IamClient, ListUsers } from './dist/iam/index.js'\nimport { fromEnv } from './dist/index.js'\nexport const used = [IamClient, ListUsers, fromEnv]")
    expect(without).not.toContain('AWS_SECRET_ACCESS_KEY')
    expect(fromIam).toContain('AWS_SECRET_ACCESS_KEY')
    // the same code; the minifier may name a variable differently
    expect(Math.abs(fromIam.length - fromRoot.length)).toBeLessThanOrEqual(16)
    // and importing them from iam-edge/iam does not bring the STS client (assumeRole lives in iam-edge)
    expect(fromIam).not.toContain('"AssumeRole"')
  })
})

describe('the published entries', () => {
  // a layer file that is also a public entry exports that entry and what other layers import from
  // it (the registry), not its internals: ~400 shape constants as exports slowed every cold import
  it.each([
    ['iam', () => import('../../src/iam/index.js'), () => import('../../src/iam/generated/registry.js')],
    ['sts', () => import('../../src/sts/index.js'), () => import('../../src/sts/generated/registry.js')],
  ])('iam-edge/%s publishes the names of its source entry and registry, and no shape constants', async (id, source, registry) => {
    const published = Object.keys(await import(`${process.cwd()}/dist/${id}/index.js`)).sort()
    const expected = [...new Set([...Object.keys(await source()), ...Object.keys(await registry())])].sort()
    expect(published).toEqual(expected)
    expect(published.filter((name) => name.startsWith('shape_'))).toEqual([])
    expect(published.length).toBeGreaterThan(id === 'iam' ? 176 : 11)
  })

  it('iam-edge/sigv4 publishes its source entry and only the internals other layers import (sigv4a: the signing and checking bodies)', async () => {
    const published = Object.keys(await import(`${process.cwd()}/dist/sigv4/index.js`)).sort()
    const internals = ['CONTENT_SHA256', 'payloadHash', 'readCapped', 'uriEscape', 'utf8', 'sign', 'check', 'defaultSubtle', 'sha256Hex', 'verifyAs']
    expect(published).toEqual([...Object.keys(await import('../../src/sigv4/index.js')), ...internals].sort())
    for (const internal of ['fail', 'splitUrl', 'presignAt', 'scratchUtf8', 'canonicalRequest', 'signingKey']) expect(published).not.toContain(internal)
  })

  // `npm run build` has run before the tests; each layer is one file, so state and classes are shared
  it('share one parser: keepTimestampTexts from iam-edge reaches answers read through iam-edge/iam, and IamError is one class', async () => {
    const root = await import(`${process.cwd()}/dist/index.js`)
    const iam = await import(`${process.cwd()}/dist/iam/index.js`)
    const answer = (body: string) => new iam.IamClient({ credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, retries: 0, fetch: async () => new Response(body, { status: body.includes('<Error>') ? 404 : 200 }) })
    const xml =
      '<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>a</UserName><UserId>AIDAEXAMPLEEXAMPLE01</UserId><Arn>arn:aws:iam::123456789012:user/a</Arn><CreateDate>2026-11-22T11:03:18.954293Z</CreateDate></User></GetUserResult></GetUserResponse>'
    try {
      expect(root.timestampText((await answer(xml).send(iam.GetUser, {})).User.CreateDate)).toBeUndefined()
      root.keepTimestampTexts()
      expect(root.timestampText((await answer(xml).send(iam.GetUser, {})).User.CreateDate)).toBe('2026-11-22T11:03:18.954293Z')
    } finally {
      root.keepTimestampTexts(false)
    }
    const missing = answer('<ErrorResponse><Error><Code>NoSuchEntity</Code><Message>none</Message></Error></ErrorResponse>').send(iam.GetUser, { UserName: 'x' })
    await expect(missing).rejects.toBeInstanceOf(root.IamError)
  })
})
