// The proxy answers AWS clients as IAM would: boto3 and the AWS CLI (botocore), the AWS SDK for
// JavaScript v3, aws4fetch and curl, through `wrangler dev` (real workerd) in front of a real moto.
// One request id per request in header and body, aws4fetch's presigned URLs, IAM's ServiceFailure
// for an answer without IAM's envelope (moto answers SimulatePrincipalPolicy, which it lacks, with
// an HTML 500 page), one upstream call per retry sequence, labels for a burst, and SDK v3's
// clock-skew correction from the Date header.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { IAMClient, ListUsersCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam'
import { AwsClient } from 'aws4fetch'
import { GetAccountAuthorizationDetails, IamClient, paginate } from '../../src/iam/index.js'
import { escalations, readAccount, whoCan } from '../../src/policy/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyStack } from '../../scripts/proxy-stack.mjs'
import { motoRequirement } from '../support/moto.js'

const run = promisify(execFile)
const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
if (!requirement.available) console.warn(requirement.message)

type Stack = Awaited<ReturnType<typeof startProxyStack>>
const NO_FILES = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }
const SIMULATE = { PolicySourceArn: 'arn:aws:iam::123456789012:user/alice', ActionNames: ['s3:GetObject'] }

describe.skipIf(!requirement.available)('AWS clients through the proxy (wrangler dev + moto)', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startProxyStack()
  }, 120_000)
  afterAll(async () => {
    await stack?.stop()
  })

  /** Runs a boto3 script with `iam` (and `ClientError`) bound to a client of the proxy; prints what it prints. */
  const boto3 = async (lines: string[], config = '') => {
    const script = [
      'import json, sys, boto3',
      'from botocore.config import Config',
      'from botocore.exceptions import ClientError',
      "s = boto3.session.Session(aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], region_name='us-east-1')",
      `iam = s.client('iam', endpoint_url=sys.argv[1]${config ? `, config=Config(${config})` : ''})`,
      ...lines,
    ].join('\n')
    const { stdout } = await run('python3', ['-c', script, stack.url, stack.key.accessKeyId, stack.key.secretAccessKey], { env: { ...process.env, ...NO_FILES }, timeout: 60_000 })
    return JSON.parse(stdout) as unknown
  }
  const sdk = (more: ConstructorParameters<typeof IAMClient>[0] = {}) => new IAMClient({ endpoint: stack.url, region: 'us-east-1', credentials: stack.key, ...more })

  it('boto3 reads one request id per call, the same in body and header, never upstream’s', async () => {
    const ids = (await boto3([
      'out = []',
      'for _ in range(3):',
      "    m = iam.list_users()['ResponseMetadata']",
      "    out.append([m['RequestId'], m['HTTPHeaders'].get('x-amzn-requestid')])",
      'print(json.dumps(out))',
    ])) as Array<[string, string]>
    for (const [body, header] of ids) expect(body).toBe(header)
    expect(new Set(ids.map(([body]) => body)).size).toBe(3)
    // the answers were one upstream answer (a MISS, then hits): its id is in the log, not in the answers
    const upstreamIds = [...stack.logs().matchAll(/"upstreamRequestId":"([^"]+)"/g)].map((m) => m[1])
    expect(upstreamIds.length).toBeGreaterThan(0)
    for (const id of upstreamIds) expect(ids.flat()).not.toContain(id)
  })

  it('SDK v3 reads the same id from the header as the body carries', async () => {
    const client = sdk()
    const first = await client.send(new ListUsersCommand({}))
    const second = await client.send(new ListUsersCommand({}))
    expect(first.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.$metadata.requestId).not.toBe(first.$metadata.requestId)
    // the raw answer: body and header agree
    const aws = new AwsClient({ ...stack.key, service: 'iam', region: 'us-east-1' })
    const raw = await aws.fetch(`${stack.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' })
    const body = await raw.text()
    expect(body).toContain(`<RequestId>${raw.headers.get('x-amzn-requestid')}</RequestId>`)
  })

  it('aws4fetch’s query-signed URL (no X-Amz-Expires) is answered 200', async () => {
    const aws = new AwsClient({ ...stack.key, service: 'iam', region: 'us-east-1' })
    const signed = await aws.sign(`${stack.url}/?Action=ListRoles&Version=2010-05-08`, { aws: { signQuery: true } })
    expect(new URL(signed.url).searchParams.has('X-Amz-Expires')).toBe(false)
    const res = await fetch(signed.url)
    expect([res.status, await res.text()]).toEqual([200, expect.stringContaining('<ListRolesResponse')])
    // a repeated X-Amz-Expires is still refused
    const twice = await fetch(`${signed.url}&X-Amz-Expires=60&X-Amz-Expires=61`)
    expect([twice.status, await twice.text()]).toEqual([403, expect.stringContaining('<Code>IncompleteSignature</Code>')])
  })

  it('boto3 (legacy retries) gets ServiceFailure for an answer without IAM’s envelope, after one upstream call for its 5 attempts', async () => {
    const before = stack.counter.count('SimulatePrincipalPolicy')
    const out = (await boto3(
      [
        'try:',
        "    iam.simulate_principal_policy(PolicySourceArn='arn:aws:iam::123456789012:user/alice', ActionNames=['s3:GetObject'])",
        '    print(json.dumps(None))',
        'except iam.exceptions.ServiceFailureException as e:',
        "    print(json.dumps([type(e).__name__, e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['ResponseMetadata']['RetryAttempts'], e.response['Error']['Message']]))",
      ],
      "retries={'mode': 'legacy', 'max_attempts': 4}",
    )) as [string, string, number, number, string]
    expect(out).toEqual(['ServiceFailureException', 'ServiceFailure', 500, 4, 'IAM answered HTTP 500 without an error envelope'])
    expect(stack.counter.count('SimulatePrincipalPolicy') - before).toBe(1)
    expect(stack.logs()).toMatch(/"cause":"[^"]*upstream IAM answered HTTP 500 without an error envelope","code":"ServiceFailure"/)
  }, 60_000)

  it('the AWS CLI prints ServiceFailure by its code', async () => {
    // another user's simulation: its own key, so no earlier failure is shared with it
    const failure = await run('aws', ['iam', 'simulate-principal-policy', '--policy-source-arn', 'arn:aws:iam::123456789012:user/bob', '--action-names', 's3:ListBucket', '--endpoint-url', stack.url, '--cli-read-timeout', '20'], {
      env: { ...process.env, ...NO_FILES, AWS_ACCESS_KEY_ID: stack.key.accessKeyId, AWS_SECRET_ACCESS_KEY: stack.key.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '2' },
      timeout: 60_000,
    }).then(
      () => undefined,
      (e: { stderr: string }) => e,
    )
    expect(failure?.stderr).toContain('An error occurred (ServiceFailure) when calling the SimulatePrincipalPolicy operation')
  }, 60_000)

  it('SDK v3 gets ServiceFailureException, waits out Retry-After, and its 3 attempts make one upstream call', async () => {
    const before = stack.counter.count('SimulatePrincipalPolicy')
    const started = Date.now()
    const error = (await sdk()
      .send(new SimulatePrincipalPolicyCommand({ ...SIMULATE, PolicySourceArn: 'arn:aws:iam::123456789012:user/carol' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as { name: string; $metadata: { httpStatusCode: number; attempts: number; requestId: string }; $response?: unknown }
    expect([error.name, error.$metadata.httpStatusCode, error.$metadata.attempts]).toEqual(['ServiceFailureException', 500, 3])
    // Retry-After: 1 made it wait at least a second between attempts
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(stack.counter.count('SimulatePrincipalPolicy') - before).toBe(1)
  }, 60_000)

  it('labels a cold burst by what happened: one MISS, the rest JOINED or HIT, one upstream call', async () => {
    for (const [i, size] of [50, 25, 9].entries()) {
      const role = stack.account.roles[i] as string
      const before = stack.counter.count('GetRole')
      const answers = await Promise.all(Array.from({ length: size }, () => fetch(`${stack.url}/iam/GetRole?RoleName=${role}`, { headers: { authorization: `Bearer ${stack.token}` } })))
      await Promise.all(answers.map((r) => r.text()))
      const labels = answers.map((r) => r.headers.get('x-cache'))
      expect(labels.filter((l) => l === 'MISS')).toHaveLength(1)
      expect(labels.every((l) => l === 'MISS' || l === 'JOINED' || l === 'HIT')).toBe(true)
      expect(stack.counter.count('GetRole') - before).toBe(1)
    }
    expect(stack.logs()).toContain('"cache":"JOINED"')
  })

  it('SDK v3 on a machine whose clock is 20 minutes slow corrects it from the Date header and succeeds', async () => {
    // the SDK in a process of its own whose Date runs 20 minutes behind
    const script = `
      const Real = Date
      const skew = -20 * 60_000
      globalThis.Date = class extends Real { constructor(...a) { if (a.length === 0) super(Real.now() + skew); else super(...a) } static now() { return Real.now() + skew } }
      const { IAMClient, ListUsersCommand } = await import('@aws-sdk/client-iam')
      const [endpoint, accessKeyId, secretAccessKey] = process.argv.slice(1)
      const client = new IAMClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } })
      const out = await client.send(new ListUsersCommand({}))
      console.log(JSON.stringify({ attempts: out.$metadata.attempts, users: out.Users.length, offset: client.config.systemClockOffset }))`
    const { stdout } = await run(process.execPath, ['--no-warnings', '--input-type=module', '-e', script, stack.url, stack.key.accessKeyId, stack.key.secretAccessKey], { timeout: 60_000 })
    const out = JSON.parse(stdout) as { attempts: number; users: number; offset: number }
    expect(out.attempts).toBe(2)
    expect(out.users).toBeGreaterThan(0)
    // the offset it learned: 20 minutes, to the second the Date header carries
    expect(Math.abs(out.offset - 20 * 60_000)).toBeLessThan(2_000)
  })

  it('the JSON facade’s GetAccountAuthorizationDetails?all=1 is an account iam-edge/policy reads as it reads moto’s own pages', async () => {
    const res = await fetch(`${stack.url}/iam/GetAccountAuthorizationDetails?all=1`, { headers: { authorization: `Bearer ${stack.token}` } })
    expect(res.status).toBe(200)
    const viaProxy = readAccount((await res.json()) as Record<string, unknown>)
    const client = new IamClient({ endpoint: stack.moto.endpoint, credentials: stack.account.credentials })
    const pages = []
    for await (const page of paginate(client, GetAccountAuthorizationDetails, {})) pages.push(page)
    const direct = readAccount(pages)
    const arns = (a: typeof direct) => ({ users: a.users.map((u) => u.arn).sort(), roles: a.roles.map((r) => r.arn).sort(), groups: a.groups.map((g) => g.arn).sort(), policies: [...a.policies.keys()].sort() })
    expect(arns(viaProxy)).toEqual(arns(direct))
    expect(viaProxy.users.map((u) => u.arn)).toContain(`arn:aws:iam::${stack.account.accountId}:user/${stack.account.adminUser}`)
    const now = new Date('2026-12-01T00:00:00Z')
    expect(escalations(viaProxy, { now })).toEqual(escalations(direct, { now }))
    expect(escalations(viaProxy, { now }).Escalations.some((e) => e.IsAdmin)).toBe(true)
    const who = (a: typeof direct) => whoCan(a, 'iam:CreateUser', `arn:aws:iam::${stack.account.accountId}:user/new`).Principals.map((p) => p.PrincipalArn).sort()
    expect(who(viaProxy)).toEqual(who(direct))
  })

  it('the emulator behind the stack lets no unsigned call through once seeded', async () => {
    const res = await fetch(`${stack.moto.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=CreateUser&UserName=intruder&Version=2010-05-08' })
    // moto refuses it (a 500 for a request with no signature at all; with one, 403)
    expect(res.ok).toBe(false)
    const users = await fetch(`${stack.url}/iam/ListUsers`, { headers: { authorization: `Bearer ${stack.token}`, 'cache-control': 'no-cache' } })
    expect(JSON.stringify(await users.json())).not.toContain('intruder')
  })

  it('curl: 405 with Allow for a write method on the JSON facade, and a Date on every answer', async () => {
    const { stdout } = await run('curl', ['-s', '-D', '-', '-o', '/dev/null', '-X', 'POST', '-H', `Authorization: Bearer ${stack.token}`, `${stack.url}/iam/DeleteUser?UserName=alice`], { timeout: 30_000 })
    expect(stdout).toMatch(/^HTTP\/1\.1 405/)
    expect(stdout).toMatch(/\r\nallow: GET, OPTIONS\r\n/i)
    expect(stdout).toMatch(/\r\ndate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/i)
    expect(stack.key.accessKeyId).toMatch(/^APXY[A-Z2-7]{16}$/)
  })
})
