// Reading a policy, whole: every form a document comes in, every limit at its edge, every refusal
// named, and statement positions wherever braces, strings and repeated keys would mislead a naive
// count. Positions are IAM's: lines from 1, the column just past the brace.
import { describe, expect, it } from 'vitest'
import { LIMITS, PolicyError, readPolicy } from '../../src/policy/read.js'

const err = (f: () => unknown): string => {
  try {
    f()
    return 'read'
  } catch (e) {
    return e instanceof PolicyError ? `${e.policyId}|${e.statement ?? '-'}|${e.message}` : `other: ${(e as Error).message}`
  }
}
const st = (extra: object = {}) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra })
const pos = (text: string) => readPolicy(text).statements.map((s) => `${s.start.Line}:${s.start.Column}-${s.end.Line}:${s.end.Column}`)

describe('the forms a document comes in', () => {
  it('JSON text, URL-encoded text (+ as a space), an object; an id, a kind and an ARN as given', () => {
    const doc = { Version: '2012-10-17', Statement: [st({ Sid: 'A b' })] }
    const text = JSON.stringify(doc)
    const fromText = readPolicy(text, { id: 'T', kind: 'user', arn: 'arn:aws:iam::1:policy/T' })
    expect([fromText.id, fromText.kind, fromText.arn, fromText.version, fromText.statements[0]?.sid]).toEqual(['T', 'user', 'arn:aws:iam::1:policy/T', '2012-10-17', 'A b'])
    expect(readPolicy(encodeURIComponent(text)).statements[0]?.sid).toBe('A b')
    expect(readPolicy(encodeURIComponent(text).replace(/%20/g, '+')).statements[0]?.sid).toBe('A b')
    expect(readPolicy(`  ${text}`).statements).toHaveLength(1)
    const fromObject = readPolicy(doc)
    expect([fromObject.id, fromObject.kind, fromObject.arn, fromObject.statements[0]?.sid]).toEqual(['policy', 'none', undefined, 'A b'])
    expect(Object.hasOwn(fromObject, 'arn')).toBe(false)
  })

  it('positions past the braces, not fooled by braces in strings, escaped quotes, nested objects, a single statement or a repeated key', () => {
    expect(pos('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')).toEqual(['1:16-1:61'])
    expect(pos('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')).toEqual(['1:15-1:60'])
    expect(pos('{"Statement":[{"Sid":"a{b}[\\"","Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},\n  {"Effect":"Deny","Action":"*","Resource":"*"}]}')).toEqual(['1:16-1:129', '2:4-2:48'])
    expect(pos('{\r\n"Statement": [\r\n {"Effect":"Allow","Action":"*","Resource":"*"}\r]}')).toEqual(['3:3-3:48'])
    // JSON.parse keeps the last Statement; so do the positions
    expect(pos('{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}],"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')).toEqual(['1:76-1:124'])
    // a Statement key nested elsewhere is not the document's
    expect(pos('{"Id":"x","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k:Statement":["{"]}}}]}')).toEqual(['1:25-1:121'])
    // an object's positions are counted in its compact JSON
    expect(readPolicy({ Statement: [st()] }).statements.map((s) => [s.start, s.end])).toEqual([[{ Line: 1, Column: 16 }, { Line: 1, Column: 72 }]])
  })
})

describe('limits, at their edges', () => {
  it('document size, statements, values and a value’s length', () => {
    const pad = (n: number) => JSON.stringify({ Statement: [st()], Id: 'x'.repeat(n) })
    const base = pad(0).length
    expect(err(() => readPolicy(pad(LIMITS.chars - base)))).toBe('read')
    expect(err(() => readPolicy(pad(LIMITS.chars - base + 1)))).toBe(`policy|-|policy: the document has ${LIMITS.chars + 1} characters; at most ${LIMITS.chars} are read`)
    expect(err(() => readPolicy({ Statement: Array.from({ length: LIMITS.statements }, () => st()) }))).toBe('read')
    expect(err(() => readPolicy({ Statement: Array.from({ length: LIMITS.statements + 1 }, () => st()) }))).toBe(`policy|-|policy: ${LIMITS.statements + 1} statements; at most ${LIMITS.statements} are read`)
    const many = (n: number) => Array.from({ length: n }, (_, i) => `s3:Get${i}`)
    expect(err(() => readPolicy({ Statement: [st({ Action: many(LIMITS.values) })] }))).toBe('read')
    expect(err(() => readPolicy({ Statement: [st({ Action: many(LIMITS.values + 1) })] }))).toBe(`policy|0|policy, statement 1: Action has ${LIMITS.values + 1} values; at most ${LIMITS.values}`)
    expect(err(() => readPolicy({ Statement: [st({ Resource: 'r'.repeat(LIMITS.valueChars) })] }))).toBe('read')
    expect(err(() => readPolicy({ Statement: [st({ Resource: 'r'.repeat(LIMITS.valueChars + 1) })] }))).toBe(`policy|0|policy, statement 1: Resource holds a value of ${LIMITS.valueChars + 1} characters; at most ${LIMITS.valueChars}`)
    const cond = (values: string[]) => st({ Condition: { StringEquals: { 'aws:k': values } } })
    expect(err(() => readPolicy({ Statement: [cond(many(LIMITS.values))] }))).toBe('read')
    expect(err(() => readPolicy({ Statement: [cond(many(LIMITS.values + 1))] }))).toBe(`policy|0|policy, statement 1: condition StringEquals aws:k: ${LIMITS.values + 1} values; at most ${LIMITS.values}`)
    expect(err(() => readPolicy({ Statement: [cond(['v'.repeat(LIMITS.valueChars)])] }))).toBe('read')
    expect(err(() => readPolicy({ Statement: [cond(['v'.repeat(LIMITS.valueChars + 1)])] }))).toBe(`policy|0|policy, statement 1: condition StringEquals aws:k: a value of ${LIMITS.valueChars + 1} characters; at most ${LIMITS.valueChars}`)
  })
})

