// Globs, ARNs and policy variables, each case a fact: `*` any run of characters and `?` one, no
// other metacharacter (a regex character is itself); an ARN's first five parts matched each on its
// own, the resource part's wildcards crossing `/` and `:`; variables' values taken literally, with
// defaults, the three escapes, and nothing for a list or an absent key.
import { describe, expect, it } from 'vitest'
import { arnGlobs, arnMatches, arnMatchesParts, compileGlob, globMatch, splitArn } from '../../src/policy/match.js'
import type { ContextValue } from '../../src/policy/types.js'
import { hasVariables, resolveVariables } from '../../src/policy/variables.js'

const glob = (pattern: string, text: string, lower = false) => globMatch(compileGlob([{ text: pattern, raw: true }], lower), text)
const arn = (pattern: string, target: string) => arnMatches(arnGlobs([{ text: pattern, raw: true }]), target)

describe('globs', () => {
  it('match * as any run, ? as one character, everything else as itself', () => {
    const rows: Array<[string, string, boolean]> = [
      ['*', '', true],
      ['*', 'anything', true],
      ['a*', 'a', true],
      ['a*b', 'ab', true],
      ['a*b', 'axxb', true],
      ['a*b', 'axxbc', false],
      ['a*b*c', 'abbbbc', true],
      ['a*b*c', 'acb', false],
      ['?', '', false],
      ['?', 'x', true],
      ['??', 'x', false],
      ['a?c', 'abc', true],
      ['a?c', 'abbc', false],
      ['a.c', 'abc', false],
      ['a.c', 'a.c', true],
      ['(a|b)', 'a', false],
      ['[ab]', '[ab]', true],
      ['a+', 'aa', false],
      ['^a$', '^a$', true],
      ['abc', 'ABC', false],
      ['*a', 'bbba', true],
      ['*a', 'bbbab', false],
      ['**', 'x', true],
      ['*?*', '', false],
      ['*?*', 'x', true],
      ['a**b', 'ab', true],
    ]
    expect(rows.map(([p, t]) => glob(p, t))).toEqual(rows.map(([, , r]) => r))
  })

  it('ignore case when asked (action names)', () => {
    expect([glob('s3:get*', 's3:getobject', true), glob('S3:Get*', 's3:getobject', true), glob('S3:Get*', 's3:getobject')]).toEqual([true, true, false])
  })

  it('take a variable’s value literally: its * and ? are characters, not wildcards', () => {
    const g = compileGlob([{ text: 'home/', raw: true }, { text: 'a*b?', raw: false }, { text: '/*', raw: true }])
    expect([globMatch(g, 'home/a*b?/x'), globMatch(g, 'home/axxbc/x'), globMatch(g, 'home/a*b?')]).toEqual([true, false, false])
  })

  it('run in linear time on the worst patterns (a timing-free check: it returns)', () => {
    expect(glob(`${'*a'.repeat(200)}b`, 'a'.repeat(5000))).toBe(false)
  })
})

