// Who can do an action on a resource: every principal the evaluator allows, with its statements;
// conditional ones marked with the keys they depend on; a role's trust policy read for sts:AssumeRole.
import { describe, expect, it } from 'vitest'
import { whoCan } from '../../src/policy/who-can.js'
import { ACCOUNT, account, allow, deny, roleArn, trusts, userArn } from './accounts.js'

// built inside each test (see escalation.test.ts)
const spec = () => account({
  users: {
    admin: { attached: ['AdministratorAccess'] },
    capped: { attached: ['AdministratorAccess'], boundary: 'S3Only' },
    denied: { attached: ['AdministratorAccess'], inline: [deny('s3:*')] },
    mfa: { inline: [allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] },
    tagged: { inline: [allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } })], tags: { team: 'red' } },
    untagged: { inline: [allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } })] },
    own: { inline: [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')] },
    grouped: { groups: ['readers'] },
    nothing: {},
  },
  groups: { readers: { attached: ['Reads'] } },
  roles: {
    ops: { trust: trusts({ AWS: userArn('nothing') }), inline: [allow('ec2:*')] },
    vendor: { trust: trusts({ AWS: 'arn:aws:iam::444455556666:root' }, { Condition: { StringEquals: { 'sts:ExternalId': 'x1' } } }) },
    web: { trust: trusts({ Service: 'ec2.amazonaws.com' }) },
    acct: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) },
  },
  policies: { S3Only: allow('s3:*'), Reads: allow('s3:Get*') },
})

const arns = (r: ReturnType<typeof whoCan>) => r.Principals.map((p) => `${p.PrincipalArn.split(':').pop()}${p.Conditional ? ' (conditional)' : ''}`)

