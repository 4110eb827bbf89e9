import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DeleteUser, GetAccountAuthorizationDetails, GetAccountSummary, GetCredentialReport, ListRoles, ListUsers } from '../../src/iam/generated/index.js'
import { XmlParseError } from '../../src/query/errors.js'
import { inspect } from 'node:util'
import { decodePolicy, keepTimestampTexts, parseErrorBody, parseOutput, timestampText } from '../../src/query/parse.js'
import { AssumeRole, GetCallerIdentity } from '../../src/sts/generated/index.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/xml/${name}`, import.meta.url), 'utf8')

describe('parseOutput', () => {
  it('reads lists of structures with nested lists, dates (microseconds, offsets) and entities', () => {
    const out = parseOutput(ListUsers, fixture('ListUsers.xml'))
    expect(out.IsTruncated).toBe(true)
    expect(out.Marker).toBe('AAF2bWFya2VyLTE=')
    expect(out.Users).toHaveLength(2)
    const [andrew, jackie] = out.Users
    expect(andrew?.Tags).toEqual([
      { Key: 'team', Value: 'core & infra' },
      { Key: 'cost-center', Value: '12345' },
    ])
    expect(andrew?.PasswordLastUsed).toEqual(new Date('2014-09-08T21:47:36.123Z'))
    expect(jackie?.CreateDate).toEqual(new Date('2012-09-05T19:38:48Z'))
    expect(jackie?.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/Boundary' })
  })

  it('remembers the text each timestamp was read from when asked, without changing how the Date looks', () => {
    expect(timestampText(parseOutput(ListUsers, fixture('ListUsers.xml')).Users[0]?.PasswordLastUsed as Date)).toBeUndefined()
    keepTimestampTexts()
    let andrew
    try {
      andrew = parseOutput(ListUsers, fixture('ListUsers.xml')).Users[0]
    } finally {
      keepTimestampTexts(false)
    }
    const date = andrew?.PasswordLastUsed as Date
    expect(timestampText(date)).toMatch(/^2014-09-08T21:47:36\.123/)
    expect(timestampText(new Date(date.getTime()))).toBeUndefined()
    expect(Object.keys(date)).toEqual([])
    expect(Object.getOwnPropertySymbols(date).every((s) => !Object.getOwnPropertyDescriptor(date, s)?.enumerable)).toBe(true)
    expect(JSON.stringify({ date })).toBe(JSON.stringify({ date: new Date(date.getTime()) }))
    expect(inspect(date)).toBe(inspect(new Date(date.getTime())))
    expect({ ...andrew }.PasswordLastUsed).toBe(date)
  })

  it('leaves absent optional members absent', () => {
    const jackie = parseOutput(ListUsers, fixture('ListUsers.xml')).Users[1] as object
    expect(Object.keys(jackie)).not.toContain('Tags')
    expect(Object.keys(jackie)).not.toContain('PasswordLastUsed')
    const empty = parseOutput(ListUsers, fixture('ListUsers-empty.xml'))
    expect(empty).toEqual({ IsTruncated: false, Users: [] })
  })

  it('reads maps as records with typed values', () => {
    const out = parseOutput(GetAccountSummary, fixture('GetAccountSummary.xml'))
    expect(out.SummaryMap).toEqual({ Groups: 31, GroupsQuota: 50, UsersQuota: 150, Users: 35, AccountMFAEnabled: 0 })
  })

  it('URL-decodes policy documents that are encoded and leaves raw ones alone', () => {
    const [encoded, raw] = parseOutput(ListRoles, fixture('ListRoles.xml')).Roles
    expect(JSON.parse(encoded?.AssumeRolePolicyDocument ?? '')).toMatchObject({ Version: '2012-10-17' })
    expect(raw?.AssumeRolePolicyDocument).toContain('"100%"')
    expect(encoded?.RoleLastUsed?.LastUsedDate).toEqual(new Date('2019-11-18T05:32:38Z'))
    expect(encoded?.MaxSessionDuration).toBe(3600)
    expect(decodePolicy('%ZZ not encoded')).toBe('%ZZ not encoded')
    expect(decodePolicy('%E0%A4%A')).toBe('%E0%A4%A')
  })

  it('reads deeply nested lists (GetAccountAuthorizationDetails)', () => {
    const out = parseOutput(GetAccountAuthorizationDetails, fixture('GetAccountAuthorizationDetails.xml'))
    expect(out.UserDetailList?.[0]?.GroupList).toEqual(['Admins', 'Dev'])
    expect(out.UserDetailList?.[0]?.AttachedManagedPolicies).toEqual([])
    expect(out.UserDetailList?.[0]?.UserPolicyList?.[0]?.PolicyDocument).toBe('{"Version":"2012-10-17"}')
    expect(out.Policies?.[0]?.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion, v.Document])).toEqual([
      ['v2', true, '{}'],
      ['v1', false, '{"a":1}'],
    ])
    expect(out.RoleDetailList).toEqual([])
  })

  it('reads blobs as bytes', () => {
    const out = parseOutput(GetCredentialReport, fixture('GetCredentialReport.xml'))
    expect(new TextDecoder().decode(out.Content)).toMatch(/^user,arn\nalice,/)
  })

  it('gives {} for operations without output', () => {
    expect(parseOutput(DeleteUser, fixture('DeleteUser.xml'))).toEqual({})
  })

  it('reads STS answers, CDATA included', () => {
    expect(parseOutput(GetCallerIdentity, fixture('GetCallerIdentity.xml'))).toEqual({
      Arn: 'arn:aws:iam::123456789012:user/Alice',
      UserId: 'AKIAI44QH8DHBEXAMPLE',
      Account: '123456789012',
    })
    const assumed = parseOutput(AssumeRole, fixture('AssumeRole.xml'))
    expect(assumed.Credentials?.SessionToken).toMatch(/^AQoDYXdzEPT\/\/.*==$/)
    expect(assumed.Credentials?.Expiration).toEqual(new Date('2019-11-09T13:34:41Z'))
    expect(assumed.PackedPolicySize).toBe(6)
  })

  it('refuses the wrong root, unreadable values and truncated documents', () => {
    expect(() => parseOutput(ListRoles, fixture('ListUsers.xml'))).toThrow(/expected <ListRolesResponse>/)
    expect(() => parseOutput(ListUsers, fixture('ListUsers.xml').replace('<IsTruncated>true', '<IsTruncated>yes'))).toThrow(XmlParseError)
    expect(() => parseOutput(GetAccountSummary, fixture('GetAccountSummary.xml').replace('<value>31', '<value>lots'))).toThrow(/should hold an integer/)
    expect(() => parseOutput(ListUsers, fixture('ListUsers.xml').replace('2012-09-05T19:38:48Z', 'yesterday'))).toThrow(/timestamp/)
    const full = fixture('ListUsers.xml')
    for (const cut of [10, 200, 700, full.length - 30]) expect(() => parseOutput(ListUsers, full.slice(0, cut))).toThrow(XmlParseError)
  })
})

describe('parseErrorBody', () => {
  it('finds <Error> directly under <ErrorResponse> (IAM) and under <Errors> (moto)', () => {
    expect(parseErrorBody(fixture('error-iam.xml'))).toEqual({
      code: 'NoSuchEntity',
      type: 'Sender',
      message: 'The role with name nobody cannot be found.',
      requestId: '8f9a7c3e-1b2d-4e5f-a6b7-c8d9e0f1a2b3',
    })
    expect(parseErrorBody(fixture('error-moto.xml'))).toMatchObject({ code: 'SignatureDoesNotMatch', requestId: 'moto-request-1' })
  })

  it('answers undefined for bodies that are not AWS errors', () => {
    expect(parseErrorBody(fixture('error-html.html'))).toBeUndefined()
    expect(parseErrorBody('')).toBeUndefined()
    expect(parseErrorBody('<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>')).toBeUndefined()
  })
})
