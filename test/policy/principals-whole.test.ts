// A principal of the account as a caller, whole: the caller it is (a role through a session of
// it, in its ARN's partition), the context keys it brings, and SimulatePrincipalPolicy over users,
// roles and groups with every input that changes the answer.
import { describe, expect, it } from 'vitest'
import { callerFor, principalContext, SESSION_NAME, simulatePrincipalPolicy } from '../../src/policy/principals.js'
import { ACCOUNT, account, allow, deny, roleArn, trusts, userArn } from './accounts.js'

const acct = () =>
  account({
    users: {
      u: { tags: { team: 'red', cost: '7' }, groups: ['g'], inline: [allow('s3:GetObject', '*', { Sid: 'Own', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } })], boundary: 'B' },
      v: {},
    },
    groups: { g: { inline: [allow('sqs:SendMessage', '*', { Sid: 'Grp' })], attached: ['Managed', 'Gone'] } },
    roles: { r: { trust: trusts({ Service: 'ec2.amazonaws.com' }), inline: [allow('ec2:*', '*', { Sid: 'Ec2', Condition: { StringEquals: { 'aws:userid': 'AROAR:iam-edge' } } })] } },
    policies: { Managed: allow('sns:Publish', '*', { Sid: 'Sns' }), B: allow(['s3:*', 'sqs:*'], '*', { Sid: 'Bound' }) },
  })
const values = (m: Map<string, { values: string[] }>) => Object.fromEntries([...m].map(([k, v]) => [k, v.values.join(',')]))
const decide = (input: Parameters<typeof simulatePrincipalPolicy>[1]) => simulatePrincipalPolicy(acct(), input).EvaluationResults?.map((r) => `${r.EvalActionName} ${r.EvalDecision} ${(r.MatchedStatements ?? []).map((m) => m.SourcePolicyId).join(',')}${r.PermissionsBoundaryDecisionDetail ? ` boundary=${r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary}` : ''}`)

describe('a principal as a caller', () => {
  it('a user calls as itself; a role through a session of it, in its partition', () => {
    const a = acct()
    expect(callerFor(a, a.byArn.get(userArn('u')) as never)).toEqual({ arn: userArn('u'), account: ACCOUNT, type: 'user' })
    expect(callerFor(a, a.byArn.get(roleArn('r')) as never)).toEqual({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/${SESSION_NAME}`, account: ACCOUNT, type: 'role-session', roleArn: roleArn('r') })
    const cn = { ...(a.byArn.get(roleArn('r')) as object), arn: `arn:aws-cn:iam::${ACCOUNT}:role/r` }
    expect(callerFor(a, cn as never).arn).toBe(`arn:aws-cn:sts::${ACCOUNT}:assumed-role/r/${SESSION_NAME}`)
  })

  it('brings the keys the account knows of it: name, ids, ARN, account, type, tags', () => {
    const a = acct()
    expect(values(principalContext(a, a.byArn.get(userArn('u')) as never))).toEqual({
      'aws:username': 'u',
      'aws:userid': 'AIDAU',
      'aws:principalarn': userArn('u'),
      'aws:principalaccount': ACCOUNT,
      'aws:principaltype': 'User',
      'aws:principaltag/team': 'red',
      'aws:principaltag/cost': '7',
    })
    expect(values(principalContext(a, a.byArn.get(roleArn('r')) as never))).toEqual({
      'aws:userid': `AROAR:${SESSION_NAME}`,
      'aws:principalarn': roleArn('r'),
      'aws:principalaccount': ACCOUNT,
      'aws:principaltype': 'AssumedRole',
    })
  })
})

describe('SimulatePrincipalPolicy', () => {
  it('a user: its own, its group’s and attached policies, its boundary, its own keys', () => {
    expect(decide({ PolicySourceArn: userArn('u'), ActionNames: ['s3:GetObject', 'sqs:SendMessage', 'sns:Publish', 'ec2:RunInstances'] })).toEqual([
      's3:GetObject allowed inline-1,B boundary=true',
      'sqs:SendMessage allowed inline-1,B boundary=true',
      'sns:Publish implicitDeny Managed boundary=false',
      'ec2:RunInstances implicitDeny  boundary=false',
    ])
  })

  it('ContextEntries win over the principal’s own keys', () => {
    expect(decide({ PolicySourceArn: userArn('u'), ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['blue'], ContextKeyType: 'string' }] })).toEqual(['s3:GetObject implicitDeny B boundary=true'])
  })

  it('PolicyInputList adds policies; PermissionsBoundaryPolicyInputList replaces the boundary', () => {
    const extra = JSON.stringify(allow('sns:Publish', '*', { Sid: 'Extra' }))
    expect(decide({ PolicySourceArn: userArn('v'), PolicyInputList: [extra], ActionNames: ['sns:Publish'] })).toEqual(['sns:Publish allowed PolicyInputList.1'])
    const only = JSON.stringify(allow('sns:*'))
    expect(decide({ PolicySourceArn: userArn('u'), PermissionsBoundaryPolicyInputList: [only], ActionNames: ['sns:Publish', 's3:GetObject'] })).toEqual([
      'sns:Publish allowed Managed,PermissionsBoundaryPolicyInputList.1 boundary=true',
      's3:GetObject implicitDeny inline-1 boundary=false',
    ])
  })

  it('a role: its session’s keys read by its conditions; CallerArn changes the caller', () => {
    expect(decide({ PolicySourceArn: roleArn('r'), ActionNames: ['ec2:RunInstances'] })).toEqual(['ec2:RunInstances allowed inline-1'])
    // the root user is allowed what no policy denies: nothing grants iam:CreateUser, yet it may
    expect(decide({ PolicySourceArn: roleArn('r'), ActionNames: ['iam:CreateUser'] })).toEqual(['iam:CreateUser implicitDeny '])
    expect(decide({ PolicySourceArn: roleArn('r'), ActionNames: ['iam:CreateUser'], CallerArn: `arn:aws:iam::${ACCOUNT}:root` })).toEqual(['iam:CreateUser allowed '])
  })

  it('a group: its inline and attached policies (an attached policy the export lacks grants nothing)', () => {
    expect(decide({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/g`, ActionNames: ['sqs:SendMessage', 'sns:Publish', 's3:GetObject'] })).toEqual(['sqs:SendMessage allowed inline-1', 'sns:Publish allowed Managed', 's3:GetObject implicitDeny '])
  })

  it('names what it cannot simulate', () => {
    expect(() => simulatePrincipalPolicy(acct(), { ActionNames: ['s3:GetObject'] } as never)).toThrow('PolicySourceArn is required')
    expect(() => simulatePrincipalPolicy(acct(), { PolicySourceArn: userArn('ghost'), ActionNames: ['s3:GetObject'] })).toThrow(`PolicySourceArn "${userArn('ghost')}" is not a user, role or group of account ${ACCOUNT}`)
    expect(deny).toBeDefined()
  })
})