describe('whoCan', () => {
  it('lists who is allowed: admins, boundaries applied, Denies honoured, groups and principal tags read', () => {
    const r = whoCan(spec(), 's3:GetObject', 'arn:aws:s3:::data/x')
    expect(arns(r)).toEqual(['user/admin', 'user/capped', 'user/grouped', 'user/tagged', 'user/mfa (conditional)'])
    expect(r.Principals.find((p) => p.PrincipalArn === userArn('mfa'))?.ConditionKeys).toEqual(['aws:MultiFactorAuthPresent'])
    expect(r.Principals.find((p) => p.PrincipalArn === userArn('grouped'))?.MatchedStatements).toEqual([{ SourcePolicyId: 'Reads', SourcePolicyType: 'user-managed', StartPosition: { Line: 1, Column: 39 }, EndPosition: { Line: 1, Column: 90 } }])
  })

  it('resolves policy variables per principal', () => {
    expect(arns(whoCan(spec(), 's3:GetObject', 'arn:aws:s3:::home/own/x'))).toContain('user/own')
    expect(arns(whoCan(spec(), 's3:GetObject', 'arn:aws:s3:::home/admin/x'))).not.toContain('user/own')
  })

  it('takes context the caller knows, which settles conditions', () => {
    const r = whoCan(spec(), 's3:GetObject', '*', [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' }])
    expect(arns(r)).toContain('user/mfa')
    const no = whoCan(spec(), 's3:GetObject', '*', [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['false'], ContextKeyType: 'boolean' }])
    expect(arns(no).filter((a) => a.startsWith('user/mfa'))).toEqual([])
  })

  it('reads a role’s trust policy for sts:AssumeRole, and lists who outside the account it names', () => {
    // the trust policy names one user: only that user, who needs no identity permission for it
    expect(arns(whoCan(spec(), 'sts:AssumeRole', roleArn('ops')))).toEqual(['user/nothing'])
    // the account's root in the trust policy: whoever its identity policies let in
    expect(arns(whoCan(spec(), 'sts:AssumeRole', roleArn('acct')))).toEqual(['user/admin', 'user/denied'])
    const vendor = whoCan(spec(), 'sts:AssumeRole', roleArn('vendor'))
    expect(vendor.Principals.find((p) => p.PrincipalType === 'external')).toMatchObject({ PrincipalArn: 'arn:aws:iam::444455556666:root', Conditional: true, ConditionKeys: ['sts:ExternalId'] })
    expect(whoCan(spec(), 'sts:AssumeRole', roleArn('web')).Principals.find((p) => p.PrincipalType === 'external')?.PrincipalArn).toBe('ec2.amazonaws.com')
  })

  it('finds no one for an action nobody is allowed', () => {
    expect(whoCan(spec(), 'iam:CreateUser', '*').Principals.map((p) => p.PrincipalArn)).toEqual([userArn('admin'), userArn('denied')])
    expect(whoCan(spec(), 'kms:ScheduleKeyDeletion', 'arn:aws:kms:us-east-1:111122223333:key/k').Principals.map((p) => p.PrincipalArn)).toEqual([userArn('admin'), userArn('denied')])
  })
})

describe('whoCan, whole answers', () => {
  // every field of the answer, for requests that reach each branch: read against the rules above, then pinned
  const line = (r: ReturnType<typeof whoCan>) => [
    `${r.Action} on ${r.Resource}`,
    ...r.Principals.map((p) => `${p.PrincipalType} ${p.PrincipalArn.split(':').pop()}${p.Conditional ? ` conditional on ${p.ConditionKeys.join(',')}` : ''} by ${p.MatchedStatements.map((m) => `${m.SourcePolicyId}/${m.SourcePolicyType ?? '-'}@${m.StartPosition?.Line}:${m.StartPosition?.Column}`).join(',')}`),
  ]

  it('an external principal of every kind a trust policy names, conditional on its own side; none denied or excepted', () => {
    const outside = account({
      users: { u: {} },
      roles: {
        wide: {
          trust: {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: ['444455556666', 'arn:aws:iam::555566667777:role/ci', 'arn:aws:iam::666677778888:user/dev', userArn('u'), 'arn:aws:iam::999900001111:root'] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } },
              { Sid: 'Services', Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'], Federated: 'accounts.google.com' }, Action: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity'] },
              { Sid: 'NotThem', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999900001111:root' }, Action: 'sts:AssumeRole' },
              { Sid: 'Canonical', Effect: 'Allow', Principal: { CanonicalUser: 'abc' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
        // everyone but one account: the account's principals whose own policies allow, and no outsider named
        except: { trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123123123123:root' }, Action: 'sts:AssumeRole' }] } },
      },
    })
    expect(line(whoCan(outside, 'sts:AssumeRole', roleArn('except')))).toEqual(EXCEPT)
    expect(line(whoCan(outside, 'sts:AssumeRole', roleArn('wide')))).toEqual([
      'sts:AssumeRole on arn:aws:iam::111122223333:role/wide',
      'external 444455556666 conditional on sts:ExternalId by AssumeRolePolicyDocument/resource@1:39',
      'external accounts.google.com conditional on  by AssumeRolePolicyDocument/resource@1:329',
      'user user/u conditional on sts:ExternalId by AssumeRolePolicyDocument/resource@1:39',
      'external role/ci conditional on sts:ExternalId by AssumeRolePolicyDocument/resource@1:39',
      'external user/dev conditional on sts:ExternalId by AssumeRolePolicyDocument/resource@1:39',
      'external ec2.amazonaws.com conditional on  by AssumeRolePolicyDocument/resource@1:329',
      'external lambda.amazonaws.com conditional on  by AssumeRolePolicyDocument/resource@1:329',
    ])
    // web identity: only the principals the trust lets call it
    expect(line(whoCan(outside, 'sts:AssumeRoleWithWebIdentity', roleArn('wide'))).slice(1)).toEqual([
      'external accounts.google.com conditional on  by AssumeRolePolicyDocument/resource@1:329',
      'external ec2.amazonaws.com conditional on  by AssumeRolePolicyDocument/resource@1:329',
      'external lambda.amazonaws.com conditional on  by AssumeRolePolicyDocument/resource@1:329',
    ])
    // given the external id, still conditional: the other account's own policies are not in this export
    const given = line(whoCan(outside, 'sts:AssumeRole', roleArn('wide'), [{ ContextKeyName: 'sts:ExternalId', ContextKeyValues: ['x'], ContextKeyType: 'string' }]))
    expect(given.filter((l) => l.includes('444455556666') || l.includes('user/u'))).toEqual(['user user/u by AssumeRolePolicyDocument/resource@1:39', 'external 444455556666 conditional on  by AssumeRolePolicyDocument/resource@1:39'])
    expect(line(whoCan(outside, 'sts:AssumeRole', roleArn('wide'), [{ ContextKeyName: 'sts:ExternalId', ContextKeyValues: ['y'], ContextKeyType: 'string' }])).filter((l) => l.includes('444455556666'))).toEqual([])
  })

  it('the principals of the account, in order: unconditional first, then by ARN', () => {
    expect(line(whoCan(spec(), 's3:GetObject', 'arn:aws:s3:::data/x'))).toEqual([
      's3:GetObject on arn:aws:s3:::data/x',
      'user user/admin by AdministratorAccess/aws-managed@1:39',
      'user user/capped by AdministratorAccess/aws-managed@1:39,S3Only/user-managed@1:39',
      'user user/grouped by Reads/user-managed@1:39',
      'user user/tagged by inline-1/user@1:39',
      'user user/mfa conditional on aws:MultiFactorAuthPresent by inline-1/user@1:39',
    ])
    // by ARN: role/ops sorts before user/…; capped's boundary allows only s3
    expect(line(whoCan(spec(), 'ec2:RunInstances'))).toEqual(['ec2:RunInstances on *', 'role role/ops by inline-1/role@1:39', 'user user/admin by AdministratorAccess/aws-managed@1:39', 'user user/denied by AdministratorAccess/aws-managed@1:39'])
  })
})

const EXCEPT = [
  'sts:AssumeRole on arn:aws:iam::111122223333:role/except',
  'role role/except by AssumeRolePolicyDocument/resource@1:39',
  'role role/wide by AssumeRolePolicyDocument/resource@1:39',
  'user user/u by AssumeRolePolicyDocument/resource@1:39',
]
