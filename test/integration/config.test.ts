// iam-edge/config against a real moto: profiles with static keys, role chains through moto's
// AssumeRole, web identity through AssumeRoleWithWebIdentity, credential_process with a real
// script, endpoint_url and services sections pointing at moto. Each case is checked in the library
// and in the CLI, whose `--profile X` answer must equal `aws … --profile X` on the same files.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Env, fromProfile, resolveProfile } from '../../src/config/index.js'
import { IamClient, ListRoles, ListUsers } from '../../src/iam/index.js'
import { GetCallerIdentity, StsClient } from '../../src/sts/index.js'
import { type MotoAccount, motoRequirement, seedAccount, startMoto } from '../support/moto.js'
import { startMoto as spawnMoto } from '../../scripts/moto/start.mjs'

const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' })
if (awsCli.status !== 0 && process.env.CI) throw new Error('the AWS CLI is needed for this test (pip install awscli)')
const skip = !requirement.available || awsCli.status !== 0

/** A home with its own ~/.aws: the AWS CLI caches assumed roles there, so each moto gets a new one. */
function home(config: string, credentials: string): { env: Env; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iam-edge-profiles-'))
  writeFileSync(join(dir, 'config'), config)
  writeFileSync(join(dir, 'credentials'), credentials)
  const env: Env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  }
  return { env, dir }
}

