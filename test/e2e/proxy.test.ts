// The proxy as users meet it: `wrangler dev` (real workerd) in front of a real moto, driven by the
// AWS CLI, the AWS SDK v3, aws4fetch and curl.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam'
import { AwsClient } from 'aws4fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AccessStandIn, LOCAL_AUD, startAccessStandIn } from '../../scripts/access-dev.mjs'
import { startProxyStack } from '../../scripts/proxy-stack.mjs'
import { motoRequirement } from '../support/moto.js'

const run = promisify(execFile)
const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
if (!requirement.available) console.warn(requirement.message)

type Stack = Awaited<ReturnType<typeof startProxyStack>>

describe.skipIf(!requirement.available)('the proxy end to end (wrangler dev + moto)', () => {
  let stack: Stack
  let access: AccessStandIn
  beforeAll(async () => {
    // a local Cloudflare Access stand-in (JWKS on loopback) in front, as `npm start -- --access` runs it
    access = await startAccessStandIn()
    stack = await startProxyStack({
      vars: {
        CORS_ORIGINS: 'http://127.0.0.1:1',
        ACCESS_TEAM_DOMAIN: access.teamDomain,
        ACCESS_AUD: LOCAL_AUD,
        ACCESS_POLICIES: JSON.stringify({ '*@example.com': { actions: ['ListRoles'] } }),
      },
    })
  }, 120_000)
  afterAll(async () => {
    await stack?.stop()
    await access?.close()
  })

  it('lets a Cloudflare Access user in by the signed assertion, scoped, and refuses a token for another application', async () => {
    const assertion = await access.mint({ email: 'dev@example.com' })
    const roles = await fetch(`${stack.url}/iam/ListRoles`, { headers: { 'cf-access-jwt-assertion': assertion } })
    expect(roles.status).toBe(200)
    expect(((await roles.json()) as { Roles: unknown[] }).Roles.length).toBeGreaterThan(0)
    const users = await fetch(`${stack.url}/iam/ListUsers`, { headers: { 'cf-access-jwt-assertion': assertion } })
    expect([users.status, ((await users.json()) as { error: { code: string } }).error.code]).toEqual([403, 'AccessDenied'])
    const other = await fetch(`${stack.url}/iam/ListRoles`, { headers: { 'cf-access-jwt-assertion': await access.mint({ email: 'dev@example.com' }, { aud: 'another-app' }) } })
    expect([other.status, ((await other.json()) as { error: { code: string } }).error.code]).toEqual([403, 'AccessTokenWrongAudience'])
    expect(stack.logs()).toContain('"caller":"dev@example.com"')
  })

  const awsCli = (...args: string[]) =>
    run('aws', [...args, '--endpoint-url', stack.url, '--output', 'json'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: stack.key.accessKeyId, AWS_SECRET_ACCESS_KEY: stack.key.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      timeout: 60_000,
    })

  it('aws iam list-users lists the seeded users', async () => {
    const { stdout } = await awsCli('iam', 'list-users')
    const names = (JSON.parse(stdout) as { Users: Array<{ UserName: string }> }).Users.map((u) => u.UserName)
    expect(names).toEqual(expect.arrayContaining(stack.account.users))
  })

  it('aws iam get-role returns the decoded trust policy', async () => {
    const { stdout } = await awsCli('iam', 'get-role', '--role-name', stack.account.assumableRole)
    const role = (JSON.parse(stdout) as { Role: { RoleName: string; AssumeRolePolicyDocument: { Statement: unknown[] } } }).Role
    expect(role.RoleName).toBe(stack.account.assumableRole)
    expect(role.AssumeRolePolicyDocument.Statement.length).toBeGreaterThan(0)
  })

  it('aws sts get-caller-identity answers for the proxy caller', async () => {
    const { stdout } = await awsCli('sts', 'get-caller-identity')
    expect(JSON.parse(stdout)).toEqual({ UserId: stack.key.accessKeyId, Account: stack.account.accountId, Arn: `arn:aws:iam::${stack.account.accountId}:user/iam-edge/e2e` })
  })

  it('aws iam create-user is refused with AccessDenied and never reaches IAM', async () => {
    const before = stack.counter.count('CreateUser')
    const failure = await awsCli('iam', 'create-user', '--user-name', 'mallory').then(
      () => undefined,
      (e: { stderr: string; code: number }) => e,
    )
    expect(failure?.stderr).toContain('An error occurred (AccessDenied) when calling the CreateUser operation')
    expect(failure?.code).not.toBe(0)
    expect(stack.counter.count('CreateUser')).toBe(before)
  })

  it('aws iam get-user without --user-name is refused: it would answer for the proxy’s own upstream user', async () => {
    const failure = await awsCli('iam', 'get-user').then(
      () => undefined,
      (e: { stderr: string }) => e,
    )
    expect(failure?.stderr).toContain('An error occurred (ValidationError) when calling the GetUser operation: GetUser needs a UserName through this proxy')
    // not adminUser: a later test counts that user's GetUser misses
    const named = stack.account.users.find((u) => u !== stack.account.adminUser) as string
    const { stdout } = await awsCli('iam', 'get-user', '--user-name', named)
    expect((JSON.parse(stdout) as { User: { UserName: string } }).User.UserName).toBe(named)
  })

  it('URLs botocore presigns (IAM and STS actions: POST, the call on the URL) are accepted', async () => {
    const script = [
      'import json, sys, boto3',
      "s = boto3.session.Session(aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], region_name='us-east-1')",
      "iam = s.client('iam', endpoint_url=sys.argv[1]); sts = s.client('sts', endpoint_url=sys.argv[1])",
      "print(json.dumps([iam.generate_presigned_url('list_roles', Params={'MaxItems': 1}, ExpiresIn=60), sts.generate_presigned_url('get_caller_identity', ExpiresIn=60)]))",
    ].join('\n')
    const { stdout } = await run('python3', ['-c', script, stack.url, stack.key.accessKeyId, stack.key.secretAccessKey], { env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 })
    const [roles, identity] = JSON.parse(stdout) as [string, string]
    const listed = await fetch(roles, { method: 'POST' })
    expect([listed.status, await listed.text()]).toEqual([200, expect.stringContaining('<ListRolesResponse')])
    const who = await fetch(identity, { method: 'POST' })
    expect([who.status, await who.text()]).toEqual([200, expect.stringContaining(`<Arn>arn:aws:iam::${stack.account.accountId}:user/iam-edge/e2e</Arn>`)])
  })

  it('the AWS SDK v3 works through --endpoint, paging included', async () => {
    const client = new IAMClient({ endpoint: stack.url, region: 'us-east-1', credentials: stack.key })
    const page = await client.send(new ListRolesCommand({ MaxItems: 2 }))
    expect(page.Roles).toHaveLength(2)
    expect(page.IsTruncated).toBe(true)
    const next = await client.send(new ListRolesCommand({ MaxItems: 2, Marker: page.Marker }))
    expect(next.Roles?.[0]?.RoleName).not.toBe(page.Roles?.[0]?.RoleName)
    await expect(client.send(new GetRoleCommand({ RoleName: 'nobody' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' })
  })

  it('aws4fetch signs requests the proxy accepts', async () => {
    const aws = new AwsClient({ ...stack.key, service: 'iam', region: 'us-east-1' })
    const res = await aws.fetch(`${stack.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListGroups&Version=2010-05-08' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<ListGroupsResponse')
  })

  it('curl with a bearer token gets JSON; a repeat is a HIT and IAM sees one request', async () => {
    const path = `${stack.url}/iam/ListPolicies?Scope=Local&MaxItems=3`
    const curl = () => run('curl', ['-s', '-D', '-', '-H', `Authorization: Bearer ${stack.token}`, path], { timeout: 30_000 })
    const before = stack.counter.count('ListPolicies')
    const first = await curl()
    expect(first.stdout).toMatch(/x-cache: MISS/i)
    const second = await curl()
    expect(second.stdout).toMatch(/x-cache: HIT/i)
    const body = JSON.parse(second.stdout.slice(second.stdout.indexOf('\r\n\r\n') + 4)) as { Policies: unknown[] }
    expect(body.Policies).toHaveLength(3)
    expect(stack.counter.count('ListPolicies') - before).toBe(1)
  })

  it('100 concurrent identical misses reach IAM once', async () => {
    const before = stack.counter.count('GetUser')
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => fetch(`${stack.url}/iam/GetUser?UserName=${stack.account.adminUser}`, { headers: { authorization: `Bearer ${stack.token}` } })),
    )
    expect(answers.every((r) => r.status === 200)).toBe(true)
    await Promise.all(answers.map((r) => r.text()))
    expect(stack.counter.count('GetUser') - before).toBe(1)
  })

  it('logs one JSON line per request without secrets', () => {
    const lines = stack.logs().split('\n').filter((l) => l.startsWith('{"requestId"'))
    expect(lines.length).toBeGreaterThan(5)
    const text = stack.logs()
    for (const secret of [stack.key.secretAccessKey, stack.token, stack.account.credentials.secretAccessKey]) expect(text).not.toContain(secret)
  })
})
