// The condition operators one by one, and the readers under them (numbers, dates, addresses and
// ranges, base64), each row a fact from the IAM User Guide's "Condition operators" and "Conditions
// with multiple context keys or values" pages or from the formats they name (W3C's ISO 8601
// profile, CIDR for IPv4 and IPv6).
import { describe, expect, it } from 'vitest'
import { conditionHolds, FALSE, inCidr, parseDate, parseIp, parseNumber, TRUE, UNKNOWN } from '../../src/policy/conditions.js'
import { readPolicy } from '../../src/policy/read.js'
import type { ContextType, ContextValue } from '../../src/policy/types.js'

const NAMES = { [FALSE]: 'false', [TRUE]: 'true', [UNKNOWN]: 'unknown' } as const

/** One condition block `{ operator: { key: value } }` against a request that gives `key` these values (none: absent). */
function holds(operator: string, value: unknown, given?: string[], type: ContextType = 'string', options: { unknown?: boolean; version?: string; extra?: Record<string, string> } = {}): string {
  const policy = readPolicy({ Version: options.version ?? '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [operator]: { 'test:Key': value } } }] })
  const condition = policy.statements[0]?.conditions[0]
  if (!condition) throw new Error('no condition')
  const context = new Map<string, ContextValue>()
  if (given) context.set('test:key', { values: given, type })
  for (const [k, v] of Object.entries(options.extra ?? {})) context.set(k.toLowerCase(), { values: [v], type: 'string' })
  const missing = new Set<string>()
  const t = conditionHolds(condition, context, { version2012: (options.version ?? '2012-10-17') === '2012-10-17', missing, ...(options.unknown ? { unknown: () => true } : {}) })
  return `${NAMES[t]}${missing.size > 0 ? ` missing ${[...missing].join(',')}` : ''}`
}

describe('readers', () => {
  it('numbers: decimal, signed, fractional, exponent; nothing else', () => {
    expect(['1', ' 2.5 ', '+3', '-4', '.5', '5.', '1e3', '1E-2', '', 'abc', '1.2.3', '0x10', '1 2', 'Infinity', '-', '.'].map(parseNumber)).toEqual([1, 2.5, 3, -4, 0.5, 5, 1000, 0.01, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined])
  })

  it('dates: ISO 8601 as W3C profiles it (a time without a zone is UTC, +hhmm is +hh:mm), or epoch seconds', () => {
    const utc = (...a: [number, number, number?, number?, number?, number?, number?]) => Date.UTC(...a)
    expect(
      ['2020', '2020-02', '2020-02-03', '2020-02-03T04:05Z', '2020-02-03T04:05:06Z', '2020-02-03T04:05:06.789Z', '2020-02-03 04:05:06Z', '2020-02-03T04:05:06+01:00', '2020-02-03T04:05:06+0100', '2020-02-03T04:05:06-02:30', '2020-02-03T04:05:06', ' 1580702706 ', '1580702706.5', '-1', '2020-13-01', 'yesterday', '2020-02-03T04', '20200203'].map(parseDate),
    ).toEqual([
      utc(2020, 0, 1), utc(2020, 1, 1), utc(2020, 1, 3), utc(2020, 1, 3, 4, 5), utc(2020, 1, 3, 4, 5, 6), utc(2020, 1, 3, 4, 5, 6, 789), utc(2020, 1, 3, 4, 5, 6), utc(2020, 1, 3, 3, 5, 6), utc(2020, 1, 3, 3, 5, 6), utc(2020, 1, 3, 6, 35, 6), utc(2020, 1, 3, 4, 5, 6), 1580702706000, 1580702706500, -1000, undefined, undefined, undefined, 20200203000,
    ])
  })

  it('addresses: IPv4, IPv6 with :: and a dotted tail; anything else is none', () => {
    expect(parseIp('203.0.113.7')).toEqual([203, 0, 113, 7])
    expect(parseIp(' 10.0.0.1 ')).toEqual([10, 0, 0, 1])
    expect(parseIp('::1')).toEqual([...Array(15).fill(0), 1])
    expect(parseIp('2001:db8::')).toEqual([0x20, 0x01, 0x0d, 0xb8, ...Array(12).fill(0)])
    expect(parseIp('::ffff:192.0.2.1')).toEqual([...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1])
    expect(parseIp('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8])
    expect(parseIp('1:2:3:4:5:6:1.2.3.4')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4])
    expect(parseIp('fe80::1:2')).toEqual([0xfe, 0x80, ...Array(10).fill(0), 0, 1, 0, 2])
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.x', '1:2:3:4:5:6:7:8:9', '1::2::3', 'gggg::', '1:2:3:4:5:6:7', '1:2:3:4::5:6:7:8', '::ffff:1.2.3', '12345::', '', 'abc', '1:2:3:4:5:6:7:1.2.3.4']) expect([bad, parseIp(bad)]).toEqual([bad, undefined])
  })

  it('ranges: CIDR of either family, an address alone is itself, prefixes past the family or not numbers are none', () => {
    const rows: Array<[string, string, boolean]> = [
      ['10.1.2.3', '10.0.0.0/8', true],
      ['11.0.0.1', '10.0.0.0/8', false],
      ['10.0.0.1', '10.0.0.1', true],
      ['10.0.0.2', '10.0.0.1', false],
      ['10.0.0.1', '10.0.0.0/33', false],
      ['10.0.0.1', '10.0.0.0/x', false],
      ['10.0.0.1', '10.0.0.0/', false],
      ['2001:db8::1', '2001:db8::/32', true],
      ['2001:db9::1', '2001:db8::/32', false],
      ['2001:db8::1', '2001:db8::/129', false],
      ['10.0.0.1', '::/0', false],
      ['10.0.0.1/32', '10.0.0.0/24', true],
      ['192.168.1.129', '192.168.1.128/25', true],
      ['192.168.1.127', '192.168.1.128/25', false],
      ['192.168.1.255', '192.168.1.254/31', true],
      ['192.168.1.253', '192.168.1.254/31', false],
      ['1.2.3.4', '0.0.0.0/0', true],
      ['not-an-address', '0.0.0.0/0', false],
      ['1.2.3.4', 'not-a-range', false],
    ]
    expect(rows.map(([a, c]) => inCidr(a, c))).toEqual(rows.map(([, , r]) => r))
  })
})

describe('operators', () => {
  it('strings: exact, ignoring case, globs; negated operators are NOR over the values', () => {
    expect([
      holds('StringEquals', 'Abc', ['Abc']),
      holds('StringEquals', 'Abc', ['abc']),
      holds('StringEquals', ['x', 'Abc'], ['Abc']),
      holds('StringNotEquals', ['x', 'Abc'], ['Abc']),
      holds('StringNotEquals', ['x', 'y'], ['Abc']),
      holds('StringEqualsIgnoreCase', 'ABC', ['abc']),
      holds('StringNotEqualsIgnoreCase', 'ABC', ['abc']),
      holds('StringLike', 'a*c?', ['abbbcd']),
      holds('StringLike', 'a*c?', ['abbbc']),
      holds('StringNotLike', 'a*', ['abc']),
      holds('StringNotLike', 'a*', ['bcd']),
      holds('StringEquals', 'a*', ['abc']),
    ]).toEqual(['true', 'false', 'true', 'false', 'true', 'true', 'false', 'true', 'false', 'false', 'true', 'false'])
  })

  it('numbers and dates compare as numbers; an unreadable value on either side matches nothing', () => {
    expect([
      holds('NumericEquals', '10', ['10.0']),
      holds('NumericNotEquals', '10', ['10.0']),
      holds('NumericLessThan', '10', ['9']),
      holds('NumericLessThan', '10', ['10']),
      holds('NumericLessThanEquals', '10', ['10']),
      holds('NumericGreaterThan', '10', ['11']),
      holds('NumericGreaterThan', '10', ['10']),
      holds('NumericGreaterThanEquals', '10', ['10']),
      holds('NumericGreaterThanEquals', '10', ['9']),
      holds('NumericEquals', 'ten', ['10']),
      holds('NumericEquals', '10', ['ten']),
      holds('NumericNotEquals', '10', ['ten']),
      holds('DateEquals', '2020-01-01T00:00:00Z', ['1577836800']),
      holds('DateNotEquals', '2020-01-01T00:00:00Z', ['1577836800']),
      holds('DateLessThan', '2020-01-01', ['2019-12-31T23:59:59Z']),
      holds('DateLessThan', '2020-01-01', ['2020-01-01T00:00:00Z']),
      holds('DateLessThanEquals', '2020-01-01', ['2020-01-01T00:00:00Z']),
      holds('DateGreaterThan', '2020-01-01', ['2020-01-01T00:00:01Z']),
      holds('DateGreaterThan', '2020-01-01', ['2020-01-01T00:00:00Z']),
      holds('DateGreaterThanEquals', '2020-01-01', ['2020-01-01T00:00:00Z']),
      holds('DateGreaterThanEquals', '2020-01-01', ['2019-01-01']),
      // epoch seconds on one side and ISO on the other: both read to the same instant
      holds('DateLessThan', '1577836800', ['2019-12-31T23:59:59Z']),
      holds('DateLessThan', 'never', ['2019-12-31T23:59:59Z']),
    ]).toEqual(['true', 'false', 'true', 'false', 'true', 'true', 'false', 'true', 'false', 'false', 'false', 'true', 'true', 'false', 'true', 'false', 'true', 'true', 'false', 'true', 'false', 'true', 'false'])
  })

  it('Bool ignores case; BinaryEquals compares the bytes base64 stands for; addresses in ranges; ARNs by their parts', () => {
    expect([
      holds('Bool', 'true', ['TRUE']),
      holds('Bool', 'true', ['false']),
      holds('BinaryEquals', 'QUJD', ['QUJD']),
      holds('BinaryEquals', 'QUI=', ['QUI']),
      holds('BinaryEquals', 'QUI=', ['QUM=']),
      holds('BinaryEquals', 'QUI=', ['not base64!']),
      holds('BinaryEquals', 'Q', ['Q']),
      holds('IpAddress', '203.0.113.0/24', ['203.0.113.9']),
      holds('IpAddress', ['10.0.0.0/8', '203.0.113.0/24'], ['203.0.113.9']),
      holds('NotIpAddress', '203.0.113.0/24', ['203.0.113.9']),
      holds('NotIpAddress', '203.0.113.0/24', ['198.51.100.1']),
      holds('IpAddress', '2001:db8::/32', ['2001:db8::5']),
      holds('ArnLike', 'arn:aws:s3:::b/*', ['arn:aws:s3:::b/k']),
      holds('ArnLike', 'arn:aws:iam::*:role/a*', ['arn:aws:iam::111122223333:role/admin']),
      holds('ArnEquals', 'arn:aws:iam::*:role/a*', ['arn:aws:iam::111122223333:role/admin']),
      holds('ArnNotLike', 'arn:aws:s3:::b/*', ['arn:aws:s3:::b/k']),
      holds('ArnNotEquals', 'arn:aws:s3:::b/*', ['arn:aws:s3:::c/k']),
      holds('ArnLike', 'arn:aws:s3:::b/*', ['arn:aws:sqs:us-east-1:1:b/k']),
    ]).toEqual(['true', 'false', 'true', 'true', 'false', 'false', 'false', 'true', 'true', 'false', 'true', 'true', 'true', 'true', 'true', 'false', 'true', 'false'])
  })

  it('a key the request lacks: positive operators fail, negated ones hold, IfExists holds, Null tests it, and it is reported missing', () => {
    expect([
      holds('StringEquals', 'a'),
      holds('StringNotEquals', 'a'),
      holds('StringEqualsIfExists', 'a'),
      holds('NumericLessThanIfExists', '5'),
      holds('StringEqualsIfExists', 'a', ['b']),
      holds('StringEqualsIfExists', 'a', ['a']),
      holds('Null', 'true'),
      holds('Null', 'false'),
      holds('Null', 'true', ['x']),
      holds('Null', 'false', ['x']),
      holds('Null', 'TRUE'),
      holds('Null', 'maybe'),
      holds('Null', ['false', 'true']),
      holds('StringEquals', 'a', []),
      holds('Null', 'true', []),
    ]).toEqual(['false missing test:Key', 'true missing test:Key', 'true missing test:Key', 'true missing test:Key', 'false', 'true', 'true', 'false', 'false', 'true', 'true', 'false', 'true', 'false', 'true'])
  })

  it('sets: ForAllValues holds for an absent or empty set, ForAnyValue does not; negated, each request value against all the policy’s', () => {
    expect([
      holds('ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], 'stringList'),
      holds('ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], 'stringList'),
      holds('ForAllValues:StringEquals', ['a', 'b'], [], 'stringList'),
      holds('ForAllValues:StringEquals', ['a', 'b']),
      holds('ForAnyValue:StringEquals', ['a', 'b'], ['c', 'b'], 'stringList'),
      holds('ForAnyValue:StringEquals', ['a', 'b'], ['c'], 'stringList'),
      holds('ForAnyValue:StringEquals', ['a', 'b'], [], 'stringList'),
      holds('ForAnyValue:StringEquals', ['a', 'b']),
      holds('ForAllValues:StringNotEquals', ['a', 'b'], ['c', 'd'], 'stringList'),
      holds('ForAllValues:StringNotEquals', ['a', 'b'], ['c', 'a'], 'stringList'),
      holds('ForAnyValue:StringNotEquals', ['a', 'b'], ['a', 'c'], 'stringList'),
      holds('ForAnyValue:StringNotEquals', ['a', 'b'], ['a', 'b'], 'stringList'),
      // a multivalued key without a set operator: any value matches (a negated operator: none does)
      holds('StringEquals', 'a', ['b', 'a'], 'stringList'),
      holds('StringNotEquals', 'a', ['b', 'a'], 'stringList'),
      holds('ForAllValues:StringEqualsIfExists', 'a'),
      holds('ForAnyValue:StringEqualsIfExists', 'a'),
    ]).toEqual(['true', 'false', 'true', 'true missing test:Key', 'true', 'false', 'false', 'false missing test:Key', 'true', 'false', 'true', 'false', 'true', 'false', 'true missing test:Key', 'true missing test:Key'])
  })

  it('an open key (who-can) is unknown for every operator but never missing', () => {
    expect(['StringEquals', 'StringNotEquals', 'Null', 'ForAnyValue:StringLike', 'StringEqualsIfExists'].map((o) => holds(o, 'a', undefined, 'string', { unknown: true }))).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown'])
    // a key the request does give is read, open or not
    expect(holds('StringEquals', 'a', ['a'], 'string', { unknown: true })).toBe('true')
  })

  it('policy variables in values, only with Version 2012-10-17; a variable without a value matches nothing', () => {
    expect([
      holds('StringEquals', '${aws:username}', ['alice'], 'string', { extra: { 'aws:username': 'alice' } }),
      holds('StringEquals', '${aws:username}', ['alice'], 'string', { extra: { 'aws:username': 'bob' } }),
      holds('StringLike', 'home/${aws:username}/*', ['home/alice/x'], 'string', { extra: { 'aws:username': 'alice' } }),
      holds('StringEquals', '${aws:username}', ['${aws:username}'], 'string', { version: '2008-10-17', extra: { 'aws:username': 'alice' } }),
      holds('StringEquals', '${aws:username}', ['alice']),
      holds('StringEquals', ["${aws:username, 'nobody'}", 'x'], ['nobody']),
      holds('StringNotEquals', '${aws:username}', ['alice']),
      // numbers take no variables: the text is read as written
      holds('NumericEquals', '${aws:epochtime}', ['1'], 'numeric', { extra: { 'aws:epochtime': '1' } }),
    ]).toEqual(['true', 'false', 'true', 'true', 'false missing aws:username', 'true', 'true missing aws:username', 'false'])
  })
})
