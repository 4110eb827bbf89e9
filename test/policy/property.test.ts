// No policy IAM's grammar allows makes the evaluator throw; a malformed one is a PolicyError
// naming the statement, never a silent allow or deny, and never another error.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../src/policy/evaluate.js'
import { PolicyError, readPolicy } from '../../src/policy/read.js'
import { callerOf, contextOf } from '../../src/policy/simulate.js'
import type { ContextType } from '../../src/policy/types.js'

// npm run mutate runs a fifth of the cases (POLICY_PROPERTY_SCALE=0.2), so each mutant takes seconds
const runs = (n: number) => Math.max(20, Math.round(n * Number(process.env.POLICY_PROPERTY_SCALE ?? 1)))

const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']
const KEYS = ['aws:username', 'aws:SourceIp', 'aws:CurrentTime', 'aws:TagKeys', 's3:prefix', 'aws:PrincipalTag/team', 'aws:SourceArn']
// text with the characters that matter: wildcards, variables, colons, slashes, unicode
const text = fc.stringMatching(/^[a-z0-9*?:/${}'., é-]{0,12}$/)
const glob = fc.oneof(text, fc.constantFrom('*', '?', '${aws:username}', '${*}', "${aws:PrincipalTag/team, 'x'}", '${', '}'))
const action = fc.oneof(fc.constantFrom('*', 's3:*', 's3:Get*', 'iam:?ist*', 'ec2:RunInstances'), fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,8}$/), glob).map(([s, a]) => `${s}:${a.replace(/\s/g, '')}`))
const arn = fc.oneof(fc.constant('*'), fc.tuple(fc.constantFrom('aws', '*', 'aws-cn'), fc.constantFrom('s3', 'iam', '*', 'sqs'), fc.constantFrom('', 'us-east-1', '*'), fc.constantFrom('', '111122223333', '*'), glob).map((p) => `arn:${p.join(':')}`), glob.filter((g) => g.length > 0))
const one = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { minLength: 1, maxLength: 3 }))
const conditionValue = fc.oneof(text, fc.integer().map(String), fc.boolean(), fc.constantFrom('203.0.113.0/24', '2001:db8::/32', '2020-01-01T00:00:00Z', '1577836800', 'QUI=', 'arn:aws:s3:::b/*', 'true', 'false'))
const operator = fc.tuple(fc.constantFrom('', 'ForAllValues:', 'ForAnyValue:'), fc.constantFrom(...OPERATORS), fc.boolean()).map(([q, o, ifx]) => `${q}${o}${ifx ? 'IfExists' : ''}`)
const condition = fc.oneof(
  fc.dictionary(operator, fc.dictionary(fc.constantFrom(...KEYS), one(conditionValue), { minKeys: 1, maxKeys: 2 }), { minKeys: 1, maxKeys: 2 }),
  fc.record({ Null: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom('true', 'false'), { minKeys: 1, maxKeys: 2 }) }),
)
const statement = fc.record(
  {
    Sid: text,
    Effect: fc.constantFrom('Allow', 'Deny'),
    action: fc.tuple(fc.constantFrom('Action', 'NotAction'), one(action)),
    resource: fc.tuple(fc.constantFrom('Resource', 'NotResource'), one(arn)),
    Condition: condition,
  },
  { requiredKeys: ['Effect', 'action', 'resource'] },
).map(({ action: [ak, av], resource: [rk, rv], ...rest }) => ({ ...rest, [ak]: av, [rk]: rv }))
const policy = fc.record({ Version: fc.constantFrom('2012-10-17', '2008-10-17', undefined), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })) }).map((p) => (p.Version === undefined ? { Statement: p.Statement } : p))
const contextEntry = fc.record({ key: fc.constantFrom(...KEYS), values: fc.array(conditionValue.map(String), { maxLength: 3 }), type: fc.constantFrom<ContextType>('string', 'stringList', 'date', 'ip', 'numeric', 'boolean', 'binary') })
const request = fc.record({ action, resource: arn, context: fc.array(contextEntry, { maxLength: 4 }) })

