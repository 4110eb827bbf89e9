// The IAM and STS clients against a real moto server (signature checking on after seeding).
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assumeRole } from '../../src/credentials/assume-role.js'
import * as iamApi from '../../src/iam/index.js'
import { IamClient, IamError, RoleExists, UserExists, paginate, waitFor } from '../../src/iam/index.js'
import { HttpResponseError } from '../../src/query/errors.js'
import { WaiterTimeoutError } from '../../src/query/errors.js'
import type { Operation } from '../../src/query/shapes.js'
import { AssumeRole, GetCallerIdentity, StsClient } from '../../src/sts/index.js'
import { type MotoAccount, requireMoto, startMoto } from '../support/moto.js'
import { names, READ_ONLY_CALLS } from '../support/read-only-calls.js'

const motoHere = requireMoto(it)

type Account = MotoAccount['account']

/** Read-only IAM actions moto 5.2.1 answers with HTTP 500 (not implemented). */
const MOTO_LACKS = [
  'GetContextKeysForCustomPolicy',
  'GetContextKeysForPrincipalPolicy',
  'GetDelegationRequest',
  'GetHumanReadableSummary',
  'GetMFADevice',
  'GetOrganizationsAccessReport',
  'GetOutboundWebIdentityFederationInfo',
  'GetServiceLastAccessedDetails',
  'GetServiceLastAccessedDetailsWithEntities',
  'ListDelegationRequests',
  'ListInstanceProfileTags',
  'ListMFADeviceTags',
  'ListOrganizationsFeatures',
  'ListPoliciesGrantingServiceAccess',
  'ListSAMLProviderTags',
  'ListServerCertificateTags',
  'ListServiceSpecificCredentials',
  'SimulateCustomPolicy',
  'SimulatePrincipalPolicy',
]

/** iam-edge's output as the botocore helper writes its own: dates as epoch ms, bytes as base64. */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.getTime()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(comparable)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, comparable(v)]))
  }
  return value
}

/** The generated descriptor exported under `name`, looked up by name for the table above. */
function iamOperation(name: string): Operation<Record<string, unknown>, Record<string, unknown>> {
  const op: unknown = (iamApi as Record<string, unknown>)[name]
  if (typeof op !== 'object' || op === null || !('readOnly' in op)) throw new Error(`no generated operation ${name}`)
  return op as Operation<Record<string, unknown>, Record<string, unknown>>
}

