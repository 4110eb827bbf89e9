// The explorer's findings on hand-made accounts. Admin and paths to admin come from
// iam-edge/policy's evaluation (boundaries, Deny across policies, NotAction, conditions, every
// path); the per-policy categories from the evaluator and the action data; trust, credentials
// and unused roles from the export. Each case is one a naive reading gets wrong.
import { beforeAll, describe, expect, it } from 'vitest'
import { analyse, locate, locateEvidence, readModel, searchPaths } from '../../explorer/analysis.js'
import { byService, effectivePermissions } from '../../explorer/effective.js'
import { escalationFindings } from '../../explorer/findings.js'
import { actionDataFindings, CREDENTIALS_EXPOSURE, DATA_EXFILTRATION } from '../../explorer/categories.js'
import { entityOf } from '../../explorer/entity.js'
import { unusedServices } from '../../explorer/unused.js'
import { accountIdOf, attachments, boundaries, type Finding, findings, principalAccount, riskOf, sortFindings } from '../../explorer/findings.js'
import { type Account, decodeDocument, defaultDocument, parseCsv, type RoleDetail, statements, type UserDetail } from '../../explorer/model.js'
import { type ActionData, loadActionData } from '../../src/policy/index.js'
import goldenFindings from '../fixtures/explorer/golden-findings.json' with { type: 'json' }
import vulnerableExport from '../policy/fixtures/iam-vulnerable.json' with { type: 'json' }
import { ADMINS, EXPLOITABLE, NOT_EXPLOITABLE } from '../policy/iam-vulnerable.js'
import { GOLDEN, NOW as GOLDEN_NOW } from '../support/explorer-golden.js'

const NOW = new Date('2026-12-01T00:00:00Z')
const ACCT = '111122223333'
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })
const arnOf = (kind: string, name: string, path = '/') => `arn:aws:iam::${ACCT}:${kind}${path}${name}`
const user = (name: string, extra: Partial<UserDetail> = {}): UserDetail => ({ UserName: name, Arn: arnOf('user', name, extra.Path), Path: '/', CreateDate: '2026-11-01T00:00:00Z', ...extra })
const role = (name: string, trust: object[], extra: Partial<RoleDetail> = {}): RoleDetail => ({ RoleName: name, Arn: arnOf('role', name, extra.Path), Path: '/', CreateDate: '2026-11-20T00:00:00Z', AssumeRolePolicyDocument: encodeURIComponent(doc(...trust)), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' }, ...extra })
const inline = (name: string, ...statements: object[]) => ({ PolicyName: name, PolicyDocument: encodeURIComponent(doc(...statements)) })
const managed = (name: string, ...statements: object[]) => ({ PolicyName: name, Arn: arnOf('policy', name), Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(doc(...statements)) }] })
const attach = (name: string, arn = arnOf('policy', name)) => ({ PolicyName: name, PolicyArn: arn })
const ADMIN = { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) }] }
const ec2Trust = [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]
const account = (a: Partial<Account['details']>, report?: Account['credentialReport']): Account => ({ details: { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], ...a }, ...(report === undefined ? {} : { credentialReport: report }) })
const of = (list: Finding[], category: string) => list.filter((f) => f.category === category)

let actions: ActionData
beforeAll(async () => {
  actions = await loadActionData()
})

/** Every finding, as the explorer shows them once the action data has loaded. */
function review(a: Account, now = NOW): Finding[] {
  const analysis = analyse(a.details, now)
  return sortFindings([...findings(a, analysis, now), ...actionDataFindings(actions, analysis, attachments(a), boundaries(a))])
}

