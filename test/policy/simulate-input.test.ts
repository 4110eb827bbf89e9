// The simulator's input as IAM's API takes it, at every edge: callers of each kind, owners, action
// names, context entries, pages and markers, trust actions, the policy cache (one reading per text,
// position and use), and which statements an answer shows when an organization's policy decides.
import { describe, expect, it } from 'vitest'
import { callerOf, cachedPolicy, contextOf, policyCacheSize, simulateCustomPolicy, SimulationInputError } from '../../src/policy/simulate.js'

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })
const ALL = policy({ Effect: 'Allow', Action: '*', Resource: '*' })
const A = '111122223333'

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    return `${(error as Error).name}${error instanceof SimulationInputError ? ` ${error.code}` : ''}: ${(error as Error).message}`
  }
  return 'no error'
}

describe('callers', () => {
  it('each kind of CallerArn, and the caller assumed without one', () => {
    expect(callerOf(undefined, A)).toEqual({ arn: `arn:aws:iam::${A}:user/simulated`, account: A, type: 'user' })
    expect(callerOf(undefined).account).toBe('123456789012')
    expect([
      callerOf(`arn:aws:iam::${A}:root`),
      callerOf(`arn:aws:iam::${A}:user/path/u`),
      callerOf(`arn:aws-cn:iam::${A}:role/path/app`),
      callerOf(`arn:aws:sts::${A}:assumed-role/app/s1`),
      callerOf(`arn:aws:sts::${A}:federated-user/f`),
    ]).toEqual([
      { arn: `arn:aws:iam::${A}:root`, account: A, type: 'root' },
      { arn: `arn:aws:iam::${A}:user/path/u`, account: A, type: 'user' },
      { arn: `arn:aws-cn:sts::${A}:assumed-role/app/simulated`, account: A, type: 'role-session', roleArn: `arn:aws-cn:iam::${A}:role/path/app` },
      { arn: `arn:aws:sts::${A}:assumed-role/app/s1`, account: A, type: 'role-session', roleArn: `arn:aws:iam::${A}:role/app` },
      { arn: `arn:aws:sts::${A}:federated-user/f`, account: A, type: 'federated-user' },
    ])
  })

  it('an ARN that is no principal, or whose account is not 12 digits, is InvalidInput', () => {
    for (const arn of [`arn:aws:s3:::bucket`, 'not an arn', `arn:aws:iam::12345:user/u`, `arn:aws:iam::${A}0:user/u`, `arn:aws:iam::x${A}:user/u`, `arn:aws:iam::${A}:group/g`, `arn:aws:sts::${A}:user/u`, `arn:aws:iam::${A}:assumed-role/r/s`, `arn:aws:iam::${A}:federated-user/f`, `arn:aws:sts::${A}:root`, `arn:aws:sts::${A}:role/r`]) {
      expect(refusal(() => callerOf(arn))).toMatch(/^SimulationInputError InvalidInput: CallerArn /)
    }
  })
})

describe('the request', () => {
  it('ResourceOwner is an account id or an account ARN; anything else is InvalidInput', () => {
    const run = (owner: string) => refusal(() => simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: ['s3:GetObject'], ResourceOwner: owner }))
    expect([run(A), run(`arn:aws:iam::${A}:root`)]).toEqual(['no error', 'no error'])
    for (const owner of [`${A}0`, `x${A}`, `arn:aws:iam::12345:root`, `arn:aws:iam::${A}0:root`, `arn:aws:iam::x${A}:root`, 'nobody']) expect(run(owner)).toMatch(/^SimulationInputError InvalidInput: ResourceOwner /)
  })

  it('an action name is service:Action with no space or second colon', () => {
    const run = (action: string) => refusal(() => simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: [action] }))
    expect(run('s3:GetObject')).toBe('no error')
    for (const action of ['x s3:GetObject', 's3:Get Object', 's3:Get:Object', 's3', ':GetObject', 's3:']) expect(run(action)).toMatch(/^SimulationInputError InvalidInput: ActionNames: /)
  })

  it('context entries: a name is required; values default to none (the key given, empty); keys are case-blind and repeated ones add up', () => {
    expect(refusal(() => contextOf([{ ContextKeyValues: ['x'] } as never]))).toMatch(/^SimulationInputError InvalidInput: ContextEntries: every entry needs a ContextKeyName/)
    expect(refusal(() => contextOf([{ ContextKeyName: '', ContextKeyValues: ['x'] }]))).toMatch(/every entry needs a ContextKeyName/)
    expect([...contextOf([{ ContextKeyName: 'aws:SourceVpc' }, { ContextKeyName: 'AWS:TagKeys', ContextKeyType: 'stringList', ContextKeyValues: ['a'] }, { ContextKeyName: 'aws:tagkeys', ContextKeyType: 'stringList', ContextKeyValues: ['b'] }])]).toEqual([
      ['aws:sourcevpc', { values: [], type: 'string' }],
      ['aws:tagkeys', { values: ['a', 'b'], type: 'stringList' }],
    ])
  })

  it('pages: MaxItems 1 to 1000, a page that ends exactly at the last result is not truncated, a Marker at the end gives an empty page', () => {
    const actions = ['s3:GetObject', 's3:PutObject', 's3:ListBucket']
    const run = (MaxItems?: number, Marker?: string) => simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: actions, ...(MaxItems === undefined ? {} : { MaxItems }), ...(Marker === undefined ? {} : { Marker }) })
    const first = run(2)
    expect([first.EvaluationResults?.map((r) => r.EvalActionName), first.IsTruncated, first.Marker]).toEqual([['s3:GetObject', 's3:PutObject'], true, '2'])
    const exact = run(3)
    expect([exact.EvaluationResults?.length, exact.IsTruncated, 'Marker' in exact]).toEqual([3, false, false])
    const last = run(2, '2')
    expect([last.EvaluationResults?.map((r) => r.EvalActionName), last.IsTruncated, 'Marker' in last]).toEqual([['s3:ListBucket'], false, false])
    expect(run(1000, '3').EvaluationResults).toEqual([])
    expect(run(1).EvaluationResults?.length).toBe(1)
    for (const [size, marker] of [[0], [1001], [1.5], [undefined, '4'], [undefined, '-1'], [undefined, '1.5'], [undefined, 'abc']] as [number?, string?][]) {
      expect(refusal(() => run(size, marker))).toMatch(/^SimulationInputError InvalidInput: (MaxItems is 1\.\.1000|Marker )/)
    }
  })
})