describe.runIf(motoHere)('IAM and STS against moto', () => {
  let env: MotoAccount
  let iam: IamClient
  let account: Account

  beforeAll(async () => {
    env = await startMoto()
    account = env.account
    iam = new IamClient({ credentials: account.credentials, endpoint: env.moto.endpoint, retries: 0 })
  })
  afterAll(async () => {
    await env?.moto.stop()
  })

  describe('every read-only action moto implements', () => {
    it('covers every read-only operation of the model exactly once, as implemented or known missing', () => {
      const readOnly = Object.values(iamApi as Record<string, unknown>)
        .filter((v): v is Operation => typeof v === 'object' && v !== null && 'readOnly' in v && 'service' in v)
        .filter((op) => op.service.id === 'iam' && op.readOnly)
        .map((op) => op.name)
        .sort()
      const covered = [...READ_ONLY_CALLS.map(([name]) => name), ...MOTO_LACKS].sort()
      expect(covered).toEqual(readOnly)
    })

    it.each(READ_ONLY_CALLS)('%s', async (name, input, check) => {
      const op = iamOperation(name)
      expect(op.readOnly).toBe(true)
      const out = await iam.send(op, input(account))
      expect(out.$metadata.httpStatusCode).toBe(200)
      expect(out.$metadata.requestId).toMatch(/\S/)
      check(out, account)
    })

    it.each(MOTO_LACKS)('%s is still missing from moto (HTTP 500)', async (name) => {
      const error = await iam.send(iamOperation(name), minimalInput(name, account)).catch((e: unknown) => e)
      expect(error instanceof IamError || error instanceof HttpResponseError).toBe(true)
      expect((error as { status: number }).status).toBe(500)
    })
  })

  describe('botocore reads the same answers', () => {
    it('every read-only answer moto gives, parsed by botocore and by iam-edge from the same bytes, is equal', async () => {
      const bodies: string[] = []
      const recordingFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init)
        const body = await res.text()
        bodies.push(body)
        return new Response(body, { status: res.status, headers: res.headers })
      }
      const recording = new IamClient({ credentials: account.credentials, endpoint: env.moto.endpoint, retries: 0, fetch: recordingFetch })
      const items: { service: string; operation: string; body: string; ours: unknown }[] = []
      for (const [name, input] of READ_ONLY_CALLS) {
        const op = iamOperation(name)
        const { $metadata, ...ours } = await recording.send(op, input(account))
        void $metadata
        items.push({ service: 'iam', operation: name, body: bodies.at(-1) as string, ours })
      }
      const sts = new StsClient({ credentials: account.credentials, endpoint: env.moto.endpoint, retries: 0, fetch: recordingFetch })
      for (const [op, input] of [
        [GetCallerIdentity, {}],
        [AssumeRole, { RoleArn: `arn:aws:iam::${account.accountId}:role/${account.assumableRole}`, RoleSessionName: 'differential' }],
      ] as const) {
        const { $metadata, ...ours } = await sts.send(op as Operation<object, object>, input)
        void $metadata
        items.push({ service: 'sts', operation: op.name, body: bodies.at(-1) as string, ours })
      }
      const py = spawnSync('python3', ['test/support/botocore-parse.py'], { input: JSON.stringify(items), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      if (py.status !== 0) throw new Error(`botocore parse failed: ${py.stderr}`)
      const theirs = JSON.parse(py.stdout) as unknown[]
      const differing = items.filter((item, i) => JSON.stringify(comparable(item.ours)) !== JSON.stringify(theirs[i]))
      if (process.env.DIFF_DEBUG) for (const d of differing) console.log(d.operation, JSON.stringify(comparable(d.ours)).slice(0, 600), '\n', JSON.stringify(theirs[items.indexOf(d)]).slice(0, 600))
      expect(differing.map((d) => d.operation)).toEqual([])
      expect(items.length).toBe(READ_ONLY_CALLS.length + 2)
      expect(bodies.join('').length).toBeGreaterThan(10_000)
    })
  })

  describe('pagination', () => {
    it.each([
      ['ListRoles', {}, 'Roles', 'RoleName'],
      ['ListPolicies', { Scope: 'Local' }, 'Policies', 'PolicyName'],
    ] as const)('%s pages with MaxItems=2 across several pages', async (name, input, key, nameKey) => {
      const op = iamOperation(name)
      const whole = await iam.send(op, input)
      const pages: unknown[][] = []
      for await (const page of paginate(iam, op, input, { pageSize: 2 })) pages.push(names(page[key], nameKey))
      expect(pages.length).toBeGreaterThanOrEqual(3)
      // IAM may end with an empty page after a truncated one (moto does when the count is a multiple of 2)
      expect(pages.every((p, i) => p.length <= 2 && (p.length >= 1 || i === pages.length - 1)), JSON.stringify(pages)).toBe(true)
      expect(pages.flat()).toEqual(names(whole[key], nameKey))
    })
  })

  describe('typed errors', () => {
    it('NoSuchEntity', async () => {
      const error = await iam.send(iamApi.GetUser, { UserName: 'nobody' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(IamError)
      expect(error).toMatchObject({ code: 'NoSuchEntity', status: 404, type: 'Sender', action: 'GetUser' })
      expect((error as IamError).requestId).toMatch(/\S/)
    })

    it('a wrong secret is SignatureDoesNotMatch', async () => {
      const wrong = new IamClient({ credentials: { ...account.credentials, secretAccessKey: 'not-the-secret' }, endpoint: env.moto.endpoint })
      const error = await wrong.send(iamApi.ListUsers, {}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(IamError)
      expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 })
    })

    it('an unknown access key is InvalidClientTokenId', async () => {
      const unknown = new IamClient({ credentials: { accessKeyId: 'AKIAIOSFODNN7UNKNOWN', secretAccessKey: 'x' }, endpoint: env.moto.endpoint })
      const error = await unknown.send(iamApi.ListUsers, {}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(IamError)
      expect(error).toMatchObject({ code: 'InvalidClientTokenId', status: 403 })
    })
  })

  describe('waiters', () => {
    it('RoleExists succeeds for a seeded role', async () => {
      const out = await waitFor(iam, RoleExists, { RoleName: 'ec2-web' })
      expect(out.Role.RoleName).toBe('ec2-web')
    })

    it('UserExists gives up on a user that never appears', async () => {
      const error = await waitFor(iam, UserExists, { UserName: 'ghost' }, { delay: 0.01, maxWaitSeconds: 5 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WaiterTimeoutError)
      expect((error as WaiterTimeoutError).attempts).toBe(UserExists.maxAttempts)
    })
  })

  describe('STS', () => {
    it('GetCallerIdentity names the signing user', async () => {
      const sts = new StsClient({ credentials: account.credentials, endpoint: env.moto.endpoint })
      const out = await sts.send(GetCallerIdentity, {})
      expect(String(out.Account)).toBe(account.accountId)
      expect(out.Arn).toBe(`arn:aws:iam::${account.accountId}:user/alice`)
    })

    it('AssumeRole returns temporary credentials that expire', async () => {
      const sts = new StsClient({ credentials: account.credentials, endpoint: env.moto.endpoint })
      const out = await sts.send(AssumeRole, { RoleArn: account.assumableRoleArn, RoleSessionName: 'integration', DurationSeconds: 900 })
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/)
      expect(out.Credentials?.Expiration).toBeInstanceOf(Date)
      expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account.accountId}:assumed-role/${account.assumableRole}/integration`)
    })

    it('the assumed credentials sign the following IAM calls, within the role policy', async () => {
      const sts = new StsClient({ credentials: account.credentials, endpoint: env.moto.endpoint })
      const credentials = assumeRole({ client: sts, RoleArn: account.assumableRoleArn, RoleSessionName: 'audit' })
      const asRole = new IamClient({ credentials, endpoint: env.moto.endpoint, retries: 0 })
      const roles = await asRole.send(iamApi.ListRoles, {})
      expect(names(roles.Roles, 'RoleName')).toEqual(expect.arrayContaining(account.roles))
      const whoAmI = await new StsClient({ credentials, endpoint: env.moto.endpoint }).send(GetCallerIdentity, {})
      expect(whoAmI.Arn).toBe(`arn:aws:sts::${account.accountId}:assumed-role/${account.assumableRole}/audit`)
      // the role may read IAM only
      const denied = await asRole.send(iamApi.CreateUser, { UserName: 'mallory' }).catch((e: unknown) => e)
      expect(denied).toBeInstanceOf(IamError)
      expect(denied).toMatchObject({ code: 'AccessDenied', status: 403 })
    })

    it('assumeRole from base credentials builds its own STS client', async () => {
      const credentials = assumeRole({
        client: account.credentials,
        sts: { endpoint: env.moto.endpoint },
        RoleArn: account.assumableRoleArn,
        RoleSessionName: 'from-base',
      })
      const [a, b] = await Promise.all([credentials(), credentials()])
      expect(a).toBe(b)
      expect(a.sessionToken).toMatch(/\S/)
    })
  })
})

/** Enough input to pass validation, so the request reaches moto. */
function minimalInput(name: string, a: Account): Record<string, unknown> {
  const inputs: Record<string, Record<string, unknown>> = {
    GetContextKeysForCustomPolicy: { PolicyInputList: ['{"Version":"2012-10-17","Statement":[]}'] },
    GetContextKeysForPrincipalPolicy: { PolicySourceArn: `arn:aws:iam::${a.accountId}:user/alice` },
    GetDelegationRequest: { DelegationRequestId: 'dr-0123456789abcdef' },
    GetHumanReadableSummary: { EntityArn: `arn:aws:iam::${a.accountId}:user/alice` },
    GetMFADevice: { SerialNumber: a.mfaSerialNumber },
    GetOrganizationsAccessReport: { JobId: '00000000-0000-0000-0000-000000000000' },
    GetServiceLastAccessedDetails: { JobId: '00000000-0000-0000-0000-000000000000' },
    GetServiceLastAccessedDetailsWithEntities: { JobId: '00000000-0000-0000-0000-000000000000', ServiceNamespace: 'iam' },
    ListInstanceProfileTags: { InstanceProfileName: a.instanceProfile },
    ListMFADeviceTags: { SerialNumber: a.mfaSerialNumber },
    ListPoliciesGrantingServiceAccess: { Arn: `arn:aws:iam::${a.accountId}:user/alice`, ServiceNamespaces: ['iam'] },
    ListSAMLProviderTags: { SAMLProviderArn: a.samlProviderArn },
    ListServerCertificateTags: { ServerCertificateName: a.serverCertificate },
    SimulateCustomPolicy: { PolicyInputList: ['{"Version":"2012-10-17","Statement":[]}'], ActionNames: ['iam:ListUsers'] },
    SimulatePrincipalPolicy: { PolicySourceArn: `arn:aws:iam::${a.accountId}:user/alice`, ActionNames: ['iam:ListUsers'] },
  }
  return inputs[name] ?? {}
}