describe('any grammatical policy', () => {
  it('is read and evaluated without a throw, to one of the three decisions', () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 3 }), request, (docs, req) => {
        const identity = docs.map((d, i) => readPolicy(d, { id: `p${i}` }))
        const entries = req.context.map((c) => ({ ContextKeyName: c.key, ContextKeyValues: c.type.endsWith('List') ? c.values : c.values.slice(0, 1), ContextKeyType: c.type }))
        const outcome = evaluate({ action: req.action.replace(/\s/g, '') || 's3:x', resource: req.resource, caller: callerOf(undefined), context: contextOf(entries) }, { identity })
        expect(['allowed', 'explicitDeny', 'implicitDeny']).toContain(outcome.decision)
        // evidence: an allow or explicit deny names its statements
        if (outcome.decision !== 'implicitDeny') expect(outcome.statements.length).toBeGreaterThan(0)
      }),
      { numRuns: runs(1500) },
    )
  })

  it('as text, pretty or compact, reads to the same statements with positions inside the text', () => {
    fc.assert(
      fc.property(policy, fc.boolean(), (doc, pretty) => {
        const source = JSON.stringify(doc, null, pretty ? 2 : undefined)
        const p = readPolicy(source)
        const lines = source.split('\n')
        for (const s of p.statements) {
          expect(lines[s.start.Line - 1]?.[s.start.Column - 2]).toBe('{')
          expect(lines[s.end.Line - 1]?.[s.end.Column - 2]).toBe('}')
        }
      }),
      { numRuns: runs(500) },
    )
  })
})

describe('open context (who-can, escalations): keys the request leaves unknown', () => {
  // evaluated with some keys unknown, the answer must hold for those keys absent and for their
  // values: an unconditional allow allows both ways, a denial denies both ways, an explicit deny
  // denies explicitly both ways; only a conditional allow may go either way
  it('never contradicts the same request with those keys absent or given', () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 3 }), request, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (docs, req, drop) => {
        const identity = docs.map((d, i) => readPolicy(d, { id: `p${i}` }))
        const entries = req.context.map((c) => ({ ContextKeyName: c.key, ContextKeyValues: c.type.endsWith('List') ? c.values : c.values.slice(0, 1), ContextKeyType: c.type }))
        const given = contextOf(entries)
        const unknownKeys = new Set([...given.keys()].filter((_, i) => drop[i % 4]))
        const known = new Map([...given].filter(([k]) => !unknownKeys.has(k)))
        const base = { action: req.action.replace(/\s/g, '') || 's3:x', resource: req.resource, caller: callerOf(undefined) }
        const open = evaluate({ ...base, context: known }, { identity }, { unknown: (k) => unknownKeys.has(k) })
        const absent = evaluate({ ...base, context: known }, { identity })
        const present = evaluate({ ...base, context: given }, { identity })
        if (open.decision === 'allowed' && !open.conditional) expect([absent.decision, present.decision]).toEqual(['allowed', 'allowed'])
        if (open.decision === 'explicitDeny') expect([absent.decision, present.decision]).toEqual(['explicitDeny', 'explicitDeny'])
        if (open.decision === 'implicitDeny') {
          expect(absent.decision).not.toBe('allowed')
          expect(present.decision).not.toBe('allowed')
        }
        // nothing unknown: the open answer is the plain one
        if (unknownKeys.size === 0) expect([open.decision, open.conditional]).toEqual([present.decision, false])
      }),
      { numRuns: runs(1500) },
    )
  })
})

describe('a malformed policy', () => {
  const breakages: Array<[string, (s: Record<string, unknown>) => Record<string, unknown>]> = [
    ['no Effect', ({ Effect: _e, ...s }) => s],
    ['a misspelt Effect', (s) => ({ ...s, Effect: 'Allows' })],
    ['an unknown element', (s) => ({ ...s, Principals: '*' })],
    ['an empty action list', (s) => ({ ...s, ...('Action' in s ? { Action: [] } : { NotAction: [] }) })],
    ['an unknown operator', (s) => ({ ...s, Condition: { StringMaybe: { k: 'v' } } })],
    ['a number as a resource', (s) => ({ ...s, ...('Resource' in s ? { Resource: 7 } : { NotResource: 7 }) })],
  ]

  it('is a PolicyError naming the statement it is in', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.nat(), fc.constantFrom(...breakages), (statements, at, [, breakIt]) => {
        const index = at % statements.length
        const broken = statements.map((s, i) => (i === index ? breakIt(s as Record<string, unknown>) : s))
        let error: unknown
        try {
          readPolicy({ Version: '2012-10-17', Statement: broken }, { id: 'P' })
        } catch (e) {
          error = e
        }
        expect(error).toBeInstanceOf(PolicyError)
        expect((error as PolicyError).statement).toBe(index)
        expect((error as Error).message).toMatch(new RegExp(`^P, statement ${index + 1}`))
      }),
      { numRuns: runs(500) },
    )
  })
})
