// The `iam-edge` command against a real moto server, on Node, Deno and Bun.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MotoAccount, motoRequirement, startMoto } from '../support/moto.js'

const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
if (!requirement.available) console.warn(requirement.message)
if (!existsSync('dist/cli/run.js')) throw new Error('dist/ is missing: run `npm run build` first (npm test does)')

const runtimes: Record<string, string[]> = {
  node: [process.execPath, 'bin/iam-edge.mjs'],
  deno: ['node_modules/.bin/deno', 'run', '--allow-env', '--allow-net', '--allow-read', 'bin/iam-edge.mjs'],
  bun: ['node_modules/.bin/bun', 'bin/iam-edge.mjs'],
}

describe.skipIf(!requirement.available)('the iam-edge CLI', () => {
  let ctx: MotoAccount
  beforeAll(async () => {
    ctx = await startMoto()
  }, 60_000)
  afterAll(async () => {
    await ctx?.moto.stop()
  })

  const cli = (args: string[], runtime = 'node') => {
    const [command, ...prefix] = runtimes[runtime] as string[]
    const result = spawnSync(command as string, [...prefix, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: ctx.account.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ctx.account.credentials.secretAccessKey,
        AWS_ENDPOINT_URL: ctx.moto.endpoint,
        NO_COLOR: '1',
      },
    })
    return { code: result.status, out: result.stdout, err: result.stderr }
  }

  it.each(Object.keys(runtimes))('lists users as JSON on %s', (runtime) => {
    const { code, out, err } = cli(['iam', 'list-users'], runtime)
    expect(err).toBe('')
    expect(code).toBe(0)
    const names = (JSON.parse(out) as { Users: Array<{ UserName: string; CreateDate: string }> }).Users.map((u) => u.UserName)
    expect(names).toEqual(expect.arrayContaining(ctx.account.users))
  })

  it('follows every page like the AWS CLI, and resumes from NextToken', () => {
    const all = JSON.parse(cli(['iam', 'list-roles', '--page-size', '2']).out) as { Roles: Array<{ RoleName: string }> }
    expect(all.Roles.map((r) => r.RoleName).sort()).toEqual([...ctx.account.roles].sort())
    const first = JSON.parse(cli(['iam', 'list-roles', '--page-size', '2', '--max-items', '3']).out) as { Roles: Array<{ RoleName: string }>; NextToken: string }
    expect(first.Roles).toHaveLength(3)
    expect(first.NextToken).toBeTruthy()
    const rest = JSON.parse(cli(['iam', 'list-roles', '--page-size', '2', '--starting-token', first.NextToken]).out) as { Roles: Array<{ RoleName: string }> }
    expect([...first.Roles, ...rest.Roles].map((r) => r.RoleName)).toEqual(all.Roles.map((r) => r.RoleName))
    const one = JSON.parse(cli(['iam', 'list-roles', '--no-paginate', '--page-size', '2']).out) as { Roles: unknown[]; IsTruncated: boolean; Marker: string }
    expect([one.Roles.length, one.IsTruncated, typeof one.Marker]).toEqual([2, true, 'string'])
  })

  it('prints a table with --output table', () => {
    const { code, out } = cli(['iam', 'list-roles', '--output', 'table'])
    expect(code).toBe(0)
    expect(out).toContain('ListRoles: Roles')
    expect(out).toMatch(/\| RoleName\s+\|/)
    for (const role of ctx.account.roles) expect(out).toContain(role)
  })

  it('reads string flags, and runs sts commands', () => {
    const role = JSON.parse(cli(['iam', 'get-role', '--role-name', ctx.account.assumableRole]).out) as { Role: { RoleName: string; AssumeRolePolicyDocument: object } }
    expect(role.Role.RoleName).toBe(ctx.account.assumableRole)
    // the decoded document as a JSON object, as the AWS CLI prints it
    expect(role.Role.AssumeRolePolicyDocument).toMatchObject({ Version: '2012-10-17' })
    const identity = JSON.parse(cli(['sts', 'get-caller-identity']).out) as { Account: string }
    expect(identity.Account).toBe(ctx.account.accountId)
  })

  it('reports a service error with its code on stderr and exit 254', () => {
    const { code, err, out } = cli(['iam', 'get-role', '--role-name', 'nobody'])
    expect(out).toBe('')
    expect(err).toMatch(/An error occurred \(NoSuchEntity\) when calling the GetRole operation: .*nobody/)
    expect(code).toBe(254)
  })

  it('suggests the nearest command and flag, and names a missing required flag (exit 252)', () => {
    const command = cli(['iam', 'list-user'])
    expect([command.code, command.err]).toEqual([252, expect.stringContaining('did you mean list-users')])
    const flag = cli(['iam', 'list-roles', '--pathprefix', '/'])
    expect(flag.err).toContain('did you mean --path-prefix')
    const missing = cli(['iam', 'get-role'])
    expect([missing.code, missing.err]).toEqual([252, expect.stringContaining('required: --role-name')])
    expect(cli(['iam', 'lst-roles']).err).toContain('did you mean list-roles')
    expect(cli(['s3', 'ls']).err).toContain('unknown service "s3"')
  })

  it('lists commands and flags from the model in --help', () => {
    const service = cli(['iam', '--help'])
    expect(service.code).toBe(0)
    expect(service.out).toContain('commands (176)')
    expect(service.out).toContain('list-mfa-devices')
    expect(service.out).toMatch(/create-user\s+\(writes\)/)
    const command = cli(['iam', 'list-roles', '--help'])
    expect(command.out).toContain('--path-prefix <string>')
    expect(command.out).toContain('https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html')
  })

  it('says when no credentials can be found, with the AWS CLI exit status 253', () => {
    const env = { PATH: process.env.PATH, HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' }
    const result = spawnSync(process.execPath, ['bin/iam-edge.mjs', 'iam', 'list-users'], { encoding: 'utf8', env })
    expect(result.status).toBe(253)
    expect(result.stderr).toContain('Unable to locate credentials')
  })
})
