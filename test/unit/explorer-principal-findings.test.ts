// The explorer's findings about principals and managed policies, field by field: admins, paths to
// admin (one or several, one hop or more, through one policy or several), versions that grant
// admin, admin policies no one holds, inline policies on a group and its members, unused roles.
import { describe, expect, it } from 'vitest'
import { analyse } from '../../explorer/analysis.js'
import { type Finding, findings } from '../../explorer/findings.js'
import type { Account, RoleDetail, UserDetail } from '../../explorer/model.js'

const NOW = new Date('2026-12-01T00:00:00Z')
const ACCT = '111122223333'
const arnOf = (kind: string, name: string) => `arn:aws:iam::${ACCT}:${kind}/${name}`
const doc = (...Statement: object[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement }))
const user = (name: string, extra: Partial<UserDetail> = {}): UserDetail => ({ UserName: name, Arn: arnOf('user', name), Path: '/', CreateDate: '2026-11-01T00:00:00Z', ...extra })
const role = (name: string, extra: Partial<RoleDetail> = {}): RoleDetail => ({ RoleName: name, Arn: arnOf('role', name), Path: '/', CreateDate: '2026-11-20T00:00:00Z', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' }, ...extra })
const managed = (name: string, versions: string[], defaultIndex = 0) => ({ PolicyName: name, Arn: arnOf('policy', name), Path: '/', DefaultVersionId: `v${defaultIndex + 1}`, PolicyVersionList: versions.map((Document, i) => ({ VersionId: `v${i + 1}`, IsDefaultVersion: i === defaultIndex, Document })) })
const account = (d: Partial<Account['details']>): Account => ({ details: { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], ...d } })
const all = (a: Account): Finding[] => findings(a, analyse(a.details, NOW), NOW)
const of = (list: Finding[], category: string) => list.filter((f) => f.category === category)
const ADMIN = doc({ Effect: 'Allow', Action: '*', Resource: '*' })

describe('principals', () => {
  it('an admin: critical, its policies, certain', () => {
    const [f] = of(all(account({ UserDetailList: [user('boss', { UserPolicyList: [{ PolicyName: 'All', PolicyDocument: ADMIN }] })] })), 'full-admin')
    expect(f).toMatchObject({ id: `full-admin:${arnOf('user', 'boss')}`, severity: 'critical', title: 'User boss is admin', why: 'After every policy, its boundary and every Deny, it can do anything in the account, including granting others more.', principals: [arnOf('user', 'boss')], detail: ['All'], conditional: false })
    expect(f?.statements).toHaveLength(1)
  })

  it('one path of one hop through one policy; several paths of several hops through policies together', () => {
    const one = of(all(account({ UserDetailList: [user('u', { UserPolicyList: [{ PolicyName: 'Self', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: arnOf('user', 'u') }) }] })] })), 'privilege-escalation')
    expect(one).toEqual([expect.objectContaining({ id: `privilege-escalation:${arnOf('user', 'u')}`, severity: 'critical', title: 'User u can become admin', why: '1 path, the shortest 1 hop: it can gain permissions it was not given, up to full admin.', principals: [arnOf('user', 'u')], detail: ['iam-007 iam:PutUserPolicy'], conditional: false })])
    const chain = account({
      UserDetailList: [user('v', { UserPolicyList: [{ PolicyName: 'Pass', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }) }, { PolicyName: 'Run', PolicyDocument: doc({ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' }) }] })],
      RoleDetailList: [Object.assign(role('admin1', { AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] }), { InstanceProfileList: [{ InstanceProfileName: 'admin1' }] }), Object.assign(role('admin2', { AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] }), { InstanceProfileList: [{ InstanceProfileName: 'admin2' }] })],
      Policies: [{ PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: ADMIN }] }],
    })
    const [f] = of(all(chain), 'privilege-escalation').filter((x) => x.principals[0] === arnOf('user', 'v'))
    expect(f).toMatchObject({ title: 'User v can become admin through its policies together', why: '2 paths, the shortest 1 hop: it can gain permissions it was not given, up to full admin.', detail: ['ec2-001 iam:PassRole + ec2:RunInstances'], conditional: false, severity: 'critical' })
    expect(f?.statements).toHaveLength(2)
  })
})

describe('managed policies', () => {
  it('a version that grants admin beside a default that does not, and an admin policy no one holds', () => {
    const list = all(account({
      UserDetailList: [user('u', { AttachedManagedPolicies: [{ PolicyName: 'Versions', PolicyArn: arnOf('policy', 'Versions') }] })],
      Policies: [managed('Versions', [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), ADMIN]), managed('Loose', [ADMIN]), managed('Bound', [ADMIN])],
      RoleDetailList: [role('bounded', { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arnOf('policy', 'Bound') } })],
    }))
    expect(of(list, 'policy-version')).toEqual([{ id: `policy-version:${arnOf('policy', 'Versions')}:v2`, severity: 'high', category: 'policy-version', title: 'Versions v2 grants admin; the default v1 does not', why: 'One iam:SetDefaultPolicyVersion makes every holder of this policy admin: delete versions you do not mean to go back to.', policy: { name: 'Versions', kind: 'managed', arn: arnOf('policy', 'Versions') }, statements: [], principals: [arnOf('user', 'u')], detail: ['v2'], conditional: false }])
    expect(of(list, 'unattached-policy')).toEqual([{ id: `unattached-policy:${arnOf('policy', 'Loose')}`, severity: 'low', category: 'unattached-policy', title: 'Loose grants admin but is attached to no one', why: 'Not a live grant: one attachment away from making its holder admin.', policy: { name: 'Loose', kind: 'managed', arn: arnOf('policy', 'Loose') }, statements: [], principals: [], detail: ['admin'], conditional: false }])
  })
})

describe('inline policies and unused roles', () => {
  it('a group\'s inline policy reaches its members; a service-linked role\'s is not reported; a role never used shows its creation', () => {
    const list = all(account({
      UserDetailList: [user('m', { GroupList: ['g'] })],
      GroupDetailList: [{ GroupName: 'g', Arn: arnOf('group', 'g'), Path: '/', CreateDate: '', GroupPolicyList: [{ PolicyName: 'G', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }) }] }],
      RoleDetailList: [role('never', { RoleLastUsed: {}, CreateDate: '2025-01-02T00:00:00Z' }), { ...role('slr', { RolePolicyList: [{ PolicyName: 'S', PolicyDocument: ADMIN }], RoleLastUsed: {}, CreateDate: '2025-01-02T00:00:00Z' }), Path: '/aws-service-role/x/' }],
    }))
    expect(of(list, 'inline-policy')).toEqual([{ id: `inline-policy:${arnOf('group', 'g')}:G`, severity: 'low', category: 'inline-policy', title: 'Inline policy G on group g', why: 'Inline policies live with one principal: they are not reused, versioned or reviewed with managed policies.', policy: { name: 'G', kind: 'inline', arn: arnOf('group', 'g') }, statements: [], principals: [arnOf('group', 'g'), arnOf('user', 'm')], detail: [], conditional: false }])
    expect(of(list, 'unused')).toEqual([{ id: `unused:${arnOf('role', 'never')}`, severity: 'low', category: 'unused', title: 'Role never unused for 90+ days', why: 'A role nobody uses is standing access nobody watches; remove it or narrow its trust.', statements: [], principals: [arnOf('role', 'never')], detail: ['never used, created 2025-01-02'], conditional: false }])
  })
})
