// The decision flow's evidence and certainty, case by case: which statements an answer shows for
// each way it is reached, when an answer is certain, a layer's own verdict when only a Deny that
// may hold is in it, how a resource policy naming an account differs from one naming the caller's
// role, and the 2008 policy language, in which `${…}` is text.
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../src/policy/evaluate.js'
import { readPolicy } from '../../src/policy/read.js'
import type { Caller, ContextValue, Outcome, ParsedPolicy, PolicySet } from '../../src/policy/types.js'

const A = '111122223333'
const ROLE = `arn:aws:iam::${A}:role/app`
const SESSION: Caller = { arn: `arn:aws:sts::${A}:assumed-role/app/s`, account: A, type: 'role-session', roleArn: ROLE }
const USER: Caller = { arn: `arn:aws:iam::${A}:user/u`, account: A, type: 'user' }
const SERVICE: Caller = { arn: 'ec2.amazonaws.com', account: '', type: 'service', service: 'ec2.amazonaws.com' }
let n = 0
const p = (...Statement: object[]): ParsedPolicy => readPolicy({ Version: '2012-10-17', Statement }, { id: `p${++n}` })
const resource = (...Statement: object[]): ParsedPolicy => readPolicy({ Version: '2012-10-17', Statement }, { id: `r${++n}`, kind: 'resource', role: 'resource' })
const ids = (o: Outcome) => o.statements.map((e) => `${e.layer}:${e.statement.sid ?? e.statement.index}`)
const ALL = { Effect: 'Allow', Action: '*', Resource: '*' }
const run = (policies: PolicySet, caller: Caller = USER, context: Record<string, string> = {}, options: Parameters<typeof evaluate>[2] = {}, target = 'arn:aws:s3:::b/k') =>
  evaluate({ action: 's3:GetObject', resource: target, caller, context: new Map<string, ContextValue>(Object.entries(context).map(([k, v]) => [k.toLowerCase(), { values: [v], type: 'string' }])), resourceAccount: A }, policies, options)