describe('admin and paths to admin, from evaluation', () => {
  it('finds nothing on a clean account', () => {
    const clean = account(
      { UserDetailList: [user('reader', { AttachedManagedPolicies: [attach('Read')] })], Policies: [managed('Read', { Effect: 'Allow', Action: ['s3:ListBucket', 'iam:Get*'], Resource: '*' })], RoleDetailList: [role('svc', [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }])] },
      [{ user: 'reader', arn: arnOf('user', 'reader'), password_enabled: 'false', mfa_active: 'false', access_key_1_active: 'true', access_key_1_last_rotated: '2026-11-01T00:00:00+00:00', access_key_1_last_used_date: '2026-11-30T00:00:00+00:00', access_key_2_active: 'false' }],
    )
    expect(review(clean)).toEqual([])
  })

  it('reports an admin once, critical, with the policy and statement that make it so', () => {
    const list = review(account({ UserDetailList: [user('boss', { UserPolicyList: [inline('god', { Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' })] })] }))
    expect(of(list, 'full-admin')).toMatchObject([{ severity: 'critical', title: 'User boss is admin', statements: ['god All'], principals: [arnOf('user', 'boss')], detail: ['god'], conditional: false }])
    // an admin is not also reported as able to become admin
    expect(of(list, 'privilege-escalation')).toEqual([])
    expect(list[0]?.category).toBe('full-admin')
  })

  it('applies the permissions boundary: AdministratorAccess under an S3-only boundary is not admin', () => {
    const list = review(account({
      RoleDetailList: [role('bounded', ec2Trust, { AttachedManagedPolicies: [attach('AdministratorAccess', ADMIN.Arn)], PermissionsBoundary: { PermissionsBoundaryArn: arnOf('policy', 'S3Only'), PermissionsBoundaryType: 'Policy' } })],
      Policies: [ADMIN, managed('S3Only', { Effect: 'Allow', Action: 's3:*', Resource: '*' })],
    }))
    expect(of(list, 'full-admin')).toEqual([])
    expect(of(list, 'privilege-escalation')).toEqual([])
    // the boundary is a boundary, not an unattached grant
    expect(of(list, 'unattached-policy')).toEqual([])
  })

  it('honours a Deny in another policy, and reads Allow * with Deny iam:* as not admin', () => {
    const cancelled = review(account({ UserDetailList: [user('u', { AttachedManagedPolicies: [attach('AdministratorAccess', ADMIN.Arn)], UserPolicyList: [inline('no', { Effect: 'Deny', Action: '*', Resource: '*' })] })], Policies: [ADMIN] }))
    expect(of(cancelled, 'full-admin')).toEqual([])
    const noIam = review(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' })] })] }))
    expect(of(noIam, 'full-admin')).toEqual([])
    expect(of(noIam, 'privilege-escalation')).toEqual([])
  })

  it('finds that NotAction: s3:* can make itself admin', () => {
    const list = review(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', NotAction: 's3:*', Resource: '*' })] })] }))
    expect(of(list, 'full-admin')).toEqual([])
    const esc = of(list, 'privilege-escalation')
    expect(esc).toHaveLength(1)
    expect(esc[0]?.detail).toContain('iam-007 iam:PutUserPolicy')
    expect(esc[0]?.paths?.[0]?.Hops[0]?.BecomesAdmin).toBe(true)
  })

  it('does not hide a mint-keys-for-admin escalation behind a Deny with NotResource', () => {
    const list = review(account({ UserDetailList: [user('admin', { AttachedManagedPolicies: [attach('AdministratorAccess', ADMIN.Arn)] }), user('helper', { UserPolicyList: [inline('keys', { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' }, { Effect: 'Deny', Action: 'iam:CreateAccessKey', NotResource: arnOf('user', 'admin') })] })], Policies: [ADMIN] }))
    const helper = of(list, 'privilege-escalation').find((f) => f.principals[0] === arnOf('user', 'helper'))
    expect(helper?.paths?.map((p) => p.Hops.map((h) => [h.MethodId, h.Gains]))).toEqual([[['iam-002', arnOf('user', 'admin')]]])
  })

  it('calls a finding conditional only when every path has a conditional step', () => {
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }
    const onlyConditional = review(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*', Condition: mfa })] })] }))
    expect(of(onlyConditional, 'privilege-escalation')).toMatchObject([{ conditional: true, severity: 'high' }])
    const oneFree = review(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*', Condition: mfa }, { Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: '*' })] })] }))
    expect(of(oneFree, 'privilege-escalation')).toMatchObject([{ conditional: false, severity: 'critical' }])
  })

  it('does not call self-service on ${aws:username} an escalation', () => {
    const list = review(account({ UserDetailList: [user('admin', { AttachedManagedPolicies: [attach('AdministratorAccess', ADMIN.Arn)] }), user('me', { UserPolicyList: [inline('self', { Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], Resource: 'arn:aws:iam::*:user/${aws:username}' })] })], Policies: [ADMIN] }))
    expect(of(list, 'privilege-escalation')).toEqual([])
  })

  it('says when only the policies together make the path: PassRole from a group, RunInstances from a managed policy', () => {
    const list = review(account({
      UserDetailList: [user('dev', { GroupList: ['builders'], AttachedManagedPolicies: [attach('Run')] })],
      GroupDetailList: [{ GroupName: 'builders', Arn: arnOf('group', 'builders'), Path: '/', CreateDate: '2026-11-01T00:00:00Z', GroupPolicyList: [inline('pass', { Effect: 'Allow', Action: 'iam:PassRole', Resource: arnOf('role', 'power') })] }],
      RoleDetailList: [role('power', ec2Trust, { AttachedManagedPolicies: [attach('AdministratorAccess', ADMIN.Arn)], InstanceProfileList: [{ InstanceProfileName: 'power' }] } as Partial<RoleDetail>)],
      Policies: [managed('Run', { Sid: 'Launch', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' }), ADMIN],
    }))
    const dev = of(list, 'privilege-escalation').find((f) => f.principals[0] === arnOf('user', 'dev'))
    expect(dev).toMatchObject({ title: 'User dev can become admin through its policies together', detail: ['ec2-001 iam:PassRole + ec2:RunInstances'] })
    expect(dev?.statements.sort()).toEqual(['Run Launch', 'pass #1'])
  })

  it('reads entity types from the ARN’s resource part, never by substring', () => {
    expect(entityOf('arn:aws:iam::111122223333:user/:group/x')).toEqual({ kind: 'user', name: 'x', account: '111122223333' })
    expect(entityOf('arn:aws:iam::111122223333:role/:user/alice')).toEqual({ kind: 'role', name: 'alice', account: '111122223333' })
    expect(entityOf('arn:aws:iam::aws:policy/aws-service-role/X')).toEqual({ kind: 'policy', name: 'X', account: 'aws' })
    expect([entityOf('arn:aws:s3:::user/x'), entityOf('arn:aws:iam::1:mfa/x'), entityOf('arn:aws:iam::1:user/'), entityOf('user/x'), entityOf('arn:aws:iam:us-east-1:1:user/x')]).toEqual([undefined, undefined, undefined, undefined, undefined])
    // a user whose path is /:group/ keeps its finding (the old reader skipped it as a group)
    const list = review(account({ UserDetailList: [user('x', { Path: '/:group/', UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' })] })] }))
    expect(of(list, 'privilege-escalation').map((f) => f.principals[0])).toEqual([arnOf('user', 'x', '/:group/')])
  })
})

describe('ground truth: BishopFox’s IAM Vulnerable, as the explorer reports it', () => {
  it('reports every exploitable principal with its path, the admins as admins, and no false positive', () => {
    const list = review({ details: vulnerableExport as unknown as Account['details'] })
    const named = (category: string) => new Map(of(list, category).map((f) => [(f.principals[0] ?? '').split(':').pop() as string, f]))
    const escalating = named('privilege-escalation')
    const missing = EXPLOITABLE.filter(([name, method]) => !escalating.get(name)?.paths?.some((p) => p.Hops[0]?.MethodId === method))
    expect(missing).toEqual([])
    expect(escalating.size).toBe(EXPLOITABLE.length)
    expect([...named('full-admin').keys()].sort()).toEqual([...ADMINS].sort())
    const flagged = new Set(of(list, 'privilege-escalation').concat(of(list, 'full-admin')).flatMap((f) => f.principals.map((p) => p.split(':').pop())))
    expect(NOT_EXPLOITABLE.filter((name) => flagged.has(name))).toEqual([])
  })
})

describe('managed policies: versions and unattached grants', () => {
  it('flags a non-default version that grants admin beside a harmless default', () => {
    const p = { PolicyName: 'Tools', Arn: arnOf('policy', 'Tools'), Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' })) }, { VersionId: 'v2', IsDefaultVersion: false, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: '*', Resource: '*' })) }] }
    const list = review(account({ UserDetailList: [user('holder', { AttachedManagedPolicies: [attach('Tools')] })], Policies: [p] }))
    expect(of(list, 'policy-version')).toMatchObject([{ severity: 'high', title: 'Tools v2 grants admin; the default v1 does not', principals: [arnOf('user', 'holder')], detail: ['v2'] }])
    // the holder cannot switch versions itself: no path
    expect(of(list, 'privilege-escalation')).toEqual([])
  })

  it('flags a non-default version that grants more than the default (not admin): the actions it adds', () => {
    const p = { PolicyName: 'Ops', Arn: arnOf('policy', 'Ops'), Path: '/', DefaultVersionId: 'v2', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: false, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutBucketPolicy'], Resource: '*' })) }, { VersionId: 'v2', IsDefaultVersion: true, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })) }, { VersionId: 'v3', IsDefaultVersion: false, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::narrow/*' })) }] }
    const list = review(account({ UserDetailList: [user('holder', { AttachedManagedPolicies: [attach('Ops')] })], Policies: [p] }))
    expect(of(list, 'policy-version')).toMatchObject([{ severity: 'medium', title: 'Ops v1 grants 1 action the default v2 does not', detail: ['s3:PutBucketPolicy'], principals: [arnOf('user', 'holder')] }])
  })

  it('reports an unattached policy apart from live grants, at low severity', () => {
    const list = review(account({ Policies: [managed('Spare', { Effect: 'Allow', Action: '*', Resource: '*' }), managed('Share', { Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: '*' })] }))
    expect(list.map((f) => [f.category, f.severity, f.title])).toEqual([
      ['unattached-policy', 'low', 'Share, attached to no one, would allow resource exposure, infrastructure modification'],
      ['unattached-policy', 'low', 'Spare grants admin but is attached to no one'],
    ])
  })

  it('skips the AWS managed policies of service-linked roles', () => {
    const slrPolicy = { ...managed('AWSServiceRoleForX', { Effect: 'Allow', Action: ['s3:PutBucketPolicy', 'ec2:*'], Resource: '*' }), Arn: 'arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForX' }
    const list = review(account({ RoleDetailList: [role('AWSServiceRoleForX', ec2Trust, { Path: '/aws-service-role/x.amazonaws.com/', AttachedManagedPolicies: [attach('AWSServiceRoleForX', slrPolicy.Arn)] })], Policies: [slrPolicy] }))
    expect(list).toEqual([])
  })
})

describe('Cloudsplaining’s categories, from access levels', () => {
  const one = (...statements: object[]) => review(account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', ...statements)] })] }))

  it('resource exposure is every Permissions management action allowed on every resource', () => {
    const list = one({ Effect: 'Allow', Action: ['s3:PutBucketPublicAccessBlock', 's3:PutObjectVersionAcl', 'ssm:ModifyDocumentPermission', 's3:GetObject'], Resource: '*' })
    expect(of(list, 'resource-exposure')[0]?.detail).toEqual(['s3:PutBucketPublicAccessBlock', 's3:PutObjectVersionAcl', 'ssm:ModifyDocumentPermission'])
    expect(of(list, 'data-exfiltration')[0]?.detail).toEqual(['s3:GetObject'])
  })

  it('infrastructure modification is Write and Tagging, whatever the case of the policy', () => {
    const list = one({ Effect: 'Allow', Action: ['ssm:sendCommand', 'DYNAMODB:BatchWriteItem', 'ec2:CreateTags', 'logs:StartQuery', 'kms:Decrypt'], Resource: '*' })
    expect(of(list, 'infrastructure-modification')[0]?.detail).toEqual(['dynamodb:BatchWriteItem', 'ec2:CreateTags', 'kms:Decrypt', 'ssm:SendCommand'])
  })

  it('credentials exposure and data exfiltration use their lists; a narrowed resource is none of these', () => {
    expect(of(one({ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'sts:GetSessionToken'], Resource: '*' }), 'credentials-exposure')[0]?.detail).toEqual(['ecr:GetAuthorizationToken', 'sts:GetSessionToken'])
    expect(CREDENTIALS_EXPOSURE).toContain('iam:CreateAccessKey')
    expect(DATA_EXFILTRATION).toContain('secretsmanager:GetSecretValue')
    const narrow = one({ Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:GetObject', 's3:*'], Resource: 'arn:aws:s3:::one/*' })
    expect(narrow.filter((f) => f.category !== 'inline-policy')).toEqual([])
  })

  it('a Deny in the policy takes actions away; a conditional statement makes its finding conditional', () => {
    const list = one({ Effect: 'Allow', Action: 's3:Put*', Resource: '*' }, { Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*' })
    expect(of(list, 'resource-exposure')[0]?.detail).not.toContain('s3:PutBucketPolicy')
    expect(of(list, 'resource-exposure')[0]?.detail).toContain('s3:PutBucketAcl')
    const conditional = one({ Sid: 'Tls', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })
    expect(of(conditional, 'data-exfiltration')).toMatchObject([{ conditional: true, statements: ['Tls'] }])
  })

  it('service wildcard: a whole service allowed, unless the policy denies part of it', () => {
    expect(of(one({ Effect: 'Allow', Action: ['S3:*', 'ec2:*', 'iam:Get*'], Resource: '*' }, { Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' }), 'service-wildcard')).toMatchObject([{ detail: ['s3'], statements: ['#1'] }])
    // `*` on `*` is admin (its holder's finding says so); under a condition it is every service, conditionally
    expect(of(one({ Effect: 'Allow', Action: '*', Resource: '*' }), 'service-wildcard')).toEqual([])
    expect(of(one({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }), 'service-wildcard')).toMatchObject([{ detail: ['every service'], conditional: true }])
    expect(of(one({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' }), 'service-wildcard')).toEqual([])
  })

  it('reads NotAction as every action it does not name', () => {
    const list = one({ Effect: 'Allow', NotAction: ['iam:*', 'sts:*'], Resource: '*' })
    expect(of(list, 'credentials-exposure')[0]?.detail).toEqual(CREDENTIALS_EXPOSURE.filter((a) => !a.startsWith('iam:') && !a.startsWith('sts:')).map((a) => actions.action(a)?.action ?? a).sort())
    expect(of(list, 'resource-exposure')[0]?.detail).not.toContain('iam:PutUserPolicy')
  })
})

describe('trust', () => {
  const trustFindings = (...roles: RoleDetail[]) => of(review(account({ RoleDetailList: roles })), 'trust').map((f) => [f.severity, f.title])

  it('flags anyone and another account without an external id; not an org-guarded one, its own account, a real external id or a service', () => {
    expect(trustFindings(
      role('open', [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }]),
      role('org', [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }]),
      role('vendor', [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' }]),
      role('starred', [{ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'sts:ExternalId': '*' } } }]),
      role('vendor-safe', [{ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } }]),
      role('own', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'sts:AssumeRole' }]),
      role('svc', ec2Trust),
    )).toEqual([
      ['critical', 'Role open trusts anyone (*)'],
      ['high', 'Role starred trusts account 999988887777 without a real external id'],
      ['high', 'Role vendor trusts account 999988887777 without an external id'],
    ])
    expect(principalAccount('arn:aws:sts::123456789012:assumed-role/x/y')).toBe('123456789012')
  })

  it('flags GitHub OIDC trust without a sub condition or with any repository owner; a pinned organization passes', () => {
    const gh = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`
    const web = (name: string, condition?: object) => role(name, [{ Effect: 'Allow', Principal: { Federated: gh }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }])
    expect(trustFindings(
      web('nosub', { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }),
      web('anyrepo', { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } }),
      web('anyowner', { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*/deploy:*' } }),
      web('pinned', { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }),
    )).toEqual([
      ['critical', 'Role anyowner trusts any GitHub repository (sub repo:*/deploy:*)'],
      ['critical', 'Role anyrepo trusts any GitHub repository (sub repo:*)'],
      ['critical', 'Role nosub trusts every GitHub repository (no sub condition)'],
    ])
  })

  it('flags Cognito without aud or amr, other OIDC providers without an audience, SAML without SAML:aud', () => {
    const fed = (name: string, principal: string, condition?: object) => role(name, [{ Effect: 'Allow', Principal: { Federated: principal }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }])
    expect(trustFindings(
      fed('cognito', 'cognito-identity.amazonaws.com', { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' } }),
      fed('cognito-ok', 'cognito-identity.amazonaws.com', { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }),
      fed('google', 'accounts.google.com'),
      fed('eks', `arn:aws:iam::${ACCT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`, { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com' } }),
      fed('saml', `arn:aws:iam::${ACCT}:saml-provider/okta`),
      fed('saml-ok', `arn:aws:iam::${ACCT}:saml-provider/okta`, { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } }),
    )).toEqual([
      ['high', 'Role cognito trusts Cognito without cognito-identity.amazonaws.com:amr'],
      ['high', 'Role google trusts the OIDC provider accounts.google.com without an audience'],
      ['high', 'Role saml trusts a SAML provider without SAML:aud'],
    ])
  })
})

describe('credentials, unused roles, inline policies, documents', () => {
  it('reads the credential report: console without MFA, keys old or unused; roles unused for 90 days', () => {
    const arn = arnOf('user', 'old')
    const list = review(account({ RoleDetailList: [
      role('stale', ec2Trust, { RoleLastUsed: { LastUsedDate: '2026-06-01T00:00:00Z' } }),
      role('never', ec2Trust, { RoleLastUsed: {}, CreateDate: '2025-01-01T00:00:00Z' }),
      role('linked', ec2Trust, { Path: '/aws-service-role/', RoleLastUsed: {}, CreateDate: '2025-01-01T00:00:00Z' }),
    ] }, [{ user: 'old', arn, password_enabled: 'true', mfa_active: 'false', access_key_1_active: 'true', access_key_1_last_rotated: '2026-01-01T00:00:00+00:00', access_key_1_last_used_date: 'N/A', access_key_2_active: 'false', access_key_2_last_rotated: '2020-01-01T00:00:00+00:00' }]))
    expect(of(list, 'credentials').map((f) => f.title).sort()).toEqual(['old signs in to the console without MFA', "old's access key 1 is older than 90 days", "old's access key 1 unused for 90+ days"])
    expect(of(list, 'unused').map((f) => f.title).sort()).toEqual(['Role never unused for 90+ days', 'Role stale unused for 90+ days'])
    expect(riskOf(list).get(arn)).toBe('high')
  })

  it('reads the inline policies of users, groups and roles, and a group’s finding reaches its members', () => {
    const list = review(account({
      UserDetailList: [user('a', { GroupList: ['g'] })],
      GroupDetailList: [{ GroupName: 'g', Arn: arnOf('group', 'g'), Path: '/', CreateDate: '', GroupPolicyList: [inline('gp', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })] }],
      RoleDetailList: [role('r', ec2Trust, { RolePolicyList: [inline('rp', { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' })] })],
    }))
    expect(of(list, 'inline-policy').map((f) => f.title).sort()).toEqual(['Inline policy gp on group g', 'Inline policy rp on role r'])
    expect(of(list, 'data-exfiltration').map((f) => [f.policy?.name, f.principals])).toEqual([['gp', [arnOf('group', 'g'), arnOf('user', 'a')]], ['rp', [arnOf('role', 'r')]]])
  })

  it('reads documents URL-encoded, plain, or as objects (the AWS CLI’s export), and quoted CSV', () => {
    expect(decodeDocument('%7B%22Statement%22%3A%5B%5D%7D')).toEqual({ Statement: [] })
    expect(decodeDocument('{"Statement":[]}')).toEqual({ Statement: [] })
    expect(decodeDocument({ Statement: [] })).toEqual({ Statement: [] })
    expect(decodeDocument('not json')).toBeUndefined()
    expect(parseCsv('user,note\r\na,"x, ""y"""\nb,\n')).toEqual([{ user: 'a', note: 'x, "y"' }, { user: 'b', note: '' }])
    // an export as the AWS CLI prints it gives the same findings
    const objects = account({ UserDetailList: [{ ...user('u'), UserPolicyList: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' }] } as unknown as string }] }] })
    expect(of(review(objects), 'privilege-escalation')).toHaveLength(1)
  })

  it('finds a managed policy’s default version by its flag, else by DefaultVersionId; reads only objects as documents', () => {
    const p = managed('P', { Effect: 'Allow', Action: 's3:*', Resource: '*' })
    expect(statements(defaultDocument(p))).toHaveLength(1)
    expect(statements(defaultDocument({ ...p, PolicyVersionList: [{ ...(p.PolicyVersionList[0] as { VersionId: string; IsDefaultVersion: boolean; Document: string }), IsDefaultVersion: false }] }))).toHaveLength(1)
    expect(decodeDocument('[1]')).toBeUndefined()
    expect(parseCsv('a,b\n1,2')).toEqual([{ a: '1', b: '2' }])
  })

  it('the evaluator refuses an export it cannot read by saying so, not with an empty account', () => {
    const analysis = analyse({ UserDetailList: 'nonsense' } as unknown as Account['details'])
    expect(analysis.error).toMatch(/UserDetailList/)
    expect(analysis.escalations.size).toBe(0)
  })
})

describe('where evidence lives, and what a principal can do', () => {
  const sample = () => account({
    UserDetailList: [user('dev', { GroupList: ['g'], AttachedManagedPolicies: [attach('Run'), attach('ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess')], UserPolicyList: [inline('mine', { Sid: 'Mine', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' })] })],
    GroupDetailList: [{ GroupName: 'g', Arn: arnOf('group', 'g'), Path: '/', CreateDate: '', GroupPolicyList: [inline('grp', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, { Sid: 'Second', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' })] }],
    RoleDetailList: [role('r', ec2Trust, { RolePolicyList: [inline('rp', { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' })] })],
    Policies: [managed('Run', { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }, { Sid: 'Launch', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' }), { ...managed('ReadOnlyAccess', { Sid: 'Ro', Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }), Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  })

  it('locates a managed statement at its position, an inline one with its holder, a group’s with the group, a trust policy with the role', () => {
    const { model } = readModel(sample().details)
    const dev = arnOf('user', 'dev')
    const at = (policy: string, index: number) => {
      const p = [...model.policies.values()].find((x) => x.name === policy)?.document ?? model.byArn.get(dev)?.inline.find((x) => x.id === policy) ?? model.byArn.get(dev)?.groups[0]?.inline.find((x) => x.id === policy)
      return p?.statements[index]?.start
    }
    expect(locate(model, dev, { SourcePolicyId: 'Run', SourcePolicyType: 'user-managed', StartPosition: at('Run', 1) })).toEqual({ label: 'Run Launch', href: `#/policies/${encodeURIComponent(arnOf('policy', 'Run'))}?statement=2` })
    expect(locate(model, dev, { SourcePolicyId: 'Run', SourcePolicyType: 'user-managed', StartPosition: at('Run', 0) })).toEqual({ label: 'Run #1', href: `#/policies/${encodeURIComponent(arnOf('policy', 'Run'))}?statement=1` })
    expect(locate(model, dev, { SourcePolicyId: 'ReadOnlyAccess', SourcePolicyType: 'aws-managed', StartPosition: at('ReadOnlyAccess', 0) }).label).toBe('ReadOnlyAccess Ro')
    // a customer policy of the same name as an AWS one is not mistaken for it
    expect(locate(model, dev, { SourcePolicyId: 'ReadOnlyAccess', SourcePolicyType: 'user-managed' })).toEqual({ label: 'ReadOnlyAccess', href: undefined })
    expect(locate(model, dev, { SourcePolicyId: 'Run', SourcePolicyType: 'user-managed', StartPosition: { Line: 99, Column: 1 } })).toEqual({ label: 'Run ?', href: `#/policies/${encodeURIComponent(arnOf('policy', 'Run'))}` })
    expect(locate(model, dev, { SourcePolicyId: 'mine', SourcePolicyType: 'user', StartPosition: at('mine', 0) })).toEqual({ label: 'mine Mine', href: '#/users/dev' })
    expect(locate(model, dev, { SourcePolicyId: 'grp', SourcePolicyType: 'group', StartPosition: at('grp', 1) })).toEqual({ label: 'grp Second', href: '#/groups/g' })
    const r = arnOf('role', 'r')
    const trust = model.byArn.get(r)?.trust?.statements[0]?.start
    expect(locate(model, r, { SourcePolicyId: 'AssumeRolePolicyDocument', SourcePolicyType: 'resource', StartPosition: trust })).toEqual({ label: 'AssumeRolePolicyDocument #1', href: '#/roles/r' })
    expect(locate(model, r, { SourcePolicyId: 'rp', SourcePolicyType: 'role', StartPosition: model.byArn.get(r)?.inline[0]?.statements[0]?.start })).toEqual({ label: 'rp #1', href: '#/roles/r' })
    expect(locate(model, undefined, { SourcePolicyId: 'mine', SourcePolicyType: 'user' })).toEqual({ label: 'mine', href: undefined })
    expect(locate(model, dev, { SourcePolicyId: 'nowhere', SourcePolicyType: 'user' })).toEqual({ label: 'nowhere', href: undefined })
    expect(locate(model, dev, {})).toEqual({ label: '?', href: undefined })
  })

  it('reads the export first and searches later: nothing found while pending, the same as analyse after', () => {
    const a = account({ UserDetailList: [user('u', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' })] })] })
    const pending = readModel(a.details)
    expect([pending.pending, pending.escalations.size, escalationFindings(pending)]).toEqual([true, 0, []])
    searchPaths(pending, NOW)
    expect(pending.pending).toBe(false)
    expect(escalationFindings(pending)).toEqual(escalationFindings(analyse(a.details, NOW)))
    // searching again changes nothing
    const before = pending.escalations
    expect(searchPaths(pending).escalations).toBe(before)
  })

  it('gives effective permissions by service and access level, everywhere or on named resources, with their statements', () => {
    const a = sample()
    const { model } = readModel(a.details)
    const dev = model.byArn.get(arnOf('user', 'dev'))
    if (!dev) throw new Error('no dev')
    const rows = effectivePermissions(actions, model, dev)
    const row = (service: string, level: string) => rows.find((r) => r.service === service && r.level === level)
    expect(row('ec2', 'Write')?.everywhere).toEqual(['ec2:RunInstances'])
    expect(row('ec2', 'List')?.everywhere.length).toBeGreaterThan(10)
    expect([...(row('s3', 'Read')?.somewhere ?? [])]).toEqual([['s3:GetObject', ['arn:aws:s3:::b/*']]])
    expect(row('s3', 'Read')?.everywhere).toEqual([])
    expect(row('sqs', 'Write')?.evidence.map((e) => locateEvidence(model, dev.arn, e).label)).toEqual(['mine Mine'])
    expect(rows.map((r) => r.service)).toEqual([...rows.map((r) => r.service)].sort())
    const services = byService(actions, rows)
    const s3 = services.find((x) => x.service === 's3')
    expect(s3?.levels.get('Read')).toMatchObject({ allowed: 1, somewhere: 1, conditional: 0 })
    expect(s3?.levels.get('Read')?.of).toBe([...actions.withAccessLevel('Read')].filter((x) => x.startsWith('s3:')).length)
    // a Deny and the boundary take away
    const denied = account({ UserDetailList: [user('d', { UserPolicyList: [inline('p', { Effect: 'Allow', Action: ['sqs:*'], Resource: '*' }, { Effect: 'Deny', Action: 'sqs:Delete*', Resource: '*' })], PermissionsBoundary: { PermissionsBoundaryArn: arnOf('policy', 'B') } })], Policies: [managed('B', { Effect: 'Allow', Action: ['sqs:Send*', 'sqs:Delete*'], Resource: '*' })] })
    const m2 = readModel(denied.details).model
    const d = m2.byArn.get(arnOf('user', 'd'))
    if (!d) throw new Error('no d')
    const allowed = effectivePermissions(actions, m2, d).flatMap((r) => r.everywhere)
    expect(allowed.length).toBeGreaterThan(0)
    expect(allowed.every((x) => x.startsWith('sqs:Send'))).toBe(true)
  })
})

describe('unused access (Access Advisor)', () => {
  it('lists the services not used for 90 days or never, by namespace', () => {
    const services = [
      { ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: '2026-11-30T00:00:00Z' },
      { ServiceName: 'AWS Lambda', ServiceNamespace: 'lambda' },
      { ServiceName: 'Amazon EC2', ServiceNamespace: 'ec2', LastAuthenticated: '2026-09-01T23:59:59Z' },
      { ServiceName: 'Amazon SQS', ServiceNamespace: 'sqs', LastAuthenticated: '2026-09-02T00:00:01Z' },
    ]
    expect(unusedServices(services, NOW)).toEqual([
      { name: 'Amazon EC2', namespace: 'ec2', last: '2026-09-01T23:59:59Z' },
      { name: 'AWS Lambda', namespace: 'lambda', last: undefined },
    ])
  })
})

describe('explorer findings, every field', () => {
  // reviewed by hand (see the fixture's header): one of each category, and what must not be flagged
  it('gives exactly the reviewed findings for an account with one of everything', () => {
    expect(review(GOLDEN, GOLDEN_NOW)).toEqual(goldenFindings)
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
  })
})
