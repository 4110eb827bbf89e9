// Every scalar the parser reads, at the edges of what each accepts (a mutation run found these
// rules untested): a synthetic operation whose output has one member of each kind.
import { describe, expect, it } from 'vitest'
import { XmlParseError } from '../../src/query/errors.js'
import { decodePolicy, errorCodeIn, parseErrorBody, parseOutput, requestIdIn } from '../../src/query/parse.js'
import type { Operation, Shape } from '../../src/query/shapes.js'

const scalar = (kind: 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob', more: object = {}): Shape => ({ kind, ...more }) as Shape
const op = {
  service: { id: 'iam', version: '2010-05-08', xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  name: 'Probe',
  input: { kind: 'structure', members: {} },
  output: {
    kind: 'structure',
    members: {
      I: scalar('integer'),
      L: scalar('long'),
      F: scalar('float'),
      D: scalar('double'),
      B: scalar('boolean'),
      T: scalar('timestamp'),
      P: scalar('string', { urlEncoded: true }),
      Flat: { kind: 'list', member: scalar('string'), flattened: true },
      Named: { kind: 'list', member: scalar('string'), memberName: 'item' },
      M: { kind: 'map', key: scalar('string'), value: scalar('integer') },
    },
  },
  resultWrapper: 'ProbeResult',
  errors: [],
  readOnly: true,
} as unknown as Operation<never, Record<string, unknown>>

const read = (inner: string) => parseOutput(op, `<ProbeResponse><ProbeResult>${inner}</ProbeResult></ProbeResponse>`)
const one = (name: string, text: string) => read(`<${name}>${text}</${name}>`)[name]

describe('numbers', () => {
  it.each([
    ['42', 42],
    [' -7 ', -7],
    ['+3', 3],
    ['9007199254740991', 9_007_199_254_740_991],
  ])('integer %j → %d', (text, n) => {
    expect(one('I', text)).toBe(n)
    expect(one('L', text)).toBe(n)
  })

  it.each(['0x10', '1e3', '1.5', 'Infinity', '', '9007199254740993', '1 2', '--1'])('refuses the integer %j, quoting it', (text) => {
    expect(() => one('I', text)).toThrow(new XmlParseError(`<I> should hold an integer, got ${JSON.stringify(text.trim())}`))
  })

  it('quotes at most 40 characters of a bad value', () => {
    expect(() => one('I', 'x'.repeat(60))).toThrow(`got "${'x'.repeat(40)}"`)
  })

  it.each([
    ['1.5', 1.5],
    ['-0.25', -0.25],
    ['+.5', 0.5],
    ['10', 10],
    ['3.', 3],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    ['-1e+2', -100],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('double %j → %d', (text, n) => {
    expect(one('D', text)).toBe(n)
    expect(one('F', text)).toBe(n)
  })

  it.each(['0x1', '1e', 'e3', '.', '1.2.3', 'infinity', '+-1', '1 e3', 'a1', '1a', '..5', '1ee3'])('refuses the double %j', (text) => {
    expect(() => one('D', text)).toThrow(new XmlParseError(`<D> should hold a number, got ${JSON.stringify(text)}`))
  })
})

describe('booleans, policies, lists and maps', () => {
  it('reads true and false, trimmed, and refuses anything else', () => {
    expect([one('B', 'true'), one('B', ' false ')]).toEqual([true, false])
    for (const text of ['True', '1', 'yes', '']) expect(() => one('B', text)).toThrow(`<B> should hold true or false, got ${JSON.stringify(text)}`)
  })

  it('decodes a percent-encoded policy, leaves a raw one and one that does not decode', () => {
    expect(one('P', '%7B%22a%22%3A1%7D')).toBe('{"a":1}')
    expect(one('P', '{"a":"%41"}')).toBe('{"a":"%41"}')
    expect(decodePolicy('100%')).toBe('100%')
    expect(decodePolicy('%E2%82')).toBe('%E2%82')
    expect(decodePolicy('a%4')).toBe('a%4')
    expect(decodePolicy('a%41')).toBe('aA')
  })

  it('gathers a flattened list from its repeated elements, and a list by its member name', () => {
    expect(read('<Flat>a</Flat><Flat>b</Flat>').Flat).toEqual(['a', 'b'])
    expect(read('<Named><item>x</item><member>no</member><item>y</item></Named>').Named).toEqual(['x', 'y'])
  })

  it('reads a map, skips entries without a value and refuses one without a key', () => {
    expect(read('<M><entry><key>a</key><value>1</value></entry><other/><entry><key>b</key></entry></M>').M).toEqual({ a: 1 })
    expect(() => read('<M><entry><value>1</value></entry></M>')).toThrow('<M> has an entry without a <key>')
  })
})

describe('timestamps', () => {
  it.each([
    ['2026-11-22T11:03:18Z', '2026-11-22T11:03:18.000Z'],
    ['2026-11-22T11:03:18.954293Z', '2026-11-22T11:03:18.954Z'],
    ['2026-11-22T11:03:18.9Z', '2026-11-22T11:03:18.900Z'],
    ['2026-11-22t11:03:18z', '2026-11-22T11:03:18.000Z'],
    ['2026-11-22T11:03:18+02:00', '2026-11-22T09:03:18.000Z'],
    ['2026-11-22T11:03:18-0130', '2026-11-22T12:33:18.000Z'],
    ['2026-11-22T11:03:18', '2026-11-22T11:03:18.000Z'],
    ['1700000000', '2023-11-14T22:13:20.000Z'],
    ['1700000000.5', '2023-11-14T22:13:20.500Z'],
    [' 1700000000 ', '2023-11-14T22:13:20.000Z'],
  ])('%j → %s', (text, iso) => {
    expect((one('T', text) as Date).toISOString()).toBe(iso)
  })

  it.each(['2026-11-22 11:03:18Z', 'x2026-11-22T11:03:18Z', '2026-11-22T11:03:18Zx', '2026-11-22T11:03:18.Z', '2026-13-40T11:03:18Z', '17e8', '1.', '.5', '1.5.5', '-1', 'yesterday', ''])(
    'refuses %j',
    (text) => {
      expect(() => one('T', text)).toThrow(`<T> should hold a timestamp, got ${JSON.stringify(text.trim())}`)
    },
  )
})

describe('reading codes and request ids without parsing', () => {
  it('finds them with whitespace around, and nothing in an empty element', () => {
    expect(requestIdIn('<x><RequestId>\n  abc-123 \n</RequestId></x>')).toBe('abc-123')
    expect(requestIdIn('<RequestId></RequestId>')).toBeUndefined()
    expect(requestIdIn('<RequestId>a b</RequestId>')).toBeUndefined()
    expect(errorCodeIn('<Code> NoSuchEntity </Code>')).toBe('NoSuchEntity')
    expect(errorCodeIn('<Code>Two words</Code>')).toBeUndefined()
    expect(errorCodeIn('<Code>x</Code><Code>y</Code>')).toBe('x')
    expect(errorCodeIn('no envelope')).toBeUndefined()
  })

  it('parses an error envelope at any depth, with its type, message and request id trimmed', () => {
    const body = '<ErrorResponse><Errors><Error><Type> Sender </Type><Code> Throttling </Code><Message> Rate exceeded </Message></Error></Errors><RequestID> r-1 </RequestID></ErrorResponse>'
    expect(parseErrorBody(body)).toEqual({ code: 'Throttling', type: 'Sender', message: 'Rate exceeded', requestId: 'r-1' })
    expect(parseErrorBody('<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>')).toEqual({ code: 'X', message: '' })
    expect(parseErrorBody('<ErrorResponse><Error><Code> </Code></Error></ErrorResponse>')).toBeUndefined()
    expect(parseErrorBody('<ErrorResponse><Error/></ErrorResponse>')).toBeUndefined()
    expect(parseErrorBody('<html>not xml')).toBeUndefined()
    expect(parseErrorBody('<ErrorResponse><Error><Code>X</Code></Error><RequestId>a</RequestId><RequestID>b</RequestID></ErrorResponse>')?.requestId).toBe('a')
  })
})