describe('certainty', () => {
  it('an answer reached without an open key is certain, whatever mix of layers reached it', () => {
    const byResource = run({ identity: [], resource: [resource({ Sid: 'Me', Effect: 'Allow', Principal: { AWS: SESSION.arn }, Action: 's3:*', Resource: '*' })] }, SESSION)
    expect([byResource.decision, byResource.conditional, ids(byResource)]).toEqual(['allowed', false, ['resource:Me']])
    const organized = run({ identity: [p({ Sid: 'All', ...ALL })], scps: [[p({ Sid: 'S', ...ALL })]], rcps: [[p({ Sid: 'R', ...ALL })]] })
    expect([organized.decision, organized.conditional]).toEqual(['allowed', false])
    const service = run({ identity: [], resource: [resource({ Sid: 'Ec2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 's3:*', Resource: '*' })] }, SERVICE)
    expect([service.decision, service.conditional, ids(service)]).toEqual(['allowed', false, ['resource:Ec2']])
    const bounded = run({ identity: [p({ Sid: 'All', ...ALL })], boundary: [p({ Sid: 'B', ...ALL })], session: [p({ Sid: 'S', ...ALL })] }, SESSION)
    expect([bounded.decision, bounded.conditional, ids(bounded)]).toEqual(['allowed', false, ['identity:All', 'boundary:B', 'session:S']])
  })

  it('a user named by a Service principal is not that service', () => {
    const o = run({ identity: [], resource: [resource({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 's3:*', Resource: '*' })] }, { ...USER, service: undefined })
    expect(o.decision).toBe('implicitDeny')
  })
})

describe('the evidence of each way', () => {
  it('granted by the resource policy naming the session alone: the role grant, identity, boundary and session statements that did not suffice are not shown', () => {
    const o = run(
      {
        identity: [p({ Sid: 'Id', ...ALL })],
        boundary: [p({ Sid: 'Bound', ...ALL })],
        session: [p({ Sid: 'OnlyEc2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })],
        resource: [resource({ Sid: 'Session', Effect: 'Allow', Principal: { AWS: SESSION.arn }, Action: 's3:*', Resource: '*' }, { Sid: 'Role', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:*', Resource: '*' })],
      },
      SESSION,
    )
    expect([o.decision, ids(o)]).toEqual(['allowed', ['resource:Session']])
  })

  it('implicitDeny shows the Allow statements that held, none of the organizations\' and none of the missing layer\'s', () => {
    const o = run({ identity: [p({ Sid: 'Id', ...ALL })], boundary: [p({ Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })], scps: [[p({ Sid: 'Scp', ...ALL })]], rcps: [[p({ Sid: 'Rcp', ...ALL })]] })
    expect([o.decision, ids(o), o.layers]).toEqual(['implicitDeny', ['identity:Id'], { identity: 'allowed', boundary: 'implicitDeny', scp: 'allowed', rcp: 'allowed' }])
  })

  it('each statement lists the keys its conditions read that the request lacks (a Null test\'s key is not lacking); one without conditions lists none', () => {
    const o = run({ identity: [p({ Sid: 'Plain', ...ALL }), p({ Sid: 'Keys', ...ALL, Condition: { StringEqualsIfExists: { 'aws:PrincipalTag/team': 'x', 'aws:SourceVpc': 'vpc-1' }, Null: { 'aws:TokenIssueTime': 'true' }, StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })] }, USER, { 'aws:RequestedRegion': 'eu-west-1' })
    expect(o.statements.map((e) => [e.statement.sid, [...e.missing].sort()])).toEqual([
      ['Plain', []],
      ['Keys', ['aws:PrincipalTag/team', 'aws:SourceVpc']],
    ])
    expect(o.missing).toEqual(['aws:PrincipalTag/team', 'aws:SourceVpc'])
  })
})

describe('each layer\'s own verdict', () => {
  it('a layer with only a Deny that may hold, and an Allow that does not, is implicitDeny in its own right', () => {
    const identity = [p({ Sid: 'Ok', ...ALL }), p({ Sid: 'NotHere', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]
    const boundary = [p({ Sid: 'MaybeNo', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }), p({ Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]
    const o = run({ identity, boundary }, USER, {}, { unknown: () => true })
    expect([o.decision, o.layers]).toEqual(['implicitDeny', { identity: 'allowed', boundary: 'implicitDeny' }])
  })

  it('an SCP level that denies is explicitDeny in layers even when another level lacks an Allow', () => {
    const o = run({ identity: [p(ALL)], scps: [[p({ Sid: 'Ec2Only', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })], [p(ALL), p({ Effect: 'Deny', Action: 's3:*', Resource: '*' })]] })
    expect([o.decision, o.layers.scp]).toEqual(['explicitDeny', 'explicitDeny'])
    const r = run({ identity: [p(ALL)], rcps: [[p({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })], [p(ALL), p({ Effect: 'Deny', Action: 's3:*', Resource: '*' })]] })
    expect([r.decision, r.layers.rcp]).toEqual(['explicitDeny', 'explicitDeny'])
  })
})

describe('how a resource policy names the caller', () => {
  it('the account alone grants nothing by itself in the same account; the caller\'s role does, whatever else the Principal lists', () => {
    const named = (...principals: string[]) => resource({ Effect: 'Allow', Principal: { AWS: principals }, Action: 's3:*', Resource: '*' })
    const other = `arn:aws:iam::${A}:user/someone-else`
    expect([
      run({ identity: [], resource: [named(`arn:aws:iam::${A}:root`)] }, USER).decision,
      run({ identity: [], resource: [named(other, `arn:aws:iam::${A}:root`)] }, USER).decision,
      run({ identity: [], resource: [named(other)] }, USER).decision,
      run({ identity: [], resource: [named(A, ROLE)] }, SESSION).decision,
      run({ identity: [], resource: [named(ROLE, A)] }, SESSION).decision,
      run({ identity: [], resource: [named(other, A)] }, SESSION).decision,
    ]).toEqual(['implicitDeny', 'implicitDeny', 'implicitDeny', 'allowed', 'allowed', 'implicitDeny'])
  })
})

describe('the 2008 policy language', () => {
  it('reads ${…} as text, in resources and in condition values alike', () => {
    const v2008 = (statement: object) => readPolicy({ Version: '2008-10-17', Statement: [statement] }, { id: `v${++n}` })
    const byResource = v2008({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}' })
    expect([run({ identity: [byResource] }, USER, { 'aws:username': 'u' }, {}, 'arn:aws:s3:::b/u').decision, run({ identity: [byResource] }, USER, { 'aws:username': 'u' }, {}, 'arn:aws:s3:::b/${aws:username}').decision]).toEqual(['implicitDeny', 'allowed'])
    const byCondition = v2008({ ...ALL, Condition: { StringEquals: { 'aws:PrincipalTag/owner': '${aws:username}' } } })
    expect([run({ identity: [byCondition] }, USER, { 'aws:username': 'u', 'aws:PrincipalTag/owner': 'u' }).decision, run({ identity: [byCondition] }, USER, { 'aws:username': 'u', 'aws:PrincipalTag/owner': '${aws:username}' }).decision]).toEqual(['implicitDeny', 'allowed'])
  })
})