describe('trust actions', () => {
  const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/someone-else` }, Action: 'sts:AssumeRole' })
  const run = (action: string, resourcePolicy?: string) =>
    simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: [action], ResourceArns: [`arn:aws:iam::${A}:role/r`], CallerArn: `arn:aws:iam::${A}:user/u`, ...(resourcePolicy === undefined ? {} : { ResourcePolicy: resourcePolicy }) }).EvaluationResults?.[0]?.EvalDecision

  it('sts:AssumeRole (WithSAML, WithWebIdentity) needs the role\'s trust policy to name the caller; other actions, and a simulation without a trust policy, do not', () => {
    expect([run('sts:AssumeRole', trust), run('STS:assumerolewithsaml', trust), run('sts:AssumeRoleWithWebIdentity', trust)]).toEqual(['implicitDeny', 'implicitDeny', 'implicitDeny'])
    expect([run('sts:AssumeRoleX', trust), run('xsts:AssumeRole', trust), run('sts:TagSession', trust), run('sts:AssumeRole')]).toEqual(['allowed', 'allowed', 'allowed', 'allowed'])
  })
})

describe('what an answer shows', () => {
  it('a Deny in an SCP or an RCP decides, and is not among MatchedStatements (IAM shows only the account\'s own policies)', () => {
    const deny = policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' })
    const scp = simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: ['s3:GetObject'] }, { serviceControlPolicies: [[ALL, deny]] }).EvaluationResults?.[0]
    expect([scp?.EvalDecision, scp?.MatchedStatements, scp?.OrganizationsDecisionDetail]).toEqual(['explicitDeny', [], { AllowedByOrganizations: false }])
    const rcp = simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: ['s3:GetObject'] }, { resourceControlPolicies: [[ALL], [ALL, deny]] }).EvaluationResults?.[0]
    expect([rcp?.EvalDecision, rcp?.MatchedStatements]).toEqual(['explicitDeny', []])
    const allowed = simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: ['s3:GetObject'] }, { serviceControlPolicies: [[ALL]], resourceControlPolicies: [[ALL]] }).EvaluationResults?.[0]
    expect([allowed?.EvalDecision, allowed?.MatchedStatements?.map((s) => s.SourcePolicyId)]).toEqual(['allowed', ['PolicyInputList.1']])
  })

  it('a grant by the resource policy is shown as ResourcePolicy; the same text twice in the list is two policies', () => {
    const grant = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/u` }, Action: 's3:*', Resource: '*' })
    const byResource = simulateCustomPolicy({ PolicyInputList: [], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'], CallerArn: `arn:aws:iam::${A}:user/u`, ResourcePolicy: grant }).EvaluationResults?.[0]
    expect(byResource?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType])).toEqual([['ResourcePolicy', 'resource']])
    const twice = simulateCustomPolicy({ PolicyInputList: [ALL, ALL], ActionNames: ['s3:GetObject'] }).EvaluationResults?.[0]
    expect(twice?.MatchedStatements?.map((s) => s.SourcePolicyId)).toEqual(['PolicyInputList.1', 'PolicyInputList.2'])
  })

  it('a malformed organization policy is named by its level and place', () => {
    const bad = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Bogus":1}]}'
    expect(refusal(() => simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: ['s3:GetObject'] }, { serviceControlPolicies: [[ALL], [ALL, bad]] }))).toMatch(/ServiceControlPolicy\.2\.2\b/)
    expect(refusal(() => simulateCustomPolicy({ PolicyInputList: [ALL], ActionNames: ['s3:GetObject'] }, { resourceControlPolicies: [[bad]] }))).toMatch(/ResourceControlPolicy\.1\.1\b/)
  })
})

describe('the policy cache', () => {
  it('one reading per text, place and use: the same call gives the same reading, and a text read another way counts its characters once', () => {
    const text = policy({ Sid: `Unique${Date.now()}${Math.random()}`, Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' })
    const before = policyCacheSize()
    const asResource = cachedPolicy(text, { id: 'R', kind: 'resource', role: 'resource' })
    expect(cachedPolicy(text, { id: 'R', kind: 'resource', role: 'resource' })).toBe(asResource)
    const after = policyCacheSize()
    expect([after.entries - before.entries, after.chars - before.chars]).toEqual([1, text.length])
    // the same text as an identity policy is another reading, and refused: identity policies name no Principal
    expect(refusal(() => cachedPolicy(text, { id: 'R', kind: 'resource' }))).toMatch(/Principal belongs in resource-based policies/)
    const trust = cachedPolicy(text, { id: 'R', kind: 'resource', role: 'trust' })
    expect(trust).not.toBe(asResource)
    expect(policyCacheSize()).toEqual(after)
  })
})
