// The explorer's findings engine on hand-made accounts: each category found, Deny and NotAction
// honoured, conditions kept as conditional, nothing found on a clean account.
import { describe, expect, it } from 'vitest'
import { type Finding, findings, principalAccount } from '../../explorer/findings.js'
import { type Account, decodeDocument, parseCsv, type RoleDetail, type UserDetail } from '../../explorer/model.js'

const NOW = new Date('2026-12-01T00:00:00Z')
const ACCT = '111122223333'
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })
const user = (name: string, extra: Partial<UserDetail> = {}): UserDetail => ({ UserName: name, Arn: `arn:aws:iam::${ACCT}:user/${name}`, Path: '/', CreateDate: '2026-11-01T00:00:00Z', ...extra })
const role = (name: string, trust: object[], extra: Partial<RoleDetail> = {}): RoleDetail => ({ RoleName: name, Arn: `arn:aws:iam::${ACCT}:role/${name}`, Path: '/', CreateDate: '2026-11-20T00:00:00Z', AssumeRolePolicyDocument: encodeURIComponent(doc(...trust)), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' }, ...extra })
const inline = (name: string, ...statements: object[]) => ({ PolicyName: name, PolicyDocument: encodeURIComponent(doc(...statements)) })
const managed = (name: string, ...statements: object[]) => ({ PolicyName: name, Arn: `arn:aws:iam::${ACCT}:policy/${name}`, Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(doc(...statements)) }] })
const account = (a: Partial<Account['details']>, report?: Account['credentialReport']): Account => ({ details: { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], ...a }, ...(report === undefined ? {} : { credentialReport: report }) })
const of = (list: Finding[], category: string) => list.filter((f) => f.category === category)

