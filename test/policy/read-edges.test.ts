// Reading a policy at its edges: what is not a policy at all, URL-encoded text as IAM's API
// carries it (with space before it and + for spaces), the element each refusal names, action
// names with a space, and line ends that are a lone CR.
import { describe, expect, it } from 'vitest'
import { readPolicy, type ReadOptions } from '../../src/policy/read.js'

const st = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', ...extra }] })
const refusal = (document: unknown, options: ReadOptions = {}) => {
  try {
    readPolicy(document as string, options)
    return 'read'
  } catch (error) {
    return (error as Error).message
  }
}

describe('reading at the edges', () => {
  it('null, an array or a number is no policy', () => {
    expect([null, [], 5].map((d) => refusal(d))).toEqual(['policy: a policy is a JSON object or its text, not null', 'policy: a policy is a JSON object or its text, not an array', 'policy: a policy is a JSON object or its text, not a number'])
  })

  it('URL-encoded text, with space before it and + for spaces, is read as its JSON', () => {
    const text = '  ' + encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'With space', Effect: 'Allow', Action: '*', Resource: '*' }] })).replace(/%20/g, '+')
    const p = readPolicy(text)
    expect([p.statements[0]?.sid, p.statements[0]?.start]).toEqual(['With space', { Line: 1, Column: 41 }])
  })

  it('each refusal names the element it is about, and a Sid only when it is a string', () => {
    expect([
      refusal(st({ Sid: 5 })),
      refusal(st({ Sid: 'Named', Action: 5 })),
      refusal(st({ Action: undefined, NotAction: 5 })),
      refusal(st({ Resource: 5 })),
      refusal(st({ Resource: undefined, NotResource: 5 })),
      refusal(st({ Principal: 5 }), { role: 'resource' }),
      refusal(st({ NotPrincipal: 5 }), { role: 'resource' }),
    ]).toEqual([
      'policy, statement 1: Sid must be a string',
      'policy, statement 1 ("Named"): Action holds strings, not a number',
      'policy, statement 1: NotAction holds strings, not a number',
      'policy, statement 1: Resource holds strings, not a number',
      'policy, statement 1: NotResource holds strings, not a number',
      expect.stringMatching(/^policy, statement 1: Principal /),
      expect.stringMatching(/^policy, statement 1: NotPrincipal /),
    ])
  })

  it('an action name with a space in it is refused', () => {
    expect([refusal(st({ Action: ' s3:GetObject' })), refusal(st({ Action: 's3:Get Object' })), refusal(st({ Action: 's3:Get*' }))]).toEqual([
      'policy, statement 1: " s3:GetObject" is not an action: write service:Action (or *)',
      'policy, statement 1: "s3:Get Object" is not an action: write service:Action (or *)',
      'read',
    ])
  })

  it('a lone CR ends a line', () => {
    const p = readPolicy('{\r"Version":"2012-10-17",\r"Statement":{\r"Effect":"Allow","Action":"*","Resource":"*"}\r}')
    expect([p.statements[0]?.start, p.statements[0]?.end]).toEqual([{ Line: 3, Column: 14 }, { Line: 4, Column: 46 }])
  })
})
