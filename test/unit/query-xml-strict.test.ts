// The XML reader's and the parser's strictness at the edges a mutation run found untested: each
// rule here, removed, lets a malformed or misleading answer through.
import { describe, expect, it } from 'vitest'
import { GetUser, ListUsers } from '../../src/iam/index.js'
import { XmlParseError } from '../../src/query/errors.js'
import { parseOutput } from '../../src/query/parse.js'
import { decodeEntities } from '../../src/query/xml/entities.js'
import { readXml } from '../../src/query/xml/index.js'

const user = '<User><Path>/</Path><UserName>a</UserName><UserId>AIDAEXAMPLE</UserId><Arn>arn:aws:iam::123456789012:user/a</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>'

describe('the XML reader refuses', () => {
  it.each([
    ['a second root element', '<a></a><b>x</b>', /after the root|second root|root element/],
    ['a second root after whitespace', '<a/>\n<b/>', /after the root|second root|root element/],
    ['text after the root', '<a></a>tail', /after the root|outside|root element/],
    ['an end tag that matches nothing', '</a>', /without a start tag|end tag/],
    ['mismatched tags', '<a></b>', /does not match/],
    ['a truncated end tag', '<a></a', /truncated|unterminated|end tag/],
  ])('%s', (_, xml, message) => {
    expect(() => readXml(xml)).toThrow(XmlParseError)
    expect(() => readXml(xml)).toThrow(message)
  })

  it.each(['&#0;', '&#1;', '&#x1F;', '&#xFFFE;', '&#xD800;', '&#x110000;'])('the character reference %s, which names no XML character', (ref) => {
    expect(() => decodeEntities(`a${ref}b`, 0)).toThrow(/names a character XML does not allow/)
  })

  it.each(['&#9;', '&#xA;', '&#xD;', '&#x20;', '&#xD7FF;', '&#xE000;', '&#xFFFD;', '&#x10000;', '&#x10FFFF;'])('but decodes %s, the edges of what XML allows', (ref) => {
    const code = ref.startsWith('&#x') ? Number.parseInt(ref.slice(3, -1), 16) : Number(ref.slice(2, -1))
    expect(decodeEntities(`a${ref}b`, 0)).toBe(`a${String.fromCodePoint(code)}b`)
  })

  it.each(['&#;', '&#x;', '&#12a;', '&#xG1;', '&unknown;', '&amp', '& ', '&abcdefghijklm;'])('the malformed reference %j', (ref) => {
    expect(() => decodeEntities(`a${ref}b`, 0)).toThrow(XmlParseError)
  })
})

describe('the parser refuses an answer that is not a success', () => {
  it.each(['Error', 'Errors'])('an <%s> beside the result, even inside the right root', (name) => {
    const body = `<GetUserResponse><GetUserResult>${user}</GetUserResult><${name}><Code>Throttling</Code></${name}></GetUserResponse>`
    expect(() => parseOutput(GetUser, body)).toThrow(/carries an <Error>: the answer is an error, not a result/)
  })

  it('another action’s root', () => {
    expect(() => parseOutput(GetUser, `<ListUsersResponse><ListUsersResult><Users/></ListUsersResult></ListUsersResponse>`)).toThrow(/expected <GetUserResponse>/)
  })

  it('a root without its result when the output has required members, but reads an empty answer of an output without them', () => {
    expect(() => parseOutput(ListUsers, '<ListUsersResponse><ResponseMetadata/></ListUsersResponse>')).toThrow(/holds no <ListUsersResult>, but its output has required members/)
    expect(() => parseOutput(ListUsers, '   ')).toThrow(/the body is empty, but its output has required members/)
  })
})
