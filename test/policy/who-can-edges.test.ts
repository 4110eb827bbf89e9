// whoCan at its edges: the condition keys an answer depends on (only the statements that may hold,
// sorted), definite answers with none, outside principals named twice or in several forms, one of
// this account's principals the export lacks, and an external entry whole.
import { describe, expect, it } from 'vitest'
import { whoCan } from '../../src/policy/who-can.js'
import { ACCOUNT, account, allow, roleArn, trusts, userArn } from './accounts.js'

describe('condition keys', () => {
  it('a conditional answer lists, sorted, the keys of the statements that may hold, not those of a statement that holds', () => {
    const acct = account({
      users: {
        u: {
          inline: [
            allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }),
            { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1', 'aws:CalledVia': 'x' } } }] },
          ],
        },
        plain: { inline: [allow('s3:GetObject')] },
      },
    })
    const r = whoCan(acct, 's3:GetObject', 'arn:aws:s3:::b/k', [{ ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: ['eu-west-1'], ContextKeyType: 'string' }])
    expect(r.Principals.map((p) => [p.PrincipalArn, p.Conditional, p.ConditionKeys])).toEqual([
      [userArn('plain'), false, []],
      [userArn('u'), true, ['aws:CalledVia', 'aws:SourceVpc']],
    ])
  })
})

describe('principals outside the account', () => {
  const trust = { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root', '777788889999', `arn:aws:iam::${ACCOUNT}:user/gone`, 'AIDAEXAMPLEUNIQUEID'] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x1', 'aws:SourceAccount': '444455556666' } } },
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/deployer' }, Action: 'sts:AssumeRole' },
  ] }

  it('each is listed once, with the keys left open only when no statement grants it outright; this account\'s principals the export lacks, and unique ids, are not', () => {
    const r = whoCan(account({ roles: { r: { trust } } }), 'sts:AssumeRole', roleArn('r'))
    const at = (p: (typeof r.Principals)[number]) => p.MatchedStatements.map((m) => `${m.SourcePolicyId}/${m.SourcePolicyType}@${m.StartPosition?.Line}:${m.StartPosition?.Column}`)
    // (a statement naming an account grants every principal of it: the deployer role by all three)
    expect(r.Principals.map((p) => [p.PrincipalArn, p.PrincipalType, p.Conditional, p.ConditionKeys, at(p)])).toEqual([
      ['777788889999', 'external', true, ['aws:SourceAccount', 'sts:ExternalId'], ['AssumeRolePolicyDocument/resource@1:39']],
      ['arn:aws:iam::444455556666:role/deployer', 'external', true, [], ['AssumeRolePolicyDocument/resource@1:39', 'AssumeRolePolicyDocument/resource@1:302', 'AssumeRolePolicyDocument/resource@1:400']],
      ['arn:aws:iam::444455556666:root', 'external', true, [], ['AssumeRolePolicyDocument/resource@1:39', 'AssumeRolePolicyDocument/resource@1:302']],
    ])
  })

  it('an outside principal\'s entry shows the trust policy\'s statements only, never the stand-in for its own policies', () => {
    const r = whoCan(account({ roles: { r: { trust: trusts({ AWS: '777788889999' }, { Condition: { StringEquals: { 'sts:ExternalId': 'x1' } } }) } } }), 'sts:AssumeRole', roleArn('r'))
    expect(r.Principals).toEqual([{ PrincipalArn: '777788889999', PrincipalType: 'external', Conditional: true, ConditionKeys: ['sts:ExternalId'], MatchedStatements: [{ SourcePolicyId: 'AssumeRolePolicyDocument', SourcePolicyType: 'resource', StartPosition: { Line: 1, Column: 39 }, EndPosition: { Line: 1, Column: 170 } }] }])
  })
})