describe('ARNs', () => {
  it('split into six parts, the resource keeping its colons', () => {
    expect(splitArn('arn:aws:sqs:us-east-1:111122223333:queue')).toEqual(['arn', 'aws', 'sqs', 'us-east-1', '111122223333', 'queue'])
    expect(splitArn('arn:aws:lambda:us-east-1:1:function:f:1')).toEqual(['arn', 'aws', 'lambda', 'us-east-1', '1', 'function:f:1'])
    expect([splitArn('arn:aws:s3'), splitArn('not:an:arn:a:b:c'), splitArn('*')]).toEqual([undefined, undefined, undefined])
  })

  it('match part by part: a wildcard stays inside its part, except the resource’s, which crosses / and :', () => {
    const rows: Array<[string, string, boolean]> = [
      ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', true],
      ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/dir/k', true],
      ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/k', false],
      ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/path/r', true],
      ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:user/u', false],
      ['arn:*:iam::1:user/u', 'arn:aws-cn:iam::1:user/u', true],
      ['arn:aws:*:*:*:*', 'arn:aws:sqs:us-east-1:1:q', true],
      ['arn:aws:lambda:*:1:function:*', 'arn:aws:lambda:us-east-1:1:function:f:1', true],
      // a * in one of the first five parts never reaches into the next
      ['arn:aws:s3*:::b', 'arn:aws:s3:::b', true],
      ['arn:aws:s*:::b', 'arn:aws:sqs:us-east-1:1:b', false],
      ['arn:aws:sqs:us-*:2:q', 'arn:aws:sqs:us-east-1:1:q', false],
      ['arn:aws:sqs:us-*:1:q', 'arn:aws:sqs:us-east-1:1:q', true],
      // a pattern of fewer parts is not ARN-shaped: compared whole, as a glob
      ['arn:aws:sqs:*', 'arn:aws:sqs:us-east-1:1:q', true],
      ['arn:aws:sqs:us-east-1:1:q', 'arn:aws:sqs:us-east-1:1:q', true],
      ['arn:aws:sqs:us-east-1:1:q', 'arn:aws:sqs:us-east-1:2:q', false],
      ['arn:aws:sqs:us-east-1:?:q', 'arn:aws:sqs:us-east-1:1:q', true],
      ['*', 'arn:aws:sqs:us-east-1:1:q', true],
      ['*', 'anything-at-all', true],
      ['arn:aws:s3:::b', '*', false],
      // ARNs are case-sensitive
      ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false],
      // not ARN-shaped on one side: compared whole
      ['notanarn', 'notanarn', true],
      ['arn:aws:s3:::b', 'notanarn', false],
    ]
    expect(rows.map(([p, t]) => arn(p, t))).toEqual(rows.map(([, , r]) => r))
  })

  it('match against parts split once, as the evaluator does, the same as against the whole ARN', () => {
    const target = 'arn:aws:iam::111122223333:role/path/r'
    for (const p of ['arn:aws:iam::*:role/*', 'arn:aws:iam::1:role/*', 'arn:aws:s3:::*', '*', 'arn:aws:iam::111122223333:role/path/?']) {
      expect([p, arnMatchesParts(arnGlobs([{ text: p, raw: true }]), target, splitArn(target))]).toEqual([p, arn(p, target)])
    }
  })
})

describe('policy variables', () => {
  const ctx = (entries: Record<string, string | string[]>) => new Map<string, ContextValue>(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? { values: v, type: 'stringList' } : { values: [v], type: 'string' }]))
  const resolve = (text: string, entries: Record<string, string | string[]> = {}) => {
    const missing = new Set<string>()
    const tokens = resolveVariables(text, ctx(entries), missing)
    return [tokens?.map((t) => (t.raw ? t.text : `[${t.text}]`)).join('') ?? null, [...missing]]
  }

  it('resolve keys ignoring case, with defaults and escapes; a list or an absent key resolves nothing and is missing', () => {
    expect([
      resolve('home/${aws:username}/*', { 'aws:username': 'alice' }),
      resolve('${AWS:UserName}', { 'aws:username': 'alice' }),
      resolve("${aws:username, 'nobody'}", {}),
      resolve("${aws:username,'nobody'}", { 'aws:username': 'alice' }),
      resolve("${aws:username, nobody}", {}),
      resolve('${*}${?}${$}', {}),
      resolve('${aws:username}', {}),
      resolve('${aws:TagKeys}', { 'aws:TagKeys': ['a', 'b'] }),
      resolve('a${x}b${y}c', { x: '1', y: '2' }),
      resolve('${unclosed', {}),
      resolve('plain', {}),
      resolve('', {}),
      resolve("${k, ''}", {}),
    ]).toEqual([
      ['home/[alice]/*', []],
      ['[alice]', []],
      ['[nobody]', []],
      ['[alice]', []],
      [null, ['aws:username']],
      ['[*][?][$]', []],
      [null, ['aws:username']],
      [null, ['aws:TagKeys']],
      ['a[1]b[2]c', []],
      ['${unclosed', []],
      ['plain', []],
      ['', []],
      ['[]', []],
    ])
    expect([hasVariables('a${b}'), hasVariables('a$b'), hasVariables('${')]).toEqual([true, false, true])
  })
})
