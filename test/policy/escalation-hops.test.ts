// Every method's hops, whole: which method, who acts on what, whose permissions it gains, whether
// it makes someone admin, each permission with the resource it was evaluated on and the statement
// (policy, kind, line, column) that grants it, conditions and assumptions. One small account per
// method family; the expected lines were read against the method's definition one by one.
import { describe, expect, it } from 'vitest'
import { type EscalationHop, escalations, type EscalationOptions } from '../../src/policy/escalation.js'
import { ACCOUNT, account, allow, type Spec, trusts } from './accounts.js'

const short = (arn: string) => arn.replace(`arn:aws:iam::${ACCOUNT}:`, '').replace('arn:aws:iam::aws:policy/', 'aws/')
const hop = (h: EscalationHop): string =>
  [
    `${h.MethodId} ${short(h.Principal)} → ${short(h.Target)}`,
    h.Gains !== h.Target ? ` gains ${short(h.Gains)}` : '',
    h.BecomesAdmin ? ' admin' : '',
    h.Conditional ? ' conditional' : '',
    ` [${h.Permissions.map((p) => `${p.Action} ${short(p.Resource)}${p.Conditional ? '?' : ''} ${p.MatchedStatements.map((m) => `${m.SourcePolicyId}/${m.SourcePolicyType}@${m.StartPosition?.Line}:${m.StartPosition?.Column}-${m.EndPosition?.Line}:${m.EndPosition?.Column}`).join(',')}`).join('; ')}]`,
    h.Assumes ? ` (${h.Assumes})` : '',
  ].join('')

/** Each path of `who` as lines of hops; the entry's flags first. */
function paths(spec: Spec, who: string, options: EscalationOptions = {}): string[] {
  const e = escalations(account(spec), { now: new Date('2026-12-01T00:00:00Z'), ...options }).Escalations.find((x) => short(x.PrincipalArn) === who)
  if (!e) return []
  return [`${e.PrincipalType} admin=${e.IsAdmin} conditional=${e.Conditional}${e.Truncated ? ' truncated' : ''}`, ...e.Paths.map((p) => `${p.Conditional ? '(conditional) ' : ''}${p.Hops.map(hop).join(' | ')}`)]
}

