// The account model whole: every field read from an export that has one of everything, the
// warnings it gives, and every refusal named. Read against GetAccountAuthorizationDetails' shape
// field by field, then pinned.
import { expect, it } from 'vitest'
import { type Account, boundaryPolicy, identityPolicies, readAccount } from '../../src/policy/account.js'

const A = '111122223333'
const doc = (Action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] })
const attempt = (f: () => unknown): unknown => {
  try {
    return f()
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`
  }
}
const digest = (a: Account) => ({
  id: a.id,
  warnings: a.warnings,
  policies: [...a.policies.values()].map((p) => `${p.name} ${p.kind} default=${p.defaultVersionId} [${p.versions.map((v) => `${v.versionId}${v.isDefault ? '*' : ''}`).join(',')}] doc=${p.document?.statements.length ?? '-'} attached=${p.attachmentCount} bounds=${p.boundaryUsageCount}`),
  groups: a.groups.map((g) => `${g.name} inline=${g.inline.map((x) => x.id)} attached=${g.attached}`),
  principals: [...a.users, ...a.roles].map((p) => `${p.type} ${p.name} id=${p.id} path=${p.path} tags=${JSON.stringify([...p.tags])} inline=${p.inline.map((x) => `${x.id}/${x.kind}`)} attached=${p.attached} groups=${p.groups.map((g) => g.name)} boundary=${p.boundaryArn} trust=${p.trust?.id ?? '-'} slr=${p.serviceLinked} profiles=${p.instanceProfiles} identity=${identityPolicies(a, p).map((x) => x.id)} bounded=${boundaryPolicy(a, p)?.map((x) => x.id) ?? '-'}`),
})

it('reads every field, in pages, and warns of what the export lacks', () => {
  const page1 = {
    UserDetailList: [
      { UserName: 'u', UserId: 'AIDAU', Arn: `arn:aws:iam::${A}:user/team/u`, Path: '/team/', GroupList: ['g', 'gone'], Tags: [{ Key: 'team', Value: 'red' }, { Key: 'flag' }], UserPolicyList: [{ PolicyName: 'own', PolicyDocument: encodeURIComponent(JSON.stringify(doc('s3:GetObject'))) }], AttachedManagedPolicies: [{ PolicyName: 'P', PolicyArn: `arn:aws:iam::${A}:policy/P` }, { PolicyName: 'Lost', PolicyArn: `arn:aws:iam::${A}:policy/Lost` }], PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/B` } },
    ],
    GroupDetailList: [{ GroupName: 'g', Arn: `arn:aws:iam::${A}:group/g`, GroupPolicyList: [{ PolicyName: 'gp', PolicyDocument: JSON.stringify(doc('sqs:*')) }], AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }],
  }
  const page2 = {
    RoleDetailList: [
      { RoleName: 'svc', RoleId: 'AROAS', Arn: `arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/svc`, Path: '/aws-service-role/x.amazonaws.com/', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'x.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, InstanceProfileList: [{}, {}], PermissionsBoundary: { PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/Missing` } },
      { RoleName: 'plain', Arn: `arn:aws:iam::${A}:role/plain` },
    ],
    Policies: [
      { PolicyName: 'P', Arn: `arn:aws:iam::${A}:policy/P`, DefaultVersionId: 'v2', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: false, Document: doc('*') }, { VersionId: 'v2', Document: doc('ec2:*') }] },
      { Arn: `arn:aws:iam::${A}:policy/B`, DefaultVersionId: 'v1', PermissionsBoundaryUsageCount: 1, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc('s3:*') }] },
      { PolicyName: 'ReadOnlyAccess', Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', DefaultVersionId: 'v9', PolicyVersionList: [] },
    ],
  }
  expect(digest(readAccount([page1, page2]))).toEqual(EXPECTED)
  // one page or a list of it read the same
  expect(digest(readAccount({ ...page1, ...page2 }))).toEqual(EXPECTED)
})

