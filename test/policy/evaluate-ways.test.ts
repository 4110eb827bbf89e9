// More of the decision flow's evidence: a grant through the caller's role still shows the
// boundary and session statements that let it through; one statement naming both the session and
// its role grants directly (the boundary does not limit it); implicitDeny shows no statement that
// only may hold; missing keys come sorted; a condition's fixed values beside ones with variables.
import { describe, expect, it } from 'vitest'
import { conditionsHold, FALSE } from '../../src/policy/conditions.js'
import { evaluate } from '../../src/policy/evaluate.js'
import { readPolicy } from '../../src/policy/read.js'
import type { Caller, ContextValue, Outcome, ParsedPolicy, PolicySet } from '../../src/policy/types.js'

const A = '111122223333'
const ROLE = `arn:aws:iam::${A}:role/app`
const SESSION: Caller = { arn: `arn:aws:sts::${A}:assumed-role/app/s`, account: A, type: 'role-session', roleArn: ROLE }
let n = 0
const p = (...Statement: object[]): ParsedPolicy => readPolicy({ Version: '2012-10-17', Statement }, { id: `w${++n}` })
const resource = (...Statement: object[]): ParsedPolicy => readPolicy({ Version: '2012-10-17', Statement }, { id: `wr${++n}`, kind: 'resource', role: 'resource' })
const ids = (o: Outcome) => o.statements.map((e) => `${e.layer}:${e.statement.sid ?? e.statement.index}`)
const ctx = (values: Record<string, string>) => new Map<string, ContextValue>(Object.entries(values).map(([k, v]) => [k.toLowerCase(), { values: [v], type: 'string' }]))
const run = (policies: PolicySet, context: Record<string, string> = {}, options: Parameters<typeof evaluate>[2] = {}) =>
  evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', caller: SESSION, context: ctx(context), resourceAccount: A }, policies, options)

describe('the ways an answer is reached', () => {
  it('through the caller\'s role: the resource statement, then the boundary and session statements it needed', () => {
    const o = run({ identity: [], boundary: [p({ Sid: 'B', Effect: 'Allow', Action: '*', Resource: '*' })], session: [p({ Sid: 'S', Effect: 'Allow', Action: 's3:*', Resource: '*' })], resource: [resource({ Sid: 'Role', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:*', Resource: '*' })] })
    expect([o.decision, ids(o)]).toEqual(['allowed', ['resource:Role', 'boundary:B', 'session:S']])
  })

  it('one statement naming the session and its role grants the session directly, past a boundary that allows nothing of it', () => {
    const o = run({ identity: [], boundary: [p({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })], resource: [resource({ Sid: 'Both', Effect: 'Allow', Principal: { AWS: [ROLE, SESSION.arn] }, Action: 's3:*', Resource: '*' })] })
    expect([o.decision, ids(o)]).toEqual(['allowed', ['resource:Both']])
  })

  it('implicitDeny shows the Allow statements that hold, not one that only may', () => {
    const o = run({ identity: [p({ Sid: 'Sure', Effect: 'Allow', Action: 's3:*', Resource: '*' }), p({ Sid: 'Maybe', Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })], boundary: [p({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })] }, {}, { unknown: () => true })
    expect([o.decision, ids(o)]).toEqual(['implicitDeny', ['identity:Sure']])
  })

  it('the keys a request lacks come sorted, whatever order the statement reads them in', () => {
    const o = run({ identity: [p({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1', 'aws:CalledVia': 'x', 'aws:PrincipalOrgID': 'o-1' } } })] })
    expect(o.missing).toEqual(['aws:CalledVia', 'aws:PrincipalOrgID', 'aws:SourceVpc'])
  })
})

describe('conditions', () => {
  it('a value without variables beside one with them is matched as written', () => {
    const [condition] = p({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/team': ['${aws:username}-*', 'fixed*'] } } }).statements[0]?.conditions ?? []
    if (!condition) throw new Error('no condition')
    const holds = (tag: string) => conditionsHold([condition], ctx({ 'aws:username': 'u', 'aws:PrincipalTag/team': tag }), { version2012: true })
    expect([holds('fixed-1'), holds('u-1'), holds('other')]).toEqual([1, 1, FALSE])
  })

  it('a failed condition without a set for missing keys answers false', () => {
    const conditions = p({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' }, StringLike: { 'aws:CalledVia': 'x*' } } }).statements[0]?.conditions ?? []
    expect(conditionsHold(conditions, ctx({ 'aws:SourceVpc': 'vpc-2' }), { version2012: true })).toBe(FALSE)
  })
})