describe('escalation hops, whole', () => {
  const admin = { users: { boss: { attached: ['AdministratorAccess'] } } }

  it("iam-007: a user that may put a policy on itself", () => {
    expect(paths({ users: { u: { inline: [allow('iam:PutUserPolicy', 'arn:aws:iam::*:user/u')] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-007 user/u → user/u admin [iam:PutUserPolicy user/u inline-1/user@1:39-1:120]",
    ])
  })

  it("iam-008: a user that may attach a policy to itself", () => {
    expect(paths({ users: { u: { inline: [allow('iam:AttachUserPolicy')] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-008 user/u → user/u admin [iam:AttachUserPolicy user/u inline-1/user@1:39-1:103]",
    ])
  })

  it("iam-005 and iam-009: a role that may put or attach a policy on itself", () => {
    expect(paths({ roles: { r: { trust: trusts({ Service: 'ec2.amazonaws.com' }), inline: [allow(['iam:PutRolePolicy', 'iam:AttachRolePolicy'], 'arn:aws:iam::*:role/r')] } } }, 'role/r')).toEqual([
      "role admin=false conditional=false",
      "iam-005 role/r → role/r admin [iam:PutRolePolicy role/r inline-1/role@1:39-1:145]",
      "iam-009 role/r → role/r admin [iam:AttachRolePolicy role/r inline-1/role@1:39-1:145]",
    ])
  })

  it("iam-010 and iam-011: a user whose group it may attach or put a policy on", () => {
    expect(paths({ users: { u: { groups: ['g'] } }, groups: { g: { inline: [allow(['iam:PutGroupPolicy', 'iam:AttachGroupPolicy'], `arn:aws:iam::${ACCOUNT}:group/g`)] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-010 user/u → group/g gains user/u admin [iam:AttachGroupPolicy group/g inline-1/group@1:39-1:159]",
      "iam-011 user/u → group/g gains user/u admin [iam:PutGroupPolicy group/g inline-1/group@1:39-1:159]",
    ])
  })

  it("iam-001: a new version of a customer policy attached to it", () => {
    expect(paths({ users: { u: { attached: ['Mine'] } }, policies: { Mine: allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/Mine`) } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-001 user/u → policy/Mine gains user/u admin [iam:CreatePolicyVersion policy/Mine Mine/user-managed@1:39-1:142]",
    ])
  })

  it("iam-001 never on an AWS managed policy", () => {
    expect(paths({ users: { u: { attached: ['ReadOnly'], inline: [allow('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/*')] } }, policies: { ReadOnly: allow('s3:Get*') } }, 'user/u')).toEqual([])
  })

  it("iam-013: joining a group that is admin (and no other)", () => {
    expect(paths({ users: { u: { inline: [allow('iam:AddUserToGroup')] } }, groups: { admins: { attached: ['AdministratorAccess'] }, plain: {} } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-013 user/u → group/admins gains user/u admin [iam:AddUserToGroup group/admins inline-1/user@1:39-1:101]",
    ])
  })

  it("a boundary that caps: the self-grant takes it off on the way, and says so", () => {
    expect(paths({ roles: { r: { trust: trusts({ Service: 'ec2.amazonaws.com' }), inline: [allow(['iam:PutRolePolicy', 'iam:DeleteRolePermissionsBoundary'])], boundary: 'IamOnly' } }, policies: { IamOnly: allow('iam:*') } }, 'role/r')).toEqual([
      "role admin=false conditional=false",
      "iam-005 role/r → role/r admin [iam:PutRolePolicy role/r inline-1/role@1:39-1:138,IamOnly/user-managed@1:39-1:88; iam:DeleteRolePermissionsBoundary role/r inline-1/role@1:39-1:138,IamOnly/user-managed@1:39-1:88]",
    ])
  })

  it("admin policies under a boundary: taking the boundary off is a hop of its own", () => {
    expect(paths({ users: { u: { attached: ['AdministratorAccess'], boundary: 'IamOnly' } }, policies: { IamOnly: allow('iam:*') } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-007 user/u → user/u admin [iam:PutUserPolicy user/u AdministratorAccess/aws-managed@1:39-1:84,IamOnly/user-managed@1:39-1:88; iam:DeleteUserPermissionsBoundary user/u AdministratorAccess/aws-managed@1:39-1:84,IamOnly/user-managed@1:39-1:88]",
      "iam-008 user/u → user/u admin [iam:AttachUserPolicy user/u AdministratorAccess/aws-managed@1:39-1:84,IamOnly/user-managed@1:39-1:88; iam:DeleteUserPermissionsBoundary user/u AdministratorAccess/aws-managed@1:39-1:84,IamOnly/user-managed@1:39-1:88]",
      "iam-edge-deletepermissionsboundary user/u → user/u admin [iam:DeleteUserPermissionsBoundary user/u AdministratorAccess/aws-managed@1:39-1:84,IamOnly/user-managed@1:39-1:88]",
    ])
  })

  it("sts-001 through a trust policy that trusts the account: both statements", () => {
    expect(paths({ users: { u: { inline: [allow('sts:AssumeRole')] } }, roles: { power: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "sts-001 user/u → role/power [sts:AssumeRole role/power inline-1/user@1:39-1:97,AssumeRolePolicyDocument/resource@1:39-1:135]",
    ])
  })

  it("sts-001 through a trust policy that names the user: no identity permission needed", () => {
    expect(paths({ users: { u: {} }, roles: { power: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:user/u` }), attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "sts-001 user/u → role/power [sts:AssumeRole role/power AssumeRolePolicyDocument/resource@1:39-1:137]",
    ])
  })

  it("iam-012: rewriting an admin role’s trust policy", () => {
    expect(paths({ users: { u: { inline: [allow('iam:UpdateAssumeRolePolicy')] } }, roles: { power: { trust: trusts({ Service: 'ec2.amazonaws.com' }), attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-012 user/u → role/power [iam:UpdateAssumeRolePolicy role/power inline-1/user@1:39-1:109]",
    ])
  })

  it("iam-002, iam-003, iam-004, iam-006: another user’s keys and console password", () => {
    expect(paths({ ...admin, users: { ...admin.users, u: { inline: [allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], 'arn:aws:iam::*:user/boss')] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-002 user/u → user/boss [iam:CreateAccessKey user/boss inline-1/user@1:39-1:199]",
      "iam-003 user/u → user/boss [iam:CreateAccessKey user/boss inline-1/user@1:39-1:199; iam:DeleteAccessKey user/boss inline-1/user@1:39-1:199]",
      "iam-004 user/u → user/boss [iam:CreateLoginProfile user/boss inline-1/user@1:39-1:199]",
      "iam-006 user/u → user/boss [iam:UpdateLoginProfile user/boss inline-1/user@1:39-1:199]",
    ])
  })

  it("iam-017, iam-014, iam-016: making an assumable role admin, then assuming it", () => {
    expect(paths({ users: { u: { inline: [allow(['sts:AssumeRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion'], [`arn:aws:iam::${ACCOUNT}:role/plain`, `arn:aws:iam::${ACCOUNT}:policy/Plain`])] } }, roles: { plain: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), attached: ['Plain'] } }, policies: { Plain: allow('s3:Get*') } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-017 user/u → role/plain admin [iam:PutRolePolicy role/plain inline-1/user@1:39-1:246; sts:AssumeRole role/plain inline-1/user@1:39-1:246,AssumeRolePolicyDocument/resource@1:39-1:135]",
      "iam-014 user/u → role/plain admin [iam:AttachRolePolicy role/plain inline-1/user@1:39-1:246; sts:AssumeRole role/plain inline-1/user@1:39-1:246,AssumeRolePolicyDocument/resource@1:39-1:135]",
      "iam-016 user/u → policy/Plain gains role/plain admin [iam:CreatePolicyVersion policy/Plain inline-1/user@1:39-1:246; sts:AssumeRole role/plain inline-1/user@1:39-1:246,AssumeRolePolicyDocument/resource@1:39-1:135]",
    ])
  })

  it("iam-021: making a role admin and rewriting its trust", () => {
    expect(paths({ users: { u: { inline: [allow(['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy'], `arn:aws:iam::${ACCOUNT}:role/plain`)] } }, roles: { plain: { trust: trusts({ Service: 'ec2.amazonaws.com' }) } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-021 user/u → role/plain admin [iam:PutRolePolicy role/plain inline-1/user@1:39-1:166; iam:UpdateAssumeRolePolicy role/plain inline-1/user@1:39-1:166]",
    ])
  })

  it("iam-018, iam-015: making another user admin, then minting its keys", () => {
    expect(paths({ users: { u: { inline: [allow(['iam:CreateAccessKey', 'iam:PutUserPolicy', 'iam:AttachUserPolicy'], `arn:aws:iam::${ACCOUNT}:user/other`)] }, other: {} } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-018 user/u → user/other admin [iam:PutUserPolicy user/other inline-1/user@1:39-1:182; iam:CreateAccessKey user/other inline-1/user@1:39-1:182]",
      "iam-015 user/u → user/other admin [iam:AttachUserPolicy user/other inline-1/user@1:39-1:182; iam:CreateAccessKey user/other inline-1/user@1:39-1:182]",
    ])
  })

  it("lambda-001: passing an admin role to a new function", () => {
    expect(paths({ users: { u: { inline: [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])] } }, roles: { fn: { trust: trusts({ Service: 'lambda.amazonaws.com' }), attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "lambda-001 user/u → role/fn [iam:PassRole role/fn inline-1/user@1:39-1:145; lambda:CreateFunction * inline-1/user@1:39-1:145; lambda:InvokeFunction * inline-1/user@1:39-1:145]",
    ])
  })

  it("ec2-001 needs an instance profile", () => {
    expect(paths({ users: { u: { inline: [allow(['iam:PassRole', 'ec2:RunInstances'])] } }, roles: { web: { trust: trusts({ Service: 'ec2.amazonaws.com' }), attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([])
  })

  it("lambda-003: an existing function, assumed to run as each role that trusts Lambda", () => {
    expect(paths({ users: { u: { inline: [allow(['lambda:UpdateFunctionCode'])] } }, roles: { fn: { trust: trusts({ Service: 'lambda.amazonaws.com' }), attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "lambda-003 user/u → role/fn [lambda:UpdateFunctionCode * inline-1/user@1:39-1:110] (an existing resource of lambda.amazonaws.com runs as arn:aws:iam::111122223333:role/fn)",
    ])
  })

  it("a grant under a condition on a key the search does not know is conditional; the time keys are known", () => {
    expect(paths({ users: { u: { inline: [allow('iam:PutUserPolicy', '*', { Condition: { NumericLessThan: { 'aws:EpochTime': '1900000000' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] } } }, 'user/u')).toEqual([
      "user admin=false conditional=true",
      "(conditional) iam-007 user/u → user/u admin conditional [iam:PutUserPolicy user/u? inline-1/user@1:39-1:208]",
    ])
  })

  it("a grant whose token-issue time has passed is no path", () => {
    expect(paths({ users: { u: { inline: [allow('iam:PutUserPolicy', '*', { Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } } })] } } }, 'user/u')).toEqual([])
  })

  it("the principal’s own tags are known: no condition on them makes a hop conditional", () => {
    expect(paths({ users: { u: { tags: { team: 'red' }, inline: [allow('iam:PutUserPolicy', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } })] } } }, 'user/u')).toEqual([
      "user admin=false conditional=false",
      "iam-007 user/u → user/u admin [iam:PutUserPolicy user/u inline-1/user@1:39-1:161]",
    ])
  })

  it("paths to a named principal instead of admin", () => {
    expect(paths({ users: { u: { inline: [allow('sts:AssumeRole')] } }, roles: { a: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) }, b: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:role/a` }), inline: [allow('sts:AssumeRole')] } } }, 'user/u', { target: `arn:aws:iam::${ACCOUNT}:role/b` })).toEqual([
      "user admin=false conditional=false",
      "sts-001 user/u → role/a [sts:AssumeRole role/a inline-1/user@1:39-1:97,AssumeRolePolicyDocument/resource@1:39-1:135] | sts-001 role/a → role/b [sts:AssumeRole role/b AssumeRolePolicyDocument/resource@1:39-1:137]",
    ])
  })

  it("at most maxPaths paths, shortest first, and the entry says it stopped", () => {
    expect(paths({ users: { u: { inline: [allow(['iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:CreateAccessKey'], 'arn:aws:iam::*:user/*')] }, a: {}, b: {}, c: {} } }, 'user/u', { maxPaths: 2 })).toEqual([
      "user admin=false conditional=false truncated",
      "iam-007 user/u → user/u admin [iam:PutUserPolicy user/u inline-1/user@1:39-1:167]",
      "iam-008 user/u → user/u admin [iam:AttachUserPolicy user/u inline-1/user@1:39-1:167]",
    ])
  })

  it("a principal admin only under a condition is searched for unconditional paths too", () => {
    expect(paths({ users: { u: { inline: [allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] } } }, 'user/u')).toEqual([
      "user admin=true conditional=true",
      "(conditional) iam-007 user/u → user/u admin conditional [iam:PutUserPolicy user/u? inline-1/user@1:39-1:143]",
      "(conditional) iam-008 user/u → user/u admin conditional [iam:AttachUserPolicy user/u? inline-1/user@1:39-1:143]",
    ])
  })

  it("a trust policy that denies the service gives no path", () => {
    expect(paths({ users: { u: { inline: [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])] } }, roles: { fn: { trust: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([])
  })
})
