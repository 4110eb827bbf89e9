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
