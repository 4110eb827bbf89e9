// The explorer's readers of IAM's answers, case by case: documents in every form and every way of
// not being one, statements and lists of one or many, a managed policy's default version by flag
// or by id, RFC 4180 CSV with its line ends, quotes, empty lines and short rows, and base64 text.
import { describe, expect, it } from 'vitest'
import { decodeDocument, defaultDocument, fromBase64, list, parseCsv, statements } from '../../explorer/model.js'

const DOC = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }

describe('documents', () => {
  it('JSON text, URL-encoded JSON or an object; nothing else', () => {
    const text = JSON.stringify(DOC)
    expect([decodeDocument(text), decodeDocument(encodeURIComponent(text)), decodeDocument(DOC)]).toEqual([DOC, DOC, DOC])
    expect([decodeDocument(undefined), decodeDocument(''), decodeDocument('null'), decodeDocument('[1]'), decodeDocument('5'), decodeDocument('%E0%A4%A'), decodeDocument('not json'), decodeDocument([DOC] as never), decodeDocument(encodeURIComponent('null'))]).toEqual(Array(9).fill(undefined))
  })

  it('statements and lists: none, one or many', () => {
    const one = { Effect: 'Allow' }
    expect([statements(undefined), statements({}), statements({ Statement: one }), statements({ Statement: [one, one] })]).toEqual([[], [], [one], [one, one]])
    expect([list(undefined), list('a'), list(['a', 'b'])]).toEqual([[], ['a'], ['a', 'b']])
  })

  it('a managed policy\'s default version: the one flagged, else the one DefaultVersionId names, else none', () => {
    const v = (VersionId: string, IsDefaultVersion: boolean, Sid: string) => ({ VersionId, IsDefaultVersion, Document: JSON.stringify({ Version: '2012-10-17', Statement: { Sid, Effect: 'Allow', Action: '*', Resource: '*' } }) })
    const sid = (d: ReturnType<typeof defaultDocument>) => statements(d)[0]?.Sid
    expect([
      sid(defaultDocument({ PolicyName: 'p', Arn: 'a', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [v('v1', false, 'One'), v('v2', true, 'Two')] })),
      sid(defaultDocument({ PolicyName: 'p', Arn: 'a', Path: '/', DefaultVersionId: 'v2', PolicyVersionList: [v('v1', false, 'One'), v('v2', false, 'Two')] })),
      defaultDocument({ PolicyName: 'p', Arn: 'a', Path: '/', DefaultVersionId: 'v3', PolicyVersionList: [v('v1', false, 'One')] }),
      defaultDocument({ PolicyName: 'p', Arn: 'a', Path: '/' }),
    ]).toEqual(['Two', 'Two', undefined, undefined])
  })
})

describe('CSV', () => {
  it('LF, CRLF and CR line ends; quotes with commas, doubled quotes and line ends inside; empty lines skipped; short rows padded; no trailing line end', () => {
    expect(parseCsv('user,arn,x\r\nalice,"a,1","say ""hi"""\rbob,"multi\nline"\n\ncarol\ndave,d,e')).toEqual([
      { user: 'alice', arn: 'a,1', x: 'say "hi"' },
      { user: 'bob', arn: 'multi\nline', x: '' },
      { user: 'carol', arn: '', x: '' },
      { user: 'dave', arn: 'd', x: 'e' },
    ])
    expect([parseCsv(''), parseCsv('only,header'), parseCsv('a,b\n'), parseCsv('a\n,\n')]).toEqual([[], [], [], [{ a: '' }]])
  })
})

describe('base64', () => {
  it('decodes to UTF-8 text', () => {
    expect([fromBase64(btoa('plain')), fromBase64('w6k='), fromBase64('')]).toEqual(['plain', 'é', ''])
  })
})