/** The same command through the AWS CLI and iam-edge; both must succeed. */
function both(env: Env, args: string[]): { aws: string; ours: string } {
  const aws = spawnSync('aws', args, { env, encoding: 'utf8', timeout: 60_000 })
  const ours = spawnSync(process.execPath, ['bin/iam-edge.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 })
  expect([aws.status, aws.stderr]).toEqual([0, ''])
  expect([ours.status, ours.stderr]).toEqual([0, ''])
  return { aws: aws.stdout, ours: ours.stdout }
}

async function callerArn(profile: string, env: Env): Promise<string> {
  const sts = new StsClient(await fromProfile({ profile, env, service: 'sts' }))
  const { Arn } = await sts.send(GetCallerIdentity)
  return Arn ?? ''
}

describe.skipIf(skip)('profiles against moto with signature and policy checks on', () => {
  let ctx: MotoAccount
  let env: Env
  const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`
  beforeAll(async () => {
    ctx = await startMoto()
    const { accessKeyId, secretAccessKey } = ctx.account.credentials
    const endpoint = ctx.moto.endpoint
    const made = home('', '')
    const script = join(made.dir, 'creds.mjs')
    writeFileSync(script, `console.log(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(accessKeyId)}, SecretAccessKey: ${JSON.stringify(secretAccessKey)}, Expiration: new Date(Date.now() + 3600e3).toISOString() }))\n`)
    chmodSync(script, 0o755)
    const config = [
      `[profile static]\nregion = eu-west-1\nendpoint_url = ${endpoint}`,
      `[profile auditor]\nrole_arn = ${role('readonly-auditor')}\nsource_profile = static\nrole_session_name = it-auditor\nregion = us-east-1\nduration_seconds = 900\nendpoint_url = ${endpoint}`,
      `[profile external]\nrole_arn = ${role('readonly-auditor')}\nsource_profile = static\nexternal_id = audit-7f3a\nrole_session_name = it-external\nregion = us-east-1\nendpoint_url = ${endpoint}`,
      // ci-deployer trusts the account root only, which moto does not read as covering alice
      `[profile refused]\nrole_arn = ${role('ci-deployer')}\nsource_profile = static\nrole_session_name = it-refused\nregion = us-east-1\nendpoint_url = ${endpoint}`,
      `[profile process]\nregion = us-east-1\ncredential_process = ${JSON.stringify(process.execPath)} ${script}\nendpoint_url = ${endpoint}`,
      `[profile services]\nregion = us-east-1\nservices = local-moto\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}`,
      `[services local-moto]\niam =\n  endpoint_url = ${endpoint}\nsts =\n  endpoint_url = ${endpoint}`,
    ].join('\n\n')
    writeFileSync(made.env.AWS_CONFIG_FILE as string, `${config}\n`)
    writeFileSync(made.env.AWS_SHARED_CREDENTIALS_FILE as string, `[static]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`)
    env = made.env
  }, 60_000)
  afterAll(async () => {
    await ctx?.moto.stop()
  })

  it('a static-keys profile with endpoint_url and region: the library lists users, and both CLIs agree', async () => {
    const iam = new IamClient(await fromProfile({ profile: 'static', env, service: 'iam' }))
    const { Users } = await iam.send(ListUsers)
    expect(Users.map((u) => u.UserName)).toEqual(expect.arrayContaining(ctx.account.users))
    expect(await callerArn('static', env)).toBe('arn:aws:iam::123456789012:user/alice')
    for (const args of [['sts', 'get-caller-identity'], ['iam', 'list-users'], ['iam', 'get-user', '--user-name', 'bob']]) {
      const { aws, ours } = both(env, [...args, '--profile', 'static'])
      expect(ours).toBe(aws)
    }
  })

  it('role_arn + source_profile assumes the role in moto, with the role session name and duration given', async () => {
    const resolved = await resolveProfile({ profile: 'auditor', env })
    expect(resolved.credentials).toMatchObject({ source: 'assume-role', roleArn: role('readonly-auditor') })
    expect(await callerArn('auditor', env)).toBe('arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-auditor')
    // the role's own policy applies: it may list roles (iam:List*)
    const iam = new IamClient(await fromProfile({ profile: 'auditor', env, service: 'iam' }))
    expect((await iam.send(ListRoles)).Roles.length).toBeGreaterThan(0)
    const { aws, ours } = both(env, ['sts', 'get-caller-identity', '--profile', 'auditor'])
    expect(ours).toBe(aws)
    expect(JSON.parse(ours)).toMatchObject({ Arn: 'arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-auditor' })
  })

  it('role_arn with external_id', async () => {
    expect((await resolveProfile({ profile: 'external', env })).credentials).toMatchObject({ externalId: 'audit-7f3a' })
    expect(await callerArn('external', env)).toBe('arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-external')
    const { aws, ours } = both(env, ['sts', 'get-caller-identity', '--profile', 'external'])
    expect(ours).toBe(aws)
  })

  /** Both tools fail alike: nothing on stdout; exit 254 is the AWS CLI v2's code for a service error (v1 says 255). */
  function bothFail(args: string[]): string {
    const aws = spawnSync('aws', args, { env, encoding: 'utf8', timeout: 60_000 })
    const ours = spawnSync(process.execPath, ['bin/iam-edge.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 })
    expect([aws.status, aws.stdout]).toEqual([255, ''])
    expect([ours.status, ours.stdout]).toEqual([254, ''])
    return `${aws.stderr}\n${ours.stderr}`
  }

  it('a role the trust policy refuses is AccessDenied from STS, in the library and in both tools', async () => {
    await expect(callerArn('refused', env)).rejects.toMatchObject({ name: 'AccessDenied', code: 'AccessDenied' })
    const stderr = bothFail(['sts', 'get-caller-identity', '--profile', 'refused'])
    expect(stderr.match(/An error occurred \(AccessDenied\) when calling the AssumeRole operation/g)).toHaveLength(2)
  })

  it('credential_process runs the script and its keys sign for moto', async () => {
    expect(await callerArn('process', env)).toBe('arn:aws:iam::123456789012:user/alice')
    const { aws, ours } = both(env, ['iam', 'list-groups', '--profile', 'process'])
    expect(ours).toBe(aws)
  })

  it('--debug shows the role chain as it happens, with no secret in it', () => {
    const run = spawnSync(process.execPath, ['bin/iam-edge.mjs', 'sts', 'get-caller-identity', '--profile', 'auditor', '--debug'], { env, encoding: 'utf8', timeout: 60_000 })
    expect(run.status).toBe(0)
    expect(run.stderr).toMatch(/profile "auditor", credentials from assume-role/)
    expect(run.stderr).toMatch(/request: POST .*Action=AssumeRole/)
    expect(run.stderr).toMatch(/<SecretAccessKey>\*\*\*\*<\/SecretAccessKey>/)
    expect(run.stderr).toMatch(/request: POST .*Action=GetCallerIdentity/)
    expect(run.stderr).not.toContain(ctx.account.credentials.secretAccessKey)
    expect(run.stderr).not.toMatch(/<(SecretAccessKey|SessionToken)>[^*]/)
    expect(run.stderr).not.toMatch(/Signature=[0-9a-f]{64}/)
    expect(run.stderr).not.toMatch(/x-amz-security-token: [^*]/)
  })

  it('a services section gives IAM and STS their endpoints', async () => {
    expect(await callerArn('services', env)).toBe('arn:aws:iam::123456789012:user/alice')
    const { aws, ours } = both(env, ['iam', 'list-roles', '--profile', 'services'])
    expect(ours).toBe(aws)
  })

  it('new IamClient() takes the AWS_PROFILE chain once iam-edge/config is imported', async () => {
    await import('../../src/config/index.js')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, env, { AWS_PROFILE: 'auditor' })
      const { Arn } = await new StsClient().send(GetCallerIdentity)
      expect(Arn).toBe('arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-auditor')
    } finally {
      process.env = saved
    }
  })

  // the published files, as an app uses them: importing iam-edge/config is what lets
  // `new StsClient()` find AWS_PROFILE (package.json lists that entry under sideEffects)
  it.each([
    ['node', [process.execPath]],
    ['deno', ['node_modules/.bin/deno', 'run', '--allow-read', '--allow-env', '--allow-net']],
    ['bun', ['node_modules/.bin/bun']],
  ] as const)('on %s, the published entries: import iam-edge/config, then new StsClient() uses AWS_PROFILE', (runtime, command) => {
    if (runtime !== 'node' && !existsSync(command[0])) {
      if (process.env.CI) throw new Error(`${runtime} is missing: npm ci installs it`)
      return
    }
    const dist = (entry: string) => JSON.stringify(pathToFileURL(resolvePath(`dist/${entry}/index.js`)).href)
    const script = join(mkdtempSync(join(tmpdir(), 'iam-edge-app-')), 'app.mjs')
    writeFileSync(script, `import ${dist('config')}\nimport { GetCallerIdentity, StsClient } from ${dist('sts')}\nconst { Arn } = await new StsClient().send(GetCallerIdentity)\nconsole.log(Arn)\n`)
    const run = spawnSync(command[0], [...command.slice(1), script], { env: { ...env, AWS_PROFILE: 'auditor' }, encoding: 'utf8', timeout: 60_000 })
    expect([run.stderr, run.stdout.trim()]).toEqual(['', 'arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-auditor'])
  })

  it('a key moto does not know fails the source profile of a role, in the library and in both tools', async () => {
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE as string, `[static]\naws_access_key_id = AKIANOTKNOWNBYMOTO1\naws_secret_access_key = nope\n`)
    try {
      await expect(callerArn('auditor', env)).rejects.toMatchObject({ code: 'InvalidClientTokenId' })
      const stderr = bothFail(['sts', 'get-caller-identity', '--profile', 'auditor'])
      expect(stderr.match(/\(InvalidClientTokenId\) when calling the AssumeRole operation/g)).toHaveLength(2)
    } finally {
      const { accessKeyId, secretAccessKey } = ctx.account.credentials
      writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE as string, `[static]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`)
    }
  })
})

// moto may give a web-identity session a new role id: the rest must be equal byte for byte
const roleId = /"AROA[0-9A-Z]+:/

describe.skipIf(skip)('web identity and role chains against moto (its access checks off: it refuses unsigned STS calls with them on)', () => {
  let stop: () => Promise<void>
  let env: Env
  let endpoint: string
  const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`
  beforeAll(async () => {
    const moto = await spawnMoto({})
    stop = moto.stop
    endpoint = moto.endpoint
    const account = await seedAccount(endpoint)
    const made = home('', '')
    const token = join(made.dir, 'token')
    writeFileSync(token, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvYXBwIn0.c2ln')
    const { accessKeyId, secretAccessKey } = account.credentials
    writeFileSync(made.env.AWS_CONFIG_FILE as string, [
      `[profile web]\nweb_identity_token_file = ${token}\nrole_arn = ${role('app-lambda')}\nrole_session_name = it-web\nregion = us-east-1\nendpoint_url = ${endpoint}`,
      `[profile base]\nregion = us-east-1\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\nendpoint_url = ${endpoint}`,
      `[profile hop1]\nrole_arn = ${role('ci-deployer')}\nsource_profile = base\nrole_session_name = it-hop1\nregion = us-east-1\nendpoint_url = ${endpoint}`,
      `[profile hop2]\nrole_arn = ${role('readonly-auditor')}\nsource_profile = hop1\nrole_session_name = it-hop2\nregion = us-east-1\nendpoint_url = ${endpoint}`,
      `[profile web-then-role]\nrole_arn = ${role('readonly-auditor')}\nsource_profile = web\nrole_session_name = it-after-web\nregion = us-east-1\nendpoint_url = ${endpoint}`,
    ].join('\n\n') + '\n')
    env = { ...made.env, TOKEN_FILE: token }
  }, 60_000)
  afterAll(async () => {
    await stop?.()
  })

  it('a profile with web_identity_token_file and role_arn', async () => {
    expect((await resolveProfile({ profile: 'web', env })).credentials).toMatchObject({ source: 'assume-role-with-web-identity' })
    expect(await callerArn('web', env)).toBe('arn:aws:sts::123456789012:assumed-role/app-lambda/it-web')
    const { aws, ours } = both(env, ['sts', 'get-caller-identity', '--profile', 'web'])
    expect(ours.replace(roleId, '"ROLEID:')).toBe(aws.replace(roleId, '"ROLEID:'))
  })

  it('AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN + AWS_ROLE_SESSION_NAME with AWS_ENDPOINT_URL', async () => {
    const webEnv: Env = { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: env.TOKEN_FILE, AWS_ROLE_ARN: role('data-pipeline'), AWS_ROLE_SESSION_NAME: 'it-env-web', AWS_DEFAULT_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint }
    const sts = new StsClient(await fromProfile({ env: webEnv, service: 'sts' }))
    expect((await sts.send(GetCallerIdentity)).Arn).toBe('arn:aws:sts::123456789012:assumed-role/data-pipeline/it-env-web')
    const { aws, ours } = both(webEnv, ['sts', 'get-caller-identity'])
    expect(ours.replace(roleId, '"ROLEID:')).toBe(aws.replace(roleId, '"ROLEID:'))
  })

  it('a chain of two roles, and a role on top of web identity', async () => {
    expect(await callerArn('hop2', env)).toBe('arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-hop2')
    expect(await callerArn('web-then-role', env)).toBe('arn:aws:sts::123456789012:assumed-role/readonly-auditor/it-after-web')
    for (const profile of ['hop2', 'web-then-role']) {
      const { aws, ours } = both(env, ['sts', 'get-caller-identity', '--profile', profile])
      expect(ours).toBe(aws)
    }
  })
})