describe('refusals, each named', () => {
  it('the document, its statements, their elements', () => {
    expect(
      [
        () => readPolicy('{not json'),
        () => readPolicy('[1]'),
        () => readPolicy('null'),
        () => readPolicy('"text"'),
        () => readPolicy({ Statement: [st()], Extra: 1 }),
        () => readPolicy({ Statement: [st({ Principal: '*', NotPrincipal: '*' })] }, { role: 'resource' }),
        () => readPolicy({ Statement: [st({ Principal: '*' })] }),
        () => readPolicy({ Statement: [st({ NotPrincipal: { AWS: '1' } })] }),
        () => readPolicy({ Statement: [st()] }, { role: 'resource' }),
        () => readPolicy({ Statement: [st()] }, { role: 'trust' }),
        () => readPolicy({ Statement: [st({ Action: 's3 GetObject' })] }),
        () => readPolicy({ Statement: [st({ Action: 'GetObject' })] }),
        () => readPolicy({ Statement: [st({ Sid: 'S', Condition: [] })] }),
        () => readPolicy({ Statement: [st({ Principal: { AWS: 7 } })] }, { role: 'resource' }),
      ].map(err),
    ).toEqual(EXPECTED_REFUSALS)
  })

  it('reads Principal * and AWS * as anyone, other kinds as named, and no principal in an identity policy', () => {
    const principal = (p: unknown) => readPolicy({ Statement: [st({ Principal: p })] }, { role: 'resource' }).statements[0]?.principal
    expect(principal('*')).toEqual({ not: false, any: true, values: [] })
    expect(principal({ AWS: '*' })).toMatchObject({ any: true })
    expect(principal({ Service: '*' })).toMatchObject({ any: false, values: [{ kind: 'Service', value: '*' }] })
    expect(principal({ AWS: ['1', 'arn:aws:iam::1:root'], Federated: 'accounts.google.com' })).toMatchObject({ any: false, values: [{ kind: 'AWS', value: '1' }, { kind: 'AWS', value: 'arn:aws:iam::1:root' }, { kind: 'Federated', value: 'accounts.google.com' }] })
    expect(readPolicy({ Statement: [st()] }).statements[0]?.principal).toBeUndefined()
    const notAction = readPolicy({ Statement: [{ Effect: 'Allow', NotAction: 'S3:*', NotResource: 'arn:aws:s3:::b' }] }).statements[0]
    expect([notAction?.action.not, notAction?.action.patterns.map((p) => p.text), notAction?.resource?.not]).toEqual([true, ['s3:*'], true])
  })
})

const EXPECTED_REFUSALS: string[] = [
  "policy|-|policy: the document is not JSON (Expected property name or '}' in JSON at position 1)",
  "policy|-|policy: the document must be a JSON object, not an array",
  "policy|-|policy: the document must be a JSON object, not null",
  "policy|-|policy: the document must be a JSON object, not a string",
  "policy|-|policy: unknown element \"Extra\" (a policy holds Version, Id and Statement)",
  "policy|0|policy, statement 1: a statement has Principal or NotPrincipal, not both",
  "policy|0|policy, statement 1: Principal belongs in resource-based policies, not in an identity-based policy",
  "policy|0|policy, statement 1: NotPrincipal belongs in resource-based policies, not in an identity-based policy",
  "policy|0|policy, statement 1: a resource-based policy statement names a Principal or NotPrincipal",
  "policy|0|policy, statement 1: a resource-based policy statement names a Principal or NotPrincipal",
  "policy|0|policy, statement 1: \"s3 GetObject\" is not an action: write service:Action (or *)",
  "policy|0|policy, statement 1: \"GetObject\" is not an action: write service:Action (or *)",
  "policy|0|policy, statement 1 (\"S\"): Condition is an object of operators",
  "policy|0|policy, statement 1: Principal.AWS holds strings, not a number"
]
