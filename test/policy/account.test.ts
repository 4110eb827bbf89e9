// The account model: GetAccountAuthorizationDetails in the three forms a user has — the typed
// client's output (Dates, documents as decoded text), the proxy's JSON facade (the same as JSON),
// and what the AWS CLI prints (documents as objects) — read to one model; a shape it does not
// know is an error. (Against a live moto, through the client and the CLI: test/integration/policy-account.test.ts.)
import { describe, expect, it } from 'vitest'
import { AccountError, identityPolicies, readAccount } from '../../src/policy/account.js'
import { simulatePrincipalPolicy } from '../../src/policy/principals.js'

const A = '111122223333'
const adminDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
const readDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }

/** One account in the AWS CLI's form: documents as objects, dates as text. */
function cliForm() {
  return {
    UserDetailList: [
      { UserName: 'alice', Path: '/', Arn: `arn:aws:iam::${A}:user/alice`, UserId: 'AIDA1', CreateDate: '2026-01-01T00:00:00Z', GroupList: ['readers'], UserPolicyList: [{ PolicyName: 'inline-deny', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' }] } }], AttachedManagedPolicies: [], Tags: [{ Key: 'team', Value: 'red' }] },
    ],
    GroupDetailList: [{ GroupName: 'readers', Path: '/', Arn: `arn:aws:iam::${A}:group/readers`, GroupId: 'AGPA1', CreateDate: '2026-01-01T00:00:00Z', GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'reads', PolicyArn: `arn:aws:iam::${A}:policy/reads` }] }],
    RoleDetailList: [
      { RoleName: 'web', Path: '/', Arn: `arn:aws:iam::${A}:role/web`, RoleId: 'AROA1', CreateDate: '2026-01-01T00:00:00Z', AssumeRolePolicyDocument: trust, InstanceProfileList: [{ InstanceProfileName: 'web' }], RolePolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }], PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/reads` }, Tags: [] },
    ],
    Policies: [
      { PolicyName: 'reads', Arn: `arn:aws:iam::${A}:policy/reads`, Path: '/', DefaultVersionId: 'v2', AttachmentCount: 1, PolicyVersionList: [{ Document: adminDoc, VersionId: 'v1', IsDefaultVersion: false }, { Document: readDoc, VersionId: 'v2', IsDefaultVersion: true }] },
      { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ Document: adminDoc, VersionId: 'v1', IsDefaultVersion: true }] },
    ],
  }
}

/** The same account as the typed client gives it: documents as (decoded) JSON text, dates as Dates. */
function typedForm() {
  const cli = cliForm()
  const text = (d: unknown) => JSON.stringify(d, null, 2)
  return {
    UserDetailList: cli.UserDetailList.map((u) => ({ ...u, CreateDate: new Date(u.CreateDate), UserPolicyList: u.UserPolicyList.map((p) => ({ ...p, PolicyDocument: text(p.PolicyDocument) })) })),
    GroupDetailList: cli.GroupDetailList.map((g) => ({ ...g, CreateDate: new Date(g.CreateDate) })),
    RoleDetailList: cli.RoleDetailList.map((r) => ({ ...r, CreateDate: new Date(r.CreateDate), AssumeRolePolicyDocument: text(r.AssumeRolePolicyDocument) })),
    Policies: cli.Policies.map((p) => ({ ...p, PolicyVersionList: p.PolicyVersionList.map((v) => ({ ...v, Document: text(v.Document) })) })),
  }
}

describe('readAccount', () => {
  const forms = {
    'the AWS CLI’s output (documents as objects)': cliForm(),
    'the typed client’s output (documents as text, Dates)': typedForm(),
    'the JSON facade’s output (the typed output as JSON)': JSON.parse(JSON.stringify(typedForm())),
    'raw URL-encoded documents': JSON.parse(JSON.stringify(typedForm()), (k, v) => (k === 'Document' || k === 'PolicyDocument' || k === 'AssumeRolePolicyDocument' ? encodeURIComponent(v) : v)),
  }

  it.each(Object.entries(forms))('reads %s to the same model', (_form, details) => {
    const account = readAccount(details)
    expect(account.id).toBe(A)
    expect(account.users.map((u) => [u.name, u.groups.map((g) => g.name), [...u.tags]])).toEqual([['alice', ['readers'], [['team', 'red']]]])
    const role = account.roles[0]
    expect([role?.name, role?.boundaryArn, role?.instanceProfiles, role?.trust?.statements[0]?.principal?.values]).toEqual(['web', `arn:aws:iam::${A}:policy/reads`, 1, [{ kind: 'Service', value: 'ec2.amazonaws.com' }]])
    const reads = account.policies.get(`arn:aws:iam::${A}:policy/reads`)
    expect([reads?.kind, reads?.defaultVersionId, reads?.versions.map((v) => [v.versionId, v.isDefault])]).toEqual(['user-managed', 'v2', [['v1', false], ['v2', true]]])
    // only the default version grants
    expect(reads?.document?.statements[0]?.action.patterns[0]?.text).toBe('s3:get*')
    // a user's policy set: its inline policies, its groups' attached ones
    expect(identityPolicies(account, account.users[0] as never).map((p) => [p.id, p.kind])).toEqual([['inline-deny', 'user'], ['reads', 'user-managed']])
    expect(account.warnings).toEqual([])
  })

  it('takes the pages of a paged answer', () => {
    const cli = cliForm()
    const account = readAccount([{ UserDetailList: cli.UserDetailList, GroupDetailList: cli.GroupDetailList, IsTruncated: true, Marker: 'm' }, { RoleDetailList: cli.RoleDetailList, Policies: cli.Policies, IsTruncated: false }])
    expect([account.users.length, account.roles.length, account.groups.length, account.policies.size]).toEqual([1, 1, 1, 2])
  })

  it('simulates a principal on the model: group policies, the inline Deny, the boundary, only the default version', () => {
    const account = readAccount(cliForm())
    const alice = simulatePrincipalPolicy(account, { PolicySourceArn: `arn:aws:iam::${A}:user/alice`, ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::secret/k', 'arn:aws:s3:::open/k'] })
    expect(alice.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision, r.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType])])).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::secret/k', 'explicitDeny', [['inline-deny', 'user']]],
      ['s3:GetObject', 'arn:aws:s3:::open/k', 'allowed', [['reads', 'user-managed']]],
      ['s3:PutObject', 'arn:aws:s3:::secret/k', 'implicitDeny', []],
      ['s3:PutObject', 'arn:aws:s3:::open/k', 'implicitDeny', []],
    ])
    // AdministratorAccess under a boundary of reads: capped
    const web = simulatePrincipalPolicy(account, { PolicySourceArn: `arn:aws:iam::${A}:role/web`, ActionNames: ['s3:GetObject', 'iam:CreateUser'] })
    expect(web.EvaluationResults?.map((r) => [r.EvalDecision, r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary])).toEqual([
      ['allowed', true],
      ['implicitDeny', false],
    ])
    // a replacement boundary, and extra policies from the request
    const replaced = simulatePrincipalPolicy(account, { PolicySourceArn: `arn:aws:iam::${A}:role/web`, ActionNames: ['iam:CreateUser'], PermissionsBoundaryPolicyInputList: [JSON.stringify(adminDoc)] })
    expect(replaced.EvaluationResults?.[0]?.EvalDecision).toBe('allowed')
    // the group's own policies
    const group = simulatePrincipalPolicy(account, { PolicySourceArn: `arn:aws:iam::${A}:group/readers`, ActionNames: ['s3:GetObject'] })
    expect(group.EvaluationResults?.[0]?.EvalDecision).toBe('allowed')
    expect(() => simulatePrincipalPolicy(account, { PolicySourceArn: `arn:aws:iam::${A}:user/nobody`, ActionNames: ['s3:GetObject'] })).toThrow(/is not a user, role or group of account 111122223333/)
  })

  it('fills the principal’s own context keys: aws:username and its tags', () => {
    const details = cliForm()
    details.Policies.push({ PolicyName: 'own', Arn: `arn:aws:iam::${A}:policy/own`, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PolicyVersionList: [{ Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } } as never] }, VersionId: 'v1', IsDefaultVersion: true }] })
    ;(details.UserDetailList[0] as { AttachedManagedPolicies: unknown[] }).AttachedManagedPolicies.push({ PolicyName: 'own', PolicyArn: `arn:aws:iam::${A}:policy/own` })
    const out = simulatePrincipalPolicy(readAccount(details), { PolicySourceArn: `arn:aws:iam::${A}:user/alice`, ActionNames: ['s3:PutObject'], ResourceArns: ['arn:aws:s3:::home/alice/x', 'arn:aws:s3:::home/bob/x'] })
    expect(out.EvaluationResults?.map((r) => r.EvalDecision)).toEqual(['allowed', 'implicitDeny'])
  })

  it('warns of what the export does not carry, and errs on what it cannot read', () => {
    const details = cliForm()
    details.UserDetailList[0]?.GroupList.push('ghosts')
    ;(details.RoleDetailList[0] as { AttachedManagedPolicies: unknown[] }).AttachedManagedPolicies.push({ PolicyName: 'gone', PolicyArn: `arn:aws:iam::${A}:policy/gone` })
    expect(readAccount(details).warnings).toEqual([`arn:aws:iam::${A}:user/alice: member of group "ghosts", which the export does not carry`, `arn:aws:iam::${A}:role/web: attached policy arn:aws:iam::${A}:policy/gone is not in the export: it grants nothing here`])
    expect(() => readAccount({})).toThrow(/none of UserDetailList, GroupDetailList, RoleDetailList and Policies/)
    expect(() => readAccount([])).toThrow(AccountError)
    expect(() => readAccount({ UserDetailList: 'x' })).toThrow(/UserDetailList is string, not a list/)
    expect(() => readAccount({ UserDetailList: [{ UserName: 'a' }] })).toThrow(/a user: Arn is missing or not a string/)
    const bad = cliForm()
    ;(bad.Policies[0]?.PolicyVersionList[0] as { Document: unknown }).Document = 42
    expect(() => readAccount(bad)).toThrow(/policy\/reads v1: the policy document is number, not JSON text or an object/)
    const malformed = cliForm()
    ;(malformed.Policies[0]?.PolicyVersionList[1] as { Document: unknown }).Document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }
    expect(() => readAccount(malformed)).toThrow(/policy\/reads v2: reads, statement 1: a statement has Resource or NotResource/)
  })
})
