// The explorer's findings engine on hand-made accounts: each category found, Deny and NotAction
// honoured, conditions kept as conditional, nothing found on a clean account.
import { describe, expect, it } from 'vitest'
import { accountIdOf, attachments, type Finding, findings, principalAccount } from '../../explorer/findings.js'
import { type Account, decodeDocument, defaultDocument, parseCsv, type RoleDetail, statements, type UserDetail } from '../../explorer/model.js'
import goldenFindings from '../fixtures/explorer/golden-findings.json' with { type: 'json' }
import { GOLDEN, NOW as GOLDEN_NOW } from '../support/explorer-golden.js'

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

describe('explorer findings, every field', () => {
  // reviewed by hand: one of each category, and what must not be flagged (an external id, a
  // service trust, a narrowed resource, an unattached AWS policy, a new key not yet used)
  it('gives exactly the reviewed findings for an account with one of everything', () => {
    expect(findings(GOLDEN, GOLDEN_NOW)).toEqual(goldenFindings)
  })

  it('reads the account id from its ARNs, and links every managed policy to who holds it', () => {
    expect(accountIdOf(GOLDEN)).toBe('111122223333')
    expect(accountIdOf(account({ Policies: [managed('P')] }))).toBe(ACCT)
    expect(accountIdOf(account({}))).toBeUndefined()
    expect(Object.fromEntries(attachments(GOLDEN))).toEqual({
      'arn:aws:iam::111122223333:policy/Run': ['arn:aws:iam::111122223333:user/dev'],
      'arn:aws:iam::aws:policy/ReadOnlyAccess': ['arn:aws:iam::111122223333:user/reader'],
      'arn:aws:iam::111122223333:policy/Expose': ['arn:aws:iam::111122223333:role/ops'],
    })
    const viaGroup = account({ UserDetailList: [user('a', { GroupList: ['g'] }), user('b', { GroupList: ['g'] })], GroupDetailList: [{ GroupName: 'g', Arn: `arn:aws:iam::${ACCT}:group/g`, Path: '/', CreateDate: '', AttachedManagedPolicies: [{ PolicyName: 'P', PolicyArn: 'p' }, { PolicyName: 'P', PolicyArn: 'p' }] }] })
    expect(attachments(viaGroup).get('p')).toEqual([`arn:aws:iam::${ACCT}:group/g`, `arn:aws:iam::${ACCT}:user/a`, `arn:aws:iam::${ACCT}:user/b`])
  })
})