describe('explorer findings', () => {
  it('finds nothing on a clean account', () => {
    const clean = account(
      { UserDetailList: [user('reader', { AttachedManagedPolicies: [{ PolicyName: 'Read', PolicyArn: `arn:aws:iam::${ACCT}:policy/Read` }] })], Policies: [managed('Read', { Effect: 'Allow', Action: ['s3:ListBucket', 'iam:Get*'], Resource: '*' })], RoleDetailList: [role('svc', [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }])] },
      [{ user: 'reader', arn: `arn:aws:iam::${ACCT}:user/reader`, password_enabled: 'false', mfa_active: 'false', access_key_1_active: 'true', access_key_1_last_rotated: '2026-11-01T00:00:00+00:00', access_key_1_last_used_date: '2026-11-30T00:00:00+00:00', access_key_2_active: 'false' }],
    )
    expect(findings(clean, NOW)).toEqual([])
  })

  it('reports `*` on `*` as full admin, with the escalations it implies, and the inline policy', () => {
    const list = findings(account({ UserDetailList: [user('root-ish', { UserPolicyList: [inline('god', { Effect: 'Allow', Action: '*', Resource: '*' })] })] }), NOW)
    expect(of(list, 'full-admin')).toMatchObject([{ severity: 'critical', policy: { name: 'god', kind: 'inline' }, statements: ['#1'], principals: [`arn:aws:iam::${ACCT}:user/root-ish`], conditional: false }])
    expect(of(list, 'privilege-escalation')[0]?.detail).toEqual(expect.arrayContaining(['CreateNewPolicyVersion', 'PassExistingRoleToNewEc2Instance', 'AssumeAnyRole']))
    expect(of(list, 'inline-policy')).toHaveLength(1)
    expect(list[0]?.severity).toBe('critical')
  })

  it('names the PassRole escalation and the statement; a Deny takes a method away; NotAction is read as everything but', () => {
    const pass = findings(account({ Policies: [managed('Launch', { Sid: 'Go', Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' })], UserDetailList: [user('bot', { AttachedManagedPolicies: [{ PolicyName: 'Launch', PolicyArn: `arn:aws:iam::${ACCT}:policy/Launch` }] })] }), NOW)
    expect(of(pass, 'privilege-escalation')).toMatchObject([{ detail: ['PassExistingRoleToNewEc2Instance'], statements: ['Go'], principals: [`arn:aws:iam::${ACCT}:user/bot`] }])
    const denied = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: ['iam:CreateAccessKey', 'iam:Put*'], Resource: '*' })] })] }), NOW)
    const methods = of(denied, 'privilege-escalation')[0]?.detail ?? []
    expect(methods).toContain('CreateNewPolicyVersion')
    expect(methods).not.toContain('CreateAccessKey')
    expect(methods).not.toContain('PutUserPolicy')
    const notAction = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] })] }), NOW)
    const esc = of(notAction, 'privilege-escalation')[0]?.detail ?? []
    expect(esc).toContain('EditExistingLambdaFunctionWithRole')
    expect(esc.some((m) => m.startsWith('PassExisting'))).toBe(false)
    expect(of(notAction, 'infrastructure-modification')[0]?.detail).toEqual(['all but iam:*'])
  })

  it('keeps a conditional statement as a conditional finding, never drops it', () => {
    const list = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] })] }), NOW)
    expect(of(list, 'privilege-escalation')).toMatchObject([{ detail: ['CreateAccessKey'], conditional: true }])
    // a conditional Deny does not take an allow away
    const maybe = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] })] }), NOW)
    expect(of(maybe, 'privilege-escalation')).toHaveLength(1)
  })

  it('reports resource exposure and data exfiltration only without a resource constraint', () => {
    const wide = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:GetObject', 'secretsmanager:GetSecretValue'], Resource: '*' })] })] }), NOW)
    expect(of(wide, 'resource-exposure')[0]?.detail).toEqual(['s3:PutBucketPolicy'])
    expect(of(wide, 'data-exfiltration')[0]?.detail).toEqual(['s3:GetObject', 'secretsmanager:GetSecretValue'])
    const narrow = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:GetObject'], Resource: 'arn:aws:s3:::one/*' })] })] }), NOW)
    expect(of(narrow, 'resource-exposure')).toEqual([])
    expect(of(narrow, 'data-exfiltration')).toEqual([])
  })

  it('finds an escalation that only two policies together allow, reaching a group’s members', () => {
    const list = findings(account({
      UserDetailList: [user('dev', { GroupList: ['builders'], AttachedManagedPolicies: [{ PolicyName: 'Run', PolicyArn: `arn:aws:iam::${ACCT}:policy/Run` }] })],
      GroupDetailList: [{ GroupName: 'builders', Arn: `arn:aws:iam::${ACCT}:group/builders`, Path: '/', CreateDate: '2026-11-01T00:00:00Z', GroupPolicyList: [inline('pass', { Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCT}:role/x` })] }],
      Policies: [managed('Run', { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' })],
    }), NOW)
    const combined = of(list, 'privilege-escalation').find((f) => f.id.endsWith(':combined'))
    expect(combined).toMatchObject({ principals: [`arn:aws:iam::${ACCT}:user/dev`], detail: ['PassExistingRoleToNewEc2Instance (pass + Run)'] })
  })

  it('flags trust of anyone and of another account without an external id; not its own account, an external id or a service', () => {
    const list = findings(account({ RoleDetailList: [
      role('open', [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }]),
      role('vendor', [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' }]),
      role('vendor-safe', [{ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } }]),
      role('own', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'sts:AssumeRole' }]),
      role('svc', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    ] }), NOW)
    expect(of(list, 'trust').map((f) => [f.severity, f.title])).toEqual([
      ['critical', 'Role open trusts anyone (*)'],
      ['high', 'Role vendor trusts account 999988887777 without an external id'],
    ])
    expect(principalAccount('arn:aws:sts::123456789012:assumed-role/x/y')).toBe('123456789012')
  })

  it('reads the credential report: console without MFA, keys old or unused; roles unused for 90 days', () => {
    const arn = `arn:aws:iam::${ACCT}:user/old`
    const list = findings(account({ RoleDetailList: [
      role('stale', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }], { RoleLastUsed: { LastUsedDate: '2026-06-01T00:00:00Z' } }),
      role('never', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }], { RoleLastUsed: {}, CreateDate: '2025-01-01T00:00:00Z' }),
      role('linked', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }], { Path: '/aws-service-role/', RoleLastUsed: {}, CreateDate: '2025-01-01T00:00:00Z' }),
    ] }, [{ user: 'old', arn, password_enabled: 'true', mfa_active: 'false', access_key_1_active: 'true', access_key_1_last_rotated: '2026-01-01T00:00:00+00:00', access_key_1_last_used_date: 'N/A', access_key_2_active: 'false', access_key_2_last_rotated: '2020-01-01T00:00:00+00:00' }]), NOW)
    expect(of(list, 'credentials').map((f) => f.title).sort()).toEqual(['old signs in to the console without MFA', "old's access key 1 is older than 90 days", "old's access key 1 unused for 90+ days"])
    expect(of(list, 'unused').map((f) => f.title).sort()).toEqual(['Role never unused for 90+ days', 'Role stale unused for 90+ days'])
  })

  it('decodes policy documents URL-encoded or plain, and reads quoted CSV', () => {
    expect(decodeDocument('%7B%22Statement%22%3A%5B%5D%7D')).toEqual({ Statement: [] })
    expect(decodeDocument('{"Statement":[]}')).toEqual({ Statement: [] })
    expect(decodeDocument('not json')).toBeUndefined()
    expect(parseCsv('user,note\r\na,"x, ""y"""\nb,\n')).toEqual([{ user: 'a', note: 'x, "y"' }, { user: 'b', note: '' }])
  })
})
