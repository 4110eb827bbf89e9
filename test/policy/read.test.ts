// Reading a policy: the three forms a document comes in, positions as IAM's simulator counts them,
// and every document IAM would refuse refused with the policy and the statement named.
import { describe, expect, it } from 'vitest'
import { LIMITS, PolicyError, parseOperator, readPolicy } from '../../src/policy/read.js'

const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })

describe('the forms of a document', () => {
  it('reads JSON text, URL-encoded text, and an object alike', () => {
    const text = JSON.stringify(doc(allow))
    const a = readPolicy(text)
    const b = readPolicy(encodeURIComponent(text))
    const c = readPolicy(doc(allow))
    for (const p of [a, b, c]) {
      expect(p.statements).toHaveLength(1)
      expect(p.statements[0]?.action.patterns.map((x) => x.text)).toEqual(['s3:getobject'])
    }
  })

  it('reads a single statement object and a list alike, and keeps Sids and order', () => {
    expect(readPolicy({ Version: '2012-10-17', Statement: { Sid: 'One', ...allow } }).statements.map((s) => s.sid)).toEqual(['One'])
    expect(readPolicy(doc({ Sid: 'A', ...allow }, { Sid: 'B', ...allow, Effect: 'Deny' })).statements.map((s) => [s.index, s.sid, s.effect])).toEqual([
      [0, 'A', 'Allow'],
      [1, 'B', 'Deny'],
    ])
  })

  it('normalizes elements: lists, lower-cased actions, Not* flags, condition parts, boolean and number values as text', () => {
    const p = readPolicy(doc({ Effect: 'Allow', NotAction: ['IAM:*', 'STS:Get*'], NotResource: 'arn:aws:s3:::b', Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*'] }, Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': 10 } } }))
    const s = p.statements[0]
    expect(s?.action).toMatchObject({ not: true, patterns: [{ text: 'iam:*' }, { text: 'sts:get*' }] })
    expect(s?.resource).toMatchObject({ not: true, patterns: [{ text: 'arn:aws:s3:::b' }] })
    expect(s?.conditions.map((c) => [c.operator, c.qualifier, c.ifExists, c.lookup, c.values.map((v) => v.text)])).toEqual([
      ['StringLike', 'ForAnyValue', true, 'aws:tagkeys', ['a*']],
      ['Bool', undefined, false, 'aws:securetransport', ['true']],
      ['NumericLessThan', undefined, false, 's3:max-keys', ['10']],
    ])
  })

  it('marks values holding variables only under Version 2012-10-17', () => {
    const v = (version?: string) => readPolicy({ ...(version ? { Version: version } : {}), Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}' }] }).statements[0]?.resource?.patterns[0]?.variables
    expect([v('2012-10-17'), v('2008-10-17'), v()]).toEqual([true, false, false])
  })
})

describe('positions', () => {
  it('are IAM’s: the AWS CLI example’s statement at line 1, columns 38 to 167', () => {
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'
    const s = readPolicy(text).statements[0]
    expect([s?.start, s?.end]).toEqual([
      { Line: 1, Column: 38 },
      { Line: 1, Column: 167 },
    ])
  })

  it('count lines and columns in a formatted document, for each statement', () => {
    const text = JSON.stringify(doc({ Sid: 'A', ...allow }, { Sid: 'B', ...allow }), null, 4)
    const lines = text.split('\n')
    const [a, b] = readPolicy(text).statements
    // the first statement's brace is on line 4 (1-based), four spaces in a list under "Statement"
    expect(lines[(a?.start.Line as number) - 1]?.[(a?.start.Column as number) - 2]).toBe('{')
    expect(lines[(a?.end.Line as number) - 1]?.[(a?.end.Column as number) - 2]).toBe('}')
    expect(lines[(b?.start.Line as number) - 1]?.[(b?.start.Column as number) - 2]).toBe('{')
    expect(a?.start).toEqual({ Line: 4, Column: 10 })
    expect((b?.start.Line as number) > (a?.end.Line as number)).toBe(true)
  })

  it('count CRLF as one line break, and skip braces inside strings', () => {
    const text = '{\r\n"Version":"2012-10-17",\r\n"Statement":[\r\n{"Sid":"{[}","Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    expect(readPolicy(text).statements[0]?.start).toEqual({ Line: 4, Column: 2 })
  })

  it('follow the last Statement when the key repeats, as JSON.parse does', () => {
    const text = '{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}],"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    const s = readPolicy(text).statements[0]
    expect(s?.effect).toBe('Allow')
    expect(s?.start.Column).toBe(text.lastIndexOf('[{') + 3)
  })
})

