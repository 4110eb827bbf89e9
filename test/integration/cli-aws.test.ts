// The iam-edge CLI as a drop-in for `aws iam` / `aws sts` reads: the same JSON as the installed AWS
// CLI on the same moto (key order, policy documents as objects, timestamps as sent), the same
// --query results and NextToken values, and tokens that move between the two tools.
import { execFile, spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kebab } from '../../src/cli/names.js'
import { type MotoAccount, motoRequirement, startMoto } from '../support/moto.js'
import { READ_ONLY_CALLS } from '../support/read-only-calls.js'

const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' })
if (awsCli.status !== 0 && process.env.CI) throw new Error('the AWS CLI is needed for this test (pip install awscli)')

describe.skipIf(!requirement.available || awsCli.status !== 0)('iam-edge beside the AWS CLI, on the same moto', () => {
  let ctx: MotoAccount
  beforeAll(async () => {
    ctx = await startMoto()
  }, 60_000)
  afterAll(async () => {
    await ctx?.moto.stop()
  })

  function both(args: string[], output: 'json' | 'text' = 'json'): { aws: string; ours: string } {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: ctx.account.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ctx.account.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    }
    const aws = spawnSync('aws', [...args, '--endpoint-url', ctx.moto.endpoint, '--output', output], { env, encoding: 'utf8', timeout: 60_000 })
    const ours = spawnSync(process.execPath, ['bin/iam-edge.mjs', ...args, '--endpoint-url', ctx.moto.endpoint, ...(output === 'json' ? [] : ['--output', output])], { env, encoding: 'utf8', timeout: 60_000 })
    expect([aws.status, aws.stderr]).toEqual([0, ''])
    expect([ours.status, ours.stderr]).toEqual([0, ''])
    return { aws: aws.stdout, ours: ours.stdout }
  }

  const commandOf = (name: string, input: Record<string, unknown>) => ['iam', kebab(name), ...Object.entries(input).flatMap(([k, v]) => [`--${kebab(k)}`, String(v)])]

  it.each(READ_ONLY_CALLS.map(([name, input]) => [name, input] as const))('iam %s prints what the AWS CLI prints', (name, input) => {
    const { aws, ours } = both(commandOf(name, input(ctx.account)))
    if (name === 'GetCredentialReport') {
      // the report lists when each key was last used, and both CLIs use the caller's key between
      // the two calls: the same members, the same report columns, the rest byte for byte
      const a = JSON.parse(aws) as { Content: string }
      const o = JSON.parse(ours) as { Content: string }
      const header = (r: { Content: string }) => Buffer.from(r.Content, 'base64').toString('utf8').split('\n')[0]
      expect(header(o)).toBe(header(a))
      expect(ours.replace(o.Content, '')).toBe(aws.replace(a.Content, ''))
      return
    }
    expect(ours).toBe(aws)
  })

  it.each(READ_ONLY_CALLS.filter(([name]) => name !== 'GetCredentialReport').map(([name, input]) => [name, input] as const))('iam %s --output text prints what the AWS CLI prints', (name, input) => {
    const { aws, ours } = both(commandOf(name, input(ctx.account)), 'text')
    expect(ours).toBe(aws)
  })

  it.each([
    [['iam', 'list-users', '--query', 'Users[].UserName']],
    [['iam', 'list-roles', '--query', 'Roles[].[RoleName, Path, MaxSessionDuration]']],
    [['iam', 'list-users', '--max-items', '2']],
    [['iam', 'get-account-summary', '--query', 'SummaryMap']],
    [['sts', 'get-caller-identity']],
  ])('%j --output text gives the same answer', (args) => {
    const { aws, ours } = both(args, 'text')
    expect(ours).toBe(aws)
  })

  it('sts get-caller-identity prints what the AWS CLI prints', () => {
    const { aws, ours } = both(['sts', 'get-caller-identity'])
    expect(ours).toBe(aws)
  })

  it.each([
    [['iam', 'list-users', '--query', 'Users[].UserName']],
    [['iam', 'list-users', '--query', 'Users[?starts_with(Path, `/engineering/`)].{name: UserName, arn: Arn}']],
    [['iam', 'list-roles', '--query', 'Roles[?Path==`/`].RoleName | sort(@)']],
    [['iam', 'list-roles', '--query', 'length(Roles)']],
    [['iam', 'list-roles', '--query', 'Roles[0].AssumeRolePolicyDocument.Statement[0].Effect']],
    [['iam', 'get-account-summary', '--query', 'SummaryMap.Users']],
    [['iam', 'list-policies', '--scope', 'Local', '--query', 'max_by(Policies, &AttachmentCount).PolicyName']],
    [['iam', 'list-policies', '--scope', 'Local', '--max-items', '1', '--query', '{first: Policies[0].PolicyName, next: NextToken}']],
    [['iam', 'list-roles', '--max-items', '2']],
    [['iam', 'list-roles', '--max-items', '3', '--page-size', '2']],
    [['iam', 'list-users', '--max-items', '2']],
    [['iam', 'list-roles', '--no-paginate', '--max-items', '2']],
  ])('%j gives the same answer', (args) => {
    const { aws, ours } = both(args)
    expect(ours).toBe(aws)
  })

  it('--output yaml reads back (PyYAML, YAML 1.1) as the JSON the AWS CLI prints, for every read-only call and a --query', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: ctx.account.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: ctx.account.credentials.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }
    const commands = [
      ...READ_ONLY_CALLS.filter(([name]) => name !== 'GetCredentialReport').map(([name, input]) => commandOf(name, input(ctx.account))),
      ['iam', 'list-users', '--query', 'Users[].[UserName, CreateDate]'],
      ['sts', 'get-caller-identity', '--query', 'Account'],
    ]
    // asynchronously: a long run of spawnSync would block this process from draining moto's log
    // pipe, and moto stalls once that pipe is full
    const run = (args: string[], output: string) =>
      new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['bin/iam-edge.mjs', ...args, '--endpoint-url', ctx.moto.endpoint, '--output', output], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
          if (error || stderr !== '') reject(new Error(`${args.join(' ')} --output ${output}: ${stderr || String(error)}`))
          else resolve(stdout)
        })
      })
    const yamlTexts: string[] = []
    const jsonTexts: string[] = []
    for (const args of commands) {
      yamlTexts.push(await run(args, 'yaml'))
      jsonTexts.push(await run(args, 'json'))
    }
    const loaded = spawnSync('python3', ['test/support/yaml-load.py'], { input: JSON.stringify(yamlTexts), encoding: 'utf8', maxBuffer: 64 << 20 })
    expect(loaded.stderr).toBe('')
    expect(JSON.parse(loaded.stdout)).toEqual(jsonTexts.map((t) => JSON.parse(t) as unknown))
  }, 180_000)

  it('resumes from a NextToken the AWS CLI printed, and the AWS CLI from ours', () => {
    const first = JSON.parse(both(['iam', 'list-roles', '--max-items', '3', '--page-size', '2']).aws) as { NextToken: string }
    const fromTheirs = both(['iam', 'list-roles', '--page-size', '2', '--starting-token', first.NextToken])
    expect(fromTheirs.ours).toBe(fromTheirs.aws)
    const mid = JSON.parse(both(['iam', 'list-users', '--max-items', '2']).ours) as { NextToken: string }
    const fromOurs = both(['iam', 'list-users', '--starting-token', mid.NextToken])
    expect(fromOurs.ours).toBe(fromOurs.aws)
  })
})