describe('explorer findings, IAM evaluation edges', () => {
  const one = (...statements: object[]) => findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', ...statements)] })] }), NOW)
  const methods = (list: Finding[]) => of(list, 'privilege-escalation')[0]?.detail ?? []

  it('reads NotAction as every action none of its patterns match', () => {
    const esc = methods(one({ Effect: 'Allow', NotAction: ['s3:*', 'iam:Create*'], Resource: '*' }))
    expect(esc).not.toContain('CreateAccessKey')
    expect(esc).toContain('AttachUserPolicy')
  })

  it('counts NotResource and a `*` among other resources as every resource, and only those', () => {
    expect(of(one({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }), 'data-exfiltration')).toHaveLength(1)
    expect(of(one({ Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::a/*', '*'] }), 'data-exfiltration')).toHaveLength(1)
    expect(of(one({ Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'] }), 'data-exfiltration')).toHaveLength(0)
  })

  it('finds nothing in Deny statements alone, and an empty Condition is no condition', () => {
    expect(one({ Effect: 'Deny', Action: '*', Resource: '*' }).filter((f) => f.category !== 'inline-policy')).toEqual([])
    expect(of(one({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*', Condition: {} }), 'privilege-escalation')[0]?.conditional).toBe(false)
  })

  it('prefers an unconditional allow, and calls a finding conditional only when every statement it rests on is', () => {
    const both = one({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }, { Sid: 'Plain', Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' })
    expect(of(both, 'privilege-escalation')[0]).toMatchObject({ conditional: false, statements: ['Plain'] })
    const mixed = one({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }, { Effect: 'Allow', Action: ['iam:AttachUserPolicy', 's3:PutBucketPolicy', 's3:GetObject', 'ec2:TerminateInstances'], Resource: '*' }, { Effect: 'Allow', Action: ['s3:PutObjectAcl', 'ssm:GetParameter', 'ec2:StopInstances'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })
    for (const category of ['privilege-escalation', 'resource-exposure', 'data-exfiltration', 'infrastructure-modification']) expect(of(mixed, category)[0]?.conditional, category).toBe(false)
  })

  it('assumes any role only with sts:AssumeRole on every resource; a full Deny takes full admin away', () => {
    expect(methods(one({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::1:role/x' }))).toEqual([])
    expect(methods(one({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }))).toEqual(['AssumeAnyRole'])
    expect(of(one({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' }), 'full-admin')).toEqual([])
  })

  it('lists write actions and whole services as infrastructure modification, less what a Deny removes', () => {
    const list = one({ Effect: 'Allow', Action: ['ec2:*', 'ec2:DescribeInstances', 'lambda:UpdateFunctionCode', 's3:DeleteBucket'], Resource: '*' }, { Effect: 'Deny', Action: 's3:Delete*', Resource: '*' })
    expect(of(list, 'infrastructure-modification')[0]?.detail).toEqual(['ec2:*', 'lambda:UpdateFunctionCode'])
  })

  it('reports a customer policy nobody holds (it is one attachment away), but not an AWS one', () => {
    const list = findings(account({ Policies: [managed('Loose', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' }), { ...managed('AWSPower', { Effect: 'Allow', Action: 'iam:*', Resource: '*' }), Arn: 'arn:aws:iam::aws:policy/AWSPower' }] }), NOW)
    expect(of(list, 'privilege-escalation').map((f) => [f.policy?.name, f.principals])).toEqual([['Loose', []]])
  })

  it('reads the inline policies of roles and groups too', () => {
    const list = findings(account({ RoleDetailList: [role('r', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }], { RolePolicyList: [inline('rp', { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*' }, { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })] })] }), NOW)
    expect(of(list, 'privilege-escalation')[0]).toMatchObject({ policy: { name: 'rp', kind: 'inline', arn: `arn:aws:iam::${ACCT}:role/r` }, principals: [`arn:aws:iam::${ACCT}:role/r`], detail: ['PutRolePolicy', 'AssumeAnyRole'] })
    expect(of(list, 'inline-policy').map((f) => f.title)).toEqual(['Inline policy rp on role r'])
  })

  it('takes IAM wildcards literally otherwise: ? is one character, and regex characters match themselves', () => {
    expect(methods(one({ Effect: 'Allow', Action: 'iam:CreateAccessKe?', Resource: '*' }))).toEqual(['CreateAccessKey'])
    expect(methods(one({ Effect: 'Allow', Action: 'iam:Create.ccessKey', Resource: '*' }))).toEqual([])
    expect(methods(one({ Effect: 'Allow', Action: ['iam:(', 'iam:CreateAccessKey'], Resource: '*' }))).toEqual(['CreateAccessKey'])
    expect(methods(one({ Effect: 'Allow', Action: 'iam:createaccesskey', Resource: '*' }))).toEqual(['CreateAccessKey'])
  })

  it('reads the account id from users, roles, groups or customer policies, in that order', () => {
    const ids = (d: Partial<Account['details']>) => accountIdOf(account(d))
    expect(ids({ RoleDetailList: [role('r', [])] })).toBe(ACCT)
    expect(ids({ GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::222233334444:group/g', Path: '/', CreateDate: '' }] })).toBe('222233334444')
    expect(ids({ Policies: [{ ...managed('x'), Arn: 'arn:aws:iam::aws:policy/x' }] })).toBeUndefined()
    expect(ids({ UserDetailList: [{ ...user('u'), Arn: 'not-an-arn' }] })).toBeUndefined()
  })
})

describe('explorer readers', () => {
  it('reads a principal’s account from a bare id or an IAM/STS ARN, and nothing else', () => {
    expect(principalAccount('123456789012')).toBe('123456789012')
    expect(principalAccount('1234567890123')).toBeUndefined()
    expect(principalAccount('x123456789012')).toBeUndefined()
    expect(principalAccount('arn:aws:iam::123456789012:root')).toBe('123456789012')
    expect(principalAccount('arn:aws-cn:sts::123456789012:assumed-role/r/s')).toBe('123456789012')
    expect(principalAccount('see arn:aws:iam::123456789012:root')).toBeUndefined()
    expect(principalAccount('arn:aws:s3:::123456789012:x')).toBeUndefined()
  })

  it('says never used or when last used; no_information counts as never', () => {
    const report = (used: string) => findings(account({}, [{ user: 'k', arn: 'arn:aws:iam::1:user/k', password_enabled: 'false', access_key_1_active: 'true', access_key_1_last_rotated: '2026-01-01T00:00:00+00:00', access_key_1_last_used_date: used }]), NOW).filter((f) => f.id.endsWith(':unused'))
    expect(report('no_information').map((f) => f.detail)).toEqual([['never used']])
    expect(report('N/A').map((f) => f.detail)).toEqual([['never used']])
    expect(report('2026-02-03T00:00:00+00:00').map((f) => f.detail)).toEqual([['last used 2026-02-03']])
    expect(report('2026-11-30T00:00:00+00:00')).toEqual([])
  })

  it('finds a managed policy’s default version by its flag, else by DefaultVersionId', () => {
    const policy = managed('P', { Effect: 'Allow', Action: 'x:Y', Resource: '*' })
    const byId = { ...policy, DefaultVersionId: 'v2', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: false, Document: doc({ Sid: 'old' }) }, { VersionId: 'v2', IsDefaultVersion: false, Document: doc({ Sid: 'current' }) }] }
    expect(statements(defaultDocument(byId))).toEqual([{ Sid: 'current' }])
    expect(statements(defaultDocument({ ...byId, PolicyVersionList: undefined }))).toEqual([])
  })

  it('reads only objects as policy documents, and CSV with or without a final line break', () => {
    expect(decodeDocument('[1]')).toBeUndefined()
    expect(decodeDocument('7')).toBeUndefined()
    expect(decodeDocument('')).toBeUndefined()
    expect(parseCsv('a,b\n1,2')).toEqual([{ a: '1', b: '2' }])
    expect(parseCsv('a,b\n1,2\n\n3,4\n')).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }])
    expect(parseCsv('a\n"x\ny"\n')).toEqual([{ a: 'x\ny' }])
    expect(parseCsv('')).toEqual([])
  })
})

describe('explorer findings, what must not be flagged', () => {
  const trustOf = (...st: object[]) => of(findings(account({ RoleDetailList: [role('r', st)] }), NOW), 'trust')

  it('never reads a Deny as an allow, even a conditional one', () => {
    const list = findings(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] })] }), NOW)
    expect(list.map((f) => f.category)).toEqual(['inline-policy'])
    expect(trustOf({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' })).toEqual([])
  })

  it('takes an external id among other condition keys, and reads only AWS principals as accounts', () => {
    expect(trustOf({ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceIp': '1.2.3.4', 'STS:ExternalId': 'e' } } })).toEqual([])
    expect(trustOf({ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::999988887777:oidc-provider/x' }, Action: 'sts:AssumeRoleWithWebIdentity' })).toEqual([])
    expect(trustOf({ Effect: 'Allow', Action: 'sts:AssumeRole' })).toEqual([])
  })

  it('reports a group’s combined escalation for its users, not for the group', () => {
    const list = findings(account({
      UserDetailList: [user('a', { GroupList: ['g'] })],
      GroupDetailList: [{ GroupName: 'g', Arn: `arn:aws:iam::${ACCT}:group/g`, Path: '/', CreateDate: '', GroupPolicyList: [inline('one', { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::1:role/x' }), inline('two', { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'false' } } })] }],
    }), NOW)
    expect(of(list, 'privilege-escalation').filter((f) => f.id.endsWith(':combined')).map((f) => [f.principals, f.conditional])).toEqual([[[`arn:aws:iam::${ACCT}:user/a`], false]])
  })

  it('draws the line at 90 days, skips service-linked roles, and reads a key with no last-used column as never used', () => {
    const at = (iso: string, path = '/') => of(findings(account({ RoleDetailList: [role('r', [], { Path: path, RoleLastUsed: { LastUsedDate: iso } })] }), NOW), 'unused')
    expect(at('2026-09-02T00:00:00Z')).toEqual([])
    expect(at('2026-09-01T23:59:59Z')).toHaveLength(1)
    expect(at('2025-01-01T00:00:00Z', '/aws-service-role/elasticbeanstalk.amazonaws.com/')).toEqual([])
    expect(findings(account({}, [{ user: 'k', arn: 'a', access_key_1_active: 'true', access_key_1_last_rotated: '2026-01-01T00:00:00+00:00' }]), NOW).filter((f) => f.id.endsWith(':unused')).map((f) => f.detail)).toEqual([['never used']])
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([{ a: '1', b: '2' }])
  })
})