describe('refusals name the policy and the statement', () => {
  const refuse = (document: unknown, message: RegExp, options: Parameters<typeof readPolicy>[1] = { id: 'PolicyInputList.1' }) => {
    let error: unknown
    try {
      readPolicy(document as object, options)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PolicyError)
    expect((error as PolicyError).code).toBe('MalformedPolicyDocument')
    expect((error as Error).message).toMatch(message)
    return error as PolicyError
  }

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{"Version":', /PolicyInputList\.1: the document is not JSON/],
    ['an array', [], /a policy is a JSON object or its text, not an array/],
    ['an array as text', '[]', /the document must be a JSON object, not an array/],
    ['no Statement', { Version: '2012-10-17' }, /has no Statement/],
    ['an unknown top-level element', { Statement: [], Foo: 1 }, /unknown element "Foo"/],
    ['an unknown Version', { Version: '2012-10-18', Statement: [] }, /Version must be/],
    ['a statement that is a string', doc('x'), /statement 1: a statement is a JSON object, not a string/],
    ['a bad Effect', doc({ ...allow, Effect: 'allow' }), /statement 1: Effect must be "Allow" or "Deny", not "allow"/],
    ['no Effect', doc({ Action: 's3:*', Resource: '*' }), /Effect must be "Allow" or "Deny", not missing/],
    ['Action and NotAction', doc({ ...allow, NotAction: 's3:*' }), /exactly one of Action and NotAction/],
    ['neither', doc({ Effect: 'Allow', Resource: '*' }), /exactly one of Action and NotAction/],
    ['Resource and NotResource', doc({ ...allow, NotResource: '*' }), /Resource or NotResource, not both/],
    ['no Resource in an identity policy', doc({ Effect: 'Allow', Action: 's3:*' }), /has Resource or NotResource/],
    ['NotPrincipal in an identity policy', doc({ ...allow, NotPrincipal: { AWS: '*' } }), /NotPrincipal belongs in resource-based policies/],
    ['Principal in an identity policy', doc({ ...allow, Principal: '*' }), /Principal belongs in resource-based policies/],
    ['an action without a service', doc({ ...allow, Action: 'GetObject' }), /"GetObject" is not an action/],
    ['an empty action list', doc({ ...allow, Action: [] }), /Action is empty/],
    ['a number as an action', doc({ ...allow, Action: [1] }), /Action holds strings, not a number/],
    ['an empty resource', doc({ ...allow, Resource: '' }), /Resource holds an empty string/],
    ['an unknown element in a statement', doc({ ...allow, Conditions: {} }), /unknown element "Conditions"/],
    ['an unknown operator', doc({ ...allow, Condition: { StringSortOf: { k: 'v' } } }), /unknown condition operator "StringSortOf"/],
    ['Null with IfExists', doc({ ...allow, Condition: { NullIfExists: { k: 'true' } } }), /unknown condition operator "NullIfExists"/],
    ['an unknown set qualifier', doc({ ...allow, Condition: { 'ForSomeValues:StringEquals': { k: 'v' } } }), /unknown condition operator/],
    ['a condition block that is a list', doc({ ...allow, Condition: { StringEquals: ['k'] } }), /condition StringEquals is an object of context keys/],
    ['an object as a condition value', doc({ ...allow, Condition: { StringEquals: { k: { a: 1 } } } }), /values are strings, numbers or booleans, not an object/],
    ['a Sid that is a number', doc({ ...allow, Sid: 3 }), /Sid must be a string/],
  ])('%s', (_what, document, message) => {
    refuse(document, message)
  })

  it('counts the statement from 1 and names its Sid', () => {
    const e = refuse(doc(allow, { Sid: 'Broken', Effect: 'Maybe', Action: 's3:*', Resource: '*' }), /PolicyInputList\.1, statement 2 \("Broken"\): Effect/)
    expect([e.policyId, e.statement]).toEqual(['PolicyInputList.1', 1])
  })

  it('asks a resource-based policy for a Principal, and takes one', () => {
    refuse(doc(allow), /names a Principal or NotPrincipal/, { id: 'ResourcePolicy', role: 'resource' })
    const p = readPolicy(doc({ ...allow, Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:user/*'], Service: 'ec2.amazonaws.com' } }), { role: 'resource' })
    expect(p.statements[0]?.principal?.values.map((v) => v.kind)).toEqual(['AWS', 'AWS', 'Service'])
    expect(p.warnings).toEqual([expect.stringMatching(/wildcard inside one matches nothing/)])
    refuse(doc({ ...allow, Principal: { Someone: 'x' } }), /unknown kind "Someone"/, { role: 'resource' })
    refuse(doc({ ...allow, Principal: 'everyone' }), /Principal is "\*" or an object/, { role: 'resource' })
  })

  it('bounds what it reads', () => {
    refuse('x'.repeat(LIMITS.chars + 1), /at most 131072 are read/)
    refuse(doc(...Array.from({ length: LIMITS.statements + 1 }, () => allow)), /1001 statements; at most 1000/)
    refuse(doc({ ...allow, Action: Array.from({ length: LIMITS.values + 1 }, (_, i) => `s3:A${i}`) }), /Action has 1001 values/)
    refuse(doc({ ...allow, Resource: `arn:aws:s3:::${'b'.repeat(LIMITS.valueChars)}` }), /a value of 4109 characters/)
    refuse(doc({ ...allow, Condition: { StringEquals: { k: 'v'.repeat(LIMITS.valueChars + 1) } } }), /a value of 4097 characters/)
  })

  it('refuses what is not a document at all', () => {
    expect(() => readPolicy(42 as unknown as object)).toThrow(/a policy is a JSON object or its text, not a number/)
    expect(() => readPolicy(null as unknown as object)).toThrow(PolicyError)
    expect(() => readPolicy('%E0%A4%A')).toThrow(/neither JSON nor URL-encoded JSON/)
  })
})

describe('operators', () => {
  it('split into qualifier, name and IfExists, ignoring case', () => {
    expect(parseOperator('ForAllValues:StringEqualsIfExists')).toEqual({ operator: 'StringEquals', qualifier: 'ForAllValues', ifExists: true })
    expect(parseOperator('forallvalues:stringlike')).toEqual({ operator: 'StringLike', qualifier: 'ForAllValues', ifExists: false })
    expect(parseOperator('Null')).toEqual({ operator: 'Null', qualifier: undefined, ifExists: false })
    expect(parseOperator('ForAnyValue:Null')).toBeUndefined()
    expect(parseOperator('IfExists')).toBeUndefined()
  })
})
