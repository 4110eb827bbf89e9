// The condition readers at their edges: the keys reported missing when a statement's conditions
// fail early, open keys that are present, base64 and CIDR text that is nearly right, addresses
// with signs or spaces, dates in another time zone. Each row is a fact of the formats the IAM User
// Guide's "Condition operators" page names.
import { afterEach, describe, expect, it } from 'vitest'
import { conditionHolds, conditionsHold, FALSE, inCidr, parseDate, parseIp, TRUE, UNKNOWN } from '../../src/policy/conditions.js'
import { readPolicy } from '../../src/policy/read.js'
import type { Condition, ContextValue } from '../../src/policy/types.js'

function conditions(block: Record<string, Record<string, unknown>>): Condition[] {
  const policy = readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: block }] })
  return policy.statements[0]?.conditions ?? []
}

function context(values: Record<string, string[]>): Map<string, ContextValue> {
  return new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), { values: v, type: 'string' }]))
}

function one(operator: string, value: unknown, given?: string[]): number {
  const [condition] = conditions({ [operator]: { 'test:Key': value } })
  if (!condition) throw new Error('no condition')
  return conditionHolds(condition, context(given ? { 'test:Key': given } : {}), { version2012: true })
}

describe('the keys a failed statement still needs', () => {
  it('a condition that fails first still reports every later key the request lacks, but not a Null test\'s', () => {
    const all = conditions({ StringEquals: { 'test:Given': 'yes', 'test:Later': 'x' }, Null: { 'test:Absent': 'true' }, StringLike: { 'test:Other': 'y*' } })
    const missing = new Set<string>()
    expect(conditionsHold(all, context({ 'test:Given': ['no'] }), { version2012: true, missing })).toBe(FALSE)
    expect([...missing].sort()).toEqual(['test:Later', 'test:Other'])
  })

  it('a key given (even with no values) is neither open nor missing; an evaluation without a missing set still answers', () => {
    const [condition] = conditions({ StringNotEquals: { 'test:Key': 'a' } })
    if (!condition) throw new Error('no condition')
    const missing = new Set<string>()
    expect(conditionHolds(condition, context({ 'test:Key': [] }), { version2012: true, missing, unknown: () => true })).toBe(TRUE)
    expect(conditionHolds(condition, context({ 'test:Key': ['b'] }), { version2012: true, missing, unknown: () => true })).toBe(TRUE)
    expect(conditionHolds(condition, context({ 'test:Key': ['a'] }), { version2012: true, missing, unknown: () => true })).toBe(FALSE)
    expect(missing.size).toBe(0)
    expect(conditionHolds(condition, context({}), { version2012: true })).toBe(TRUE)
    expect(conditionHolds(condition, context({}), { version2012: true, unknown: () => true })).toBe(UNKNOWN)
  })

  it('a Null value other than true or false holds for no request, with the key or without it', () => {
    expect([one('Null', 'maybe', ['x']), one('Null', 'maybe')]).toEqual([FALSE, FALSE])
  })
})

describe('readers at their edges', () => {
  const zone = process.env.TZ
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })

  it('a date-time without a zone is UTC wherever the evaluator runs', () => {
    process.env.TZ = 'Asia/Kolkata'
    expect([parseDate('2020-02-03T04:05:06'), parseDate('2020-02-03T04:05'), parseDate('2020-02-03 04:05:06.5')]).toEqual([Date.UTC(2020, 1, 3, 4, 5, 6), Date.UTC(2020, 1, 3, 4, 5), Date.UTC(2020, 1, 3, 4, 5, 6, 500)])
  })

  it('epoch seconds with several decimals; dates Date.parse would guess at are refused', () => {
    expect(['1580702706.25', 'Feb 3 2020', '2020/02/03', 'Mon, 03 Feb 2020 04:05:06 GMT'].map(parseDate)).toEqual([1580702706250, undefined, undefined, undefined])
  })

  it('base64: surrounding space is trimmed; space, padding or a stray character inside is not base64', () => {
    expect([one('BinaryEquals', 'QUJD', [' QUJD ']), one('BinaryEquals', 'QUJD', ['QU JD']), one('BinaryEquals', 'QUJD', ['QU=JD']), one('BinaryEquals', 'QUJDR', ['QUJDR']), one('BinaryEquals', 'QUJD', ['QUJD=='])]).toEqual([TRUE, FALSE, FALSE, FALSE, TRUE])
  })

  it('a prefix length that is not 0 to the address\'s bits is no range at all', () => {
    const rows: [string, string][] = [['10.0.0.0', '10.0.0.0/8x'], ['10.0.0.0', '10.0.0.0/x8'], ['10.0.0.0', '10.0.0.0/33'], ['10.0.0.0', '10.0.0.0/1234'], ['10.0.0.0', '10.0.0.0/'], ['2001:db8::', '2001:db8::/129']]
    expect(rows.map(([a, c]) => inCidr(a, c))).toEqual([false, false, false, false, false, false])
    expect([inCidr('10.0.0.0', '10.0.0.0/32'), inCidr('2001:db8::', '2001:db8::/128'), inCidr('10.1.2.3', '10.0.0.0/0')]).toEqual([true, true, true])
  })

  it('addresses: a dotted quad after :: alone; a sign, a space or hex in a quad is none', () => {
    expect(parseIp('::1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4])
    expect(['+1.2.3.4', '1.2 .3.4', '0x1.2.3.4', '1.2.3.4e0', '1.2::3'].map(parseIp)).toEqual([undefined, undefined, undefined, undefined, undefined])
  })
})
