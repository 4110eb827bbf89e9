// Reading answers as botocore reads them, and output types the parser keeps (issue: parity with
// botocore). Each block is one rule; the protocol suites and the moto differential live apart.
import { DOMParser } from '@xmldom/xmldom'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { DeleteUser, GetRole, GetCredentialReport, GetUser, IamClient, IamError, isIamError, ListRoles, ListUsers, type InputOf, type Operation, type OperationSender, type OutputOf } from '../../src/iam/index.js'
import { XmlParseError } from '../../src/query/errors.js'
import { parseOutput } from '../../src/query/parse.js'
import { serializeInput } from '../../src/query/serialize.js'
import type { StructureShape } from '../../src/query/shapes.js'
import { readXml } from '../../src/query/xml/index.js'
import { xmldomReader } from '../../src/query/xmldom.js'
import { scriptedFetch, testCredentials, xml } from '../support/fake-query.js'

const NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"'
const user = (fields: string) =>
  `<GetUserResponse ${NS}><GetUserResult><User>${fields}</User></GetUserResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetUserResponse>`
const FULL_USER = '<Path>/</Path><UserName>alice</UserName><UserId>AID1</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate>'

describe('line ends (XML 1.0 §2.11)', () => {
  it('reads CR LF and a lone CR as LF, keeps &#13; as CR, in text and CDATA, with both readers', () => {
    const doc = '<a>x\r\ny\rz&#13;<![CDATA[c\r\nd]]></a>'
    expect(readXml(doc).text).toBe('x\ny\nz\rc\nd')
    expect(new DOMParser().parseFromString(doc, 'text/xml').documentElement?.textContent).toBe('x\ny\nz\rc\nd')
  })

  it('reaches parsed outputs: a role description written on two lines', () => {
    const body = `<GetRoleResponse ${NS}><GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><Description>line one\r\nline two</Description></Role></GetRoleResult></GetRoleResponse>`
    expect(parseOutput(GetRole, body).Role.Description).toBe('line one\nline two')
    expect(parseOutput(GetRole, body, xmldomReader).Role.Description).toBe('line one\nline two')
  })
})

describe('answers without a result', () => {
  it('reads an empty 200 or a bare envelope as {} for an operation without output', () => {
    expect(parseOutput(DeleteUser, '')).toEqual({})
    expect(parseOutput(DeleteUser, '  \n')).toEqual({})
    expect(parseOutput(DeleteUser, `<DeleteUserResponse ${NS}><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>`)).toEqual({})
  })

  it('refuses them where the output has required members, so a cut answer never reads as an empty listing', () => {
    expect(() => parseOutput(ListUsers, '')).toThrow(XmlParseError)
    expect(() => parseOutput(ListUsers, `<ListUsersResponse ${NS}><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>`)).toThrow(/holds no <ListUsersResult>/)
  })
})

describe('numbers', () => {
  const summary = (v: string) => `<GetAccountSummaryResponse ${NS}><GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>${v}</value></entry></SummaryMap></GetAccountSummaryResult></GetAccountSummaryResponse>`
  it.each(['0x10', '1e3', '1.5', 'Infinity', 'NaN', '', '12abc', '9007199254740993'])('refuses %j for an integer', async (v) => {
    const { GetAccountSummary } = await import('../../src/iam/index.js')
    expect(() => parseOutput(GetAccountSummary, summary(v))).toThrow(/should hold an integer/)
  })

  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['+5', 5],
    ['-3', -3],
  ])('reads %j as %d', async (v, n) => {
    const { GetAccountSummary } = await import('../../src/iam/index.js')
    expect(parseOutput(GetAccountSummary, summary(v)).SummaryMap?.Users).toBe(n)
  })
})

describe('timestamps', () => {
  it.each([
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
    ['2026-01-02t03:04:05z', '2026-01-02T03:04:05.000Z'],
    ['2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:05.123Z'],
    ['2026-01-02T05:04:05+02:00', '2026-01-02T03:04:05.000Z'],
    ['1767323045', '2026-01-02T03:04:05.000Z'],
  ])('reads %s', (text, iso) => {
    const out = parseOutput(GetUser, user(FULL_USER.replace('2026-01-02T03:04:05Z', text)))
    expect(out.User.CreateDate.toISOString()).toBe(iso)
  })

  it('writes input timestamps in whole seconds, as botocore does, and milliseconds only when there are some', async () => {
    const op: Operation = { ...ListUsers, input: { kind: 'structure', members: { At: { kind: 'timestamp' } } } }
    expect(serializeInput(op, { At: new Date('2026-01-02T03:04:05Z') }).get('At')).toBe('2026-01-02T03:04:05Z')
    expect(serializeInput(op, { At: new Date('2026-01-02T03:04:05.250Z') }).get('At')).toBe('2026-01-02T03:04:05.250Z')
  })
})

