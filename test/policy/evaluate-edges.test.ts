// The decision flow's edges that the corpus reaches only through decisions: each layer's own
// verdict, the evidence of every way an answer is reached, callers of every kind named by a
// resource policy, and the open context's algebra (a Deny that may hold, an allow that may not).
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../src/policy/evaluate.js'
import { readPolicy } from '../../src/policy/read.js'
import type { Caller, Outcome, ParsedPolicy, PolicySet } from '../../src/policy/types.js'

const A = '111122223333'
const B = '444455556666'
const USER: Caller = { arn: `arn:aws:iam::${A}:user/u`, account: A, type: 'user' }
let n = 0
const p = (...Statement: object[]): ParsedPolicy => readPolicy({ Version: '2012-10-17', Statement }, { id: `p${++n}` })
const ids = (o: Outcome) => o.statements.map((e) => `${e.layer}:${e.statement.sid ?? e.statement.index}${e.conditional ? '?' : ''}`)
const run = (policies: PolicySet, action = 's3:GetObject', caller: Caller = USER, options: Parameters<typeof evaluate>[2] = {}, resourceAccount = A) =>
  evaluate({ action, resource: 'arn:aws:s3:::b/k', caller, context: new Map(), resourceAccount }, policies, options)

describe('each layer’s verdict and the evidence', () => {
  it('organizations: every level must allow; a level that does not is implicitDeny in layers and explicitDeny overall, with no statements', () => {
    const identity = [p({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' })]
    const scps = [[p({ Sid: 'S3', Effect: 'Allow', Action: 's3:*', Resource: '*' })], [p({ Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]]
    const o = run({ identity, scps })
    expect([o.decision, o.layers, o.statements, o.conditional]).toEqual(['explicitDeny', { identity: 'allowed', scp: 'implicitDeny' }, [], false])
    const rcps = [[p({ Sid: 'R', Effect: 'Allow', Action: 's3:*', Resource: '*' })], [p({ Sid: 'R2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]]
    const r = run({ identity, rcps })
    expect([r.decision, r.layers]).toEqual(['explicitDeny', { identity: 'allowed', rcp: 'implicitDeny' }])
    const both = run({ identity, scps: [scps[0] as ParsedPolicy[]], rcps: [rcps[0] as ParsedPolicy[]] })
    expect([both.decision, both.layers, ids(both)]).toEqual(['allowed', { identity: 'allowed', scp: 'allowed', rcp: 'allowed' }, ['identity:All']])
  })

  it('an explicit Deny is the answer with its Deny statements, whatever layer it is in', () => {
    for (const layer of ['boundary', 'session', 'resource'] as const) {
      const deny = layer === 'resource' ? readPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'No', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }, { id: 'r', kind: 'resource', role: 'resource' }) : p({ Sid: 'No', Effect: 'Deny', Action: 's3:*', Resource: '*' })
      const policies: PolicySet = { identity: [p({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' })], [layer]: [deny] }
      const o = run(policies)
      expect([layer, o.decision, ids(o), o.layers[layer]]).toEqual([layer, 'explicitDeny', [`${layer}:No`], 'explicitDeny'])
    }
  })

  it('implicitDeny lists the Allow statements a missing layer left ungranted, none of the organization’s, none that only may hold', () => {
    const identity = [p({ Sid: 'Sure', Effect: 'Allow', Action: 's3:*', Resource: '*' }), p({ Sid: 'Maybe', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })]
    const o = run({ identity, boundary: [p({ Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' })], scps: [[p({ Sid: 'Org', Effect: 'Allow', Action: '*', Resource: '*' })]] }, 's3:GetObject', USER, { unknown: () => true })
    expect([o.decision, ids(o), o.layers.boundary]).toEqual(['implicitDeny', ['identity:Sure'], 'implicitDeny'])
  })

  it('across accounts both sides grant, and the evidence is every side’s statements (boundary and session included)', () => {
    const identity = [p({ Sid: 'Id', Effect: 'Allow', Action: 's3:*', Resource: '*' })]
    const boundary = [p({ Sid: 'Bd', Effect: 'Allow', Action: 's3:*', Resource: '*' })]
    const session = [p({ Sid: 'Ss', Effect: 'Allow', Action: 's3:*', Resource: '*' })]
    const resource = [readPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'Rs', Effect: 'Allow', Principal: { AWS: A }, Action: 's3:GetObject', Resource: '*' }] }, { id: 'r', kind: 'resource', role: 'resource' })]
    const o = run({ identity, boundary, session, resource }, 's3:GetObject', USER, {}, B)
    expect([o.decision, ids(o)]).toEqual(['allowed', ['identity:Id', 'boundary:Bd', 'session:Ss', 'resource:Rs']])
    // without the resource side, or without the identity side: denied
    expect(run({ identity }, 's3:GetObject', USER, {}, B).decision).toBe('implicitDeny')
    expect(run({ identity: [], resource }, 's3:GetObject', USER, {}, B).decision).toBe('implicitDeny')
  })

  it('a Deny that only may hold makes an allow conditional and is evidence; a Deny that surely holds is the answer', () => {
    const allow = p({ Sid: 'Ok', Effect: 'Allow', Action: 's3:*', Resource: '*' })
    const maybe = p({ Sid: 'Maybe', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })
    const o = run({ identity: [allow, maybe] }, 's3:GetObject', USER, { unknown: () => true })
    expect([o.decision, o.conditional, ids(o)]).toEqual(['allowed', true, ['identity:Ok', 'identity:Maybe?']])
    const sure = run({ identity: [allow, maybe, p({ Sid: 'Sure', Effect: 'Deny', Action: 's3:*', Resource: '*' })] }, 's3:GetObject', USER, { unknown: () => true })
    expect([sure.decision, ids(sure)]).toEqual(['explicitDeny', ['identity:Sure']])
    // an allow that only may hold: conditional; an unknown key is open, not missing (missing: absent and known to be)
    const tls = p({ Sid: 'Tls', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })
    const only = run({ identity: [tls] }, 's3:GetObject', USER, { unknown: () => true })
    expect([only.decision, only.conditional, ids(only), only.missing]).toEqual(['allowed', true, ['identity:Tls?'], []])
    const absent = run({ identity: [tls] })
    expect([absent.decision, absent.conditional, ids(absent), absent.missing]).toEqual(['implicitDeny', false, [], ['aws:SecureTransport']])
  })
})

describe('callers a resource policy names', () => {
  const bucket = (principal: object) => [readPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'R', Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: '*' }] }, { id: 'r', kind: 'resource', role: 'resource' })]
  const grants = (principal: object, caller: Caller) => run({ identity: [], resource: bucket(principal) }, 's3:GetObject', caller).decision

  it('a service, a federated provider, a federated user through the user who federated, a role session through its role', () => {
    const service: Caller = { arn: 'ec2.amazonaws.com', account: '', type: 'service', service: 'ec2.amazonaws.com' }
    const web: Caller = { arn: 'accounts.google.com', account: '', type: 'anonymous', federatedProvider: 'accounts.google.com' }
    const federated: Caller = { arn: `arn:aws:sts::${A}:federated-user/f`, account: A, type: 'federated-user', userArn: `arn:aws:iam::${A}:user/u` }
    const session: Caller = { arn: `arn:aws:sts::${A}:assumed-role/r/s`, account: A, type: 'role-session', roleArn: `arn:aws:iam::${A}:role/r` }
    expect([
      grants({ Service: 'ec2.amazonaws.com' }, service),
      grants({ Service: 'ec2.amazonaws.com' }, { ...service, service: 'lambda.amazonaws.com' }),
      grants({ Service: 'ec2.amazonaws.com' }, USER),
      grants({ Federated: 'accounts.google.com' }, web),
      grants({ Federated: 'accounts.google.com' }, { ...web, federatedProvider: 'cognito-identity.amazonaws.com' }),
      // the user who federated is the parent: its grant is limited by the session policy, and a federated session has one or is denied
      grants({ AWS: `arn:aws:iam::${A}:user/u` }, federated),
      grants({ AWS: `arn:aws:iam::${A}:user/other` }, federated),
      grants({ AWS: `arn:aws:iam::${A}:role/r` }, session),
      grants({ AWS: `arn:aws:sts::${A}:assumed-role/r/s` }, session),
      grants({ AWS: `arn:aws:iam::${A}:role/other` }, session),
      grants({ AWS: `arn:aws:iam::${A}:root` }, { arn: `arn:aws:iam::${A}:root`, account: A, type: 'root' }),
    ]).toEqual(['allowed', 'implicitDeny', 'implicitDeny', 'allowed', 'implicitDeny', 'implicitDeny', 'implicitDeny', 'allowed', 'allowed', 'implicitDeny', 'allowed'])
    // with a session policy that allows, the federated user's parent grant counts
    const withSession = run({ identity: [], resource: bucket({ AWS: `arn:aws:iam::${A}:user/u` }), session: [p({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] }, 's3:GetObject', federated).decision
    expect(withSession).toBe('allowed')
  })

  it('NotPrincipal excepts the caller named, its role or the user who federated; an account’s ARN excepts only its root user', () => {
    const deny = (not: object) => [readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }, { Sid: 'D', Effect: 'Deny', NotPrincipal: not, Action: 's3:GetObject', Resource: '*' }] }, { id: 'r', kind: 'resource', role: 'resource' })]
    const session: Caller = { arn: `arn:aws:sts::${A}:assumed-role/r/s`, account: A, type: 'role-session', roleArn: `arn:aws:iam::${A}:role/r` }
    const root: Caller = { arn: `arn:aws:iam::${A}:root`, account: A, type: 'root' }
    const d = (not: object, caller: Caller) => run({ identity: [], resource: deny(not) }, 's3:GetObject', caller).decision
    expect([d({ AWS: USER.arn }, USER), d({ AWS: `arn:aws:iam::${A}:role/r` }, session), d({ AWS: A }, USER), d({ AWS: A }, root), d({ AWS: `arn:aws:iam::${A}:user/x` }, USER)]).toEqual(['allowed', 'allowed', 'explicitDeny', 'allowed', 'explicitDeny'])
  })
})