it('names every shape it cannot read', () => {
  const user = (extra: object) => ({ UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${A}:user/u`, ...extra }] })
  expect(
    [
      [],
      [null],
      [[1]],
      { Users: [] },
      { UserDetailList: 'x' },
      { UserDetailList: [{ UserName: 'u' }] },
      { UserDetailList: [{ Arn: `arn:aws:iam::${A}:user/u` }] },
      user({ Path: 7 }),
      user({ Tags: [{ Value: 'v' }] }),
      user({ UserPolicyList: [{ PolicyName: 'p' }] }),
      user({ UserPolicyList: [{ PolicyName: 'p', PolicyDocument: [] }] }),
      user({ UserPolicyList: [{ PolicyName: 'p', PolicyDocument: 5 }] }),
      user({ UserPolicyList: [{ PolicyName: 'p', PolicyDocument: '{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}' }] }),
      user({ UserPolicyList: [{ PolicyDocument: '{}' }] }),
      user({ AttachedManagedPolicies: [{ PolicyName: 'x' }] }),
      user({ PermissionsBoundary: { PermissionsBoundaryArn: 3 } }),
      { Policies: [{ PolicyName: 'P' }] },
      { Policies: [{ Arn: `arn:aws:iam::${A}:policy/P`, PolicyVersionList: [{ Document: '{}' }] }] },
      { GroupDetailList: [{ GroupName: 'g' }] },
      { RoleDetailList: [{ RoleName: 'r', Arn: `arn:aws:iam::${A}:role/r`, AssumeRolePolicyDocument: null }] },
    ].map((d) => attempt(() => readAccount(d as never).id)),
  ).toEqual(ERRORS)
})

const EXPECTED = {
  "id": "111122223333",
  "warnings": [
    "arn:aws:iam::aws:policy/ReadOnlyAccess: the export carries no default version: it grants nothing here",
    "arn:aws:iam::111122223333:user/team/u: member of group \"gone\", which the export does not carry",
    "arn:aws:iam::111122223333:user/team/u: attached policy arn:aws:iam::111122223333:policy/Lost is not in the export: it grants nothing here",
    "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/svc: permissions boundary arn:aws:iam::111122223333:policy/Missing is not in the export: it allows nothing here"
  ],
  "policies": [
    "P user-managed default=v2 [v1,v2*] doc=1 attached=1 bounds=0",
    "B user-managed default=v1 [v1*] doc=1 attached=undefined bounds=1",
    "ReadOnlyAccess aws-managed default=v9 [] doc=- attached=undefined bounds=undefined"
  ],
  "groups": [
    "g inline=gp attached=arn:aws:iam::aws:policy/ReadOnlyAccess"
  ],
  "principals": [
    "user u id=AIDAU path=/team/ tags=[[\"team\",\"red\"],[\"flag\",\"\"]] inline=own/user attached=arn:aws:iam::111122223333:policy/P,arn:aws:iam::111122223333:policy/Lost groups=g boundary=arn:aws:iam::111122223333:policy/B trust=- slr=false profiles=0 identity=own,P,gp bounded=B",
    "role svc id=AROAS path=/aws-service-role/x.amazonaws.com/ tags=[] inline= attached= groups= boundary=arn:aws:iam::111122223333:policy/Missing trust=AssumeRolePolicyDocument slr=true profiles=2 identity= bounded=",
    "role plain id=undefined path=/ tags=[] inline= attached= groups= boundary=undefined trust=- slr=false profiles=0 identity= bounded=-"
  ]
}
const ERRORS: unknown[] = [
  "AccountError: no pages: pass the answer of GetAccountAuthorizationDetails",
  "AccountError: page 1 is not an object",
  "AccountError: page 1 is not an object",
  "AccountError: page 1 has none of UserDetailList, GroupDetailList, RoleDetailList and Policies: is it GetAccountAuthorizationDetails' answer?",
  "AccountError: UserDetailList is string, not a list",
  "AccountError: a user: Arn is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:user/u: UserName is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:user/u: Path is not a string",
  "AccountError: arn:aws:iam::111122223333:user/u tag: Key is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:user/u inline policy p: the policy document is missing, not JSON text or an object",
  "AccountError: arn:aws:iam::111122223333:user/u inline policy p: the policy document is an array, not JSON text or an object",
  "AccountError: arn:aws:iam::111122223333:user/u inline policy p: the policy document is number, not JSON text or an object",
  "AccountError: arn:aws:iam::111122223333:user/u inline policy p: p, statement 1: Effect must be \"Allow\" or \"Deny\", not \"Maybe\"",
  "AccountError: arn:aws:iam::111122223333:user/u inline policy: PolicyName is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:user/u attached policy: PolicyArn is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:user/u boundary: PermissionsBoundaryArn is not a string",
  "AccountError: a policy: Arn is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:policy/P version: VersionId is missing or not a string",
  "AccountError: a group: Arn is missing or not a string",
  "AccountError: arn:aws:iam::111122223333:role/r trust policy: the policy document is null, not JSON text or an object"
]