describe('required members: what the output types promise, the parser keeps', () => {
  it('reads a missing required list as []', () => {
    const out = parseOutput(ListRoles, `<ListRolesResponse ${NS}><ListRolesResult><IsTruncated>false</IsTruncated></ListRolesResult></ListRolesResponse>`)
    expect(out.Roles).toEqual([])
    expectTypeOf(out.Roles).toEqualTypeOf<import('../../src/iam/index.js').Role[]>()
  })

  it('reads a missing required map as {}', () => {
    const shape: StructureShape = { kind: 'structure', members: { M: { kind: 'map', key: { kind: 'string' }, value: { kind: 'string' } } }, required: ['M'] }
    const op: Operation = { ...ListUsers, name: 'X', resultWrapper: 'XResult', output: shape }
    expect(parseOutput(op, '<XResponse><XResult/></XResponse>')).toEqual({ M: {} })
  })

  it('refuses a missing required scalar, and a missing required structure', () => {
    expect(() => parseOutput(GetUser, user(FULL_USER.replace('<UserId>AID1</UserId>', '')))).toThrow(/<User> lacks the required <UserId>/)
    expect(() => parseOutput(GetUser, `<GetUserResponse ${NS}><GetUserResult/></GetUserResponse>`)).toThrow(/lacks the required <User>/)
  })
})

describe('errors as AWS SDK v3 names them', () => {
  const envelope = (code: string, status = 404) =>
    xml(status, `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>${code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`)

  it.each([
    [GetUser, 'NoSuchEntity', 'NoSuchEntityException'],
    [GetCredentialReport, 'ReportNotPresent', 'CredentialReportNotPresentException'],
    [GetUser, 'ServiceFailure', 'ServiceFailureException'],
    [GetUser, 'AccessDenied', 'AccessDenied'],
    [GetUser, 'SignatureDoesNotMatch', 'SignatureDoesNotMatch'],
  ] as const)('%s answering %s is named %s, and is still an IamError with its code', async (op, code, name) => {
    const iam = new IamClient({ credentials: testCredentials, fetch: scriptedFetch([envelope(code, code === 'ServiceFailure' ? 400 : 404)]), retries: 0 })
    const error = await iam.send(op as Operation<object, object>, op === GetUser ? { UserName: 'x' } : {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IamError)
    expect(isIamError(error)).toBe(true)
    expect(error).toMatchObject({ name, code, service: 'iam' })
  })

  it('recognizes an IamError by its brand, not by name or class identity', () => {
    const foreign = Object.assign(new Error('x'), { name: 'IamError', code: 'NoSuchEntity' })
    expect(isIamError(foreign)).toBe(false)
    expect(isIamError(new IamError({ code: 'NoSuchEntity', message: 'm', status: 404 }))).toBe(true)
  })
})

describe('send without an input', () => {
  it('works when no member is required, and the types refuse it when one is', async () => {
    const fetch = scriptedFetch([xml(200, `<ListUsersResponse ${NS}><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>`)])
    const iam = new IamClient({ credentials: testCredentials, fetch })
    const out = await iam.send(ListUsers)
    expect(out.Users).toEqual([])
    expect(fetch.calls[0]?.body).toBe('Action=ListUsers&Version=2010-05-08')
    // @ts-expect-error GetRole needs RoleName
    const refused = iam.send(GetRole).catch((e: unknown) => e)
    expect(await refused).toBeInstanceOf(Error)
  })

  it('exports the generic types a wrapper needs', () => {
    async function logged<I extends object, O extends object>(client: OperationSender, op: Operation<I, O>, input: I): Promise<O> {
      return client.send(op, input)
    }
    const iam = new IamClient({ credentials: testCredentials, fetch: scriptedFetch([]) })
    expectTypeOf(logged(iam, GetRole, { RoleName: 'r' }).catch(() => undefined)).resolves.toEqualTypeOf<import('../../src/iam/index.js').GetRoleResponse | undefined>()
    expectTypeOf<InputOf<typeof GetRole>>().toEqualTypeOf<import('../../src/iam/index.js').GetRoleRequest>()
    expectTypeOf<OutputOf<typeof ListUsers>>().toEqualTypeOf<import('../../src/iam/index.js').ListUsersResponse>()
  })
})

describe('element names that are not members', () => {
  it('ignores inherited names such as constructor in an answer', () => {
    const out = parseOutput(GetUser, user(`${FULL_USER}<constructor>x</constructor><toString>y</toString>`))
    expect(Object.hasOwn(out.User, 'constructor')).toBe(false)
    expect(Object.hasOwn(out.User, 'toString')).toBe(false)
  })
})
