// Which policies the explorer reviews, and the findings it makes of versions and of policies no one
// holds, whole: held managed policies (not a service-linked role's, not one used only as a
// boundary), every inline policy but a service-linked role's, a group's with its members, and
// unattached customer policies apart.
import { beforeAll, describe, expect, it } from 'vitest'
import { analyse } from '../../explorer/analysis.js'
import { actionDataFindings, policiesToReview, versionFindings } from '../../explorer/categories.js'
import { type ActionData, loadActionData } from '../../src/policy/index.js'

const ACCT = '111122223333'
const NOW = new Date('2026-12-01T00:00:00Z')
const arnOf = (kind: string, name: string, path = '/') => `arn:aws:iam::${ACCT}:${kind}${path}${name}`
const doc = (Action: string | string[], extra: object = {}) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*', ...extra }] }))
const managed = (name: string, versions: string[], arn = arnOf('policy', name)) => ({ PolicyName: name, Arn: arn, Path: '/', DefaultVersionId: 'v1', PolicyVersionList: versions.map((Document, i) => ({ VersionId: `v${i + 1}`, IsDefaultVersion: i === 0, Document })) })
const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }))
let data: ActionData
beforeAll(async () => {
  data = await loadActionData()
})

const details = () => ({
  UserDetailList: [{ UserName: 'm', Arn: arnOf('user', 'm'), Path: '/', CreateDate: '', GroupList: ['g'], UserPolicyList: [{ PolicyName: 'Mine', PolicyDocument: doc('s3:ListBucket') }] }],
  GroupDetailList: [{ GroupName: 'g', Arn: arnOf('group', 'g'), Path: '/', CreateDate: '', GroupPolicyList: [{ PolicyName: 'Ours', PolicyDocument: doc('s3:ListBucket') }] }],
  RoleDetailList: [
    { RoleName: 'slr', Arn: arnOf('role', 'slr', '/aws-service-role/x/'), Path: '/aws-service-role/x/', CreateDate: '', AssumeRolePolicyDocument: trust, RolePolicyList: [{ PolicyName: 'Theirs', PolicyDocument: doc('s3:ListBucket') }], AttachedManagedPolicies: [{ PolicyName: 'ForSlr', PolicyArn: arnOf('policy', 'ForSlr') }] },
    { RoleName: 'app', Arn: arnOf('role', 'app'), Path: '/', CreateDate: '', AssumeRolePolicyDocument: trust, AttachedManagedPolicies: [{ PolicyName: 'Held', PolicyArn: arnOf('policy', 'Held') }], PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arnOf('policy', 'Bound') } },
  ],
  Policies: [
    managed('Held', [doc('s3:GetObject')]),
    managed('ForSlr', [doc('s3:GetObject')]),
    managed('Bound', [doc('s3:*')]),
    managed('Loose', [doc(['s3:GetObject', 'ssm:GetParameter'])]),
    managed('LooseMaybe', [doc('s3:GetObject', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })]),
    managed('AwsOwn', [doc('s3:GetObject')], 'arn:aws:iam::aws:policy/AwsOwn'),
    managed('Harmless', [doc('s3:ListBucket')]),
  ],
})
const attached = new Map([[arnOf('policy', 'Held'), [arnOf('role', 'app')]], [arnOf('policy', 'ForSlr'), [arnOf('role', 'slr', '/aws-service-role/x/')]]])
const bounds = new Map([[arnOf('policy', 'Bound'), [arnOf('role', 'app')]]])

describe('the policies reviewed', () => {
  it('held, inline (a group\'s with its members), and unattached customer policies apart; nothing of a service-linked role; no boundary-only or AWS managed one unattached', () => {
    const { live, unattached } = policiesToReview(analyse(details(), NOW), attached, bounds)
    expect(live.map((r) => [r.ref.kind, r.ref.name, r.ref.arn, r.principals])).toEqual([
      ['managed', 'Held', arnOf('policy', 'Held'), [arnOf('role', 'app')]],
      ['inline', 'Mine', arnOf('user', 'm'), [arnOf('user', 'm')]],
      ['inline', 'Ours', arnOf('group', 'g'), [arnOf('group', 'g'), arnOf('user', 'm')]],
    ])
    expect(unattached.map((r) => [r.ref.name, r.principals])).toEqual([['Loose', []], ['LooseMaybe', []], ['Harmless', []]])
    expect([...live, ...unattached].every((r) => r.account === ACCT)).toBe(true)
  })
})

describe('unattached policies and versions, whole', () => {
  it('an unattached policy that would allow a category is one low finding with what it would allow; a harmless one none', () => {
    const found = actionDataFindings(data, analyse(details(), NOW), attached, bounds).filter((f) => f.category === 'unattached-policy')
    expect(found).toEqual([
      { id: `unattached-policy:${arnOf('policy', 'Loose')}`, severity: 'low', category: 'unattached-policy', title: 'Loose, attached to no one, would allow data exfiltration', why: 'Not a live grant: one attachment away from these permissions.', policy: { name: 'Loose', kind: 'managed', arn: arnOf('policy', 'Loose') }, statements: ['#1'], principals: [], detail: ['s3:GetObject', 'ssm:GetParameter'], conditional: false },
      { id: `unattached-policy:${arnOf('policy', 'LooseMaybe')}`, severity: 'low', category: 'unattached-policy', title: 'LooseMaybe, attached to no one, would allow data exfiltration', why: 'Not a live grant: one attachment away from these permissions.', policy: { name: 'LooseMaybe', kind: 'managed', arn: arnOf('policy', 'LooseMaybe') }, statements: ['#1'], principals: [], detail: ['s3:GetObject'], conditional: true },
    ])
  })

  it('a version that grants more, whole; none for an AWS managed policy, a policy of one version, or a version that grants nothing more', () => {
    const d = details()
    d.Policies.push(managed('More', [doc('s3:ListBucket'), doc('s3:GetObject')]), managed('Same', [doc('s3:GetObject'), doc('s3:GetObject')]), managed('AwsMore', [doc('s3:ListBucket'), doc('s3:GetObject')], 'arn:aws:iam::aws:policy/AwsMore'))
    const found = versionFindings(data, analyse(d, NOW), new Map([[arnOf('policy', 'More'), [arnOf('user', 'm')]]]))
    expect(found).toEqual([{ id: `policy-version:${arnOf('policy', 'More')}:v2`, severity: 'medium', category: 'policy-version', title: 'More v2 grants 1 action the default v1 does not', why: 'One iam:SetDefaultPolicyVersion gives every holder of this policy these too: delete versions you do not mean to go back to.', policy: { name: 'More', kind: 'managed', arn: arnOf('policy', 'More') }, statements: [], principals: [arnOf('user', 'm')], detail: ['s3:GetObject'], conditional: false }])
  })
})
