// Policy variables at their edges: an unterminated `${`, space around a key before its default,
// defaults that are not quoted both sides, a key given with no values, and no set to record
// missing keys in.
import { describe, expect, it } from 'vitest'
import type { ContextValue } from '../../src/policy/types.js'
import { resolveVariables } from '../../src/policy/variables.js'

const ctx = (values: Record<string, string[]>) => new Map<string, ContextValue>(Object.entries(values).map(([k, v]) => [k.toLowerCase(), { values: v, type: 'string' }]))
const text = (tokens: ReturnType<typeof resolveVariables>) => (tokens === undefined ? undefined : tokens.map((t) => (t.raw ? t.text : `[${t.text}]`)).join(''))

describe('variables at their edges', () => {
  it('an unterminated ${ is text', () => {
    expect(text(resolveVariables('home/${aws:username', ctx({ 'aws:username': ['u'] })))).toBe('home/${aws:username')
    expect(text(resolveVariables('${aws:username}/${x', ctx({ 'aws:username': ['u'] })))).toBe('[u]/${x')
  })

  it('space around the key before a default is not part of it', () => {
    expect(text(resolveVariables("${ aws:username , 'anon'}", ctx({ 'aws:username': ['u'] })))).toBe('[u]')
    expect(text(resolveVariables("${ aws:username , 'anon'}", ctx({})))).toBe('[anon]')
  })

  it('a default is quoted on both sides, or there is none', () => {
    const missing = new Set<string>()
    expect(["${k,'}", "${k, 'abc}", '${k, abc}', "${k, abc'}", "${k, ''}"].map((t) => text(resolveVariables(t, ctx({}), missing)))).toEqual([undefined, undefined, undefined, undefined, '[]'])
    expect([...missing]).toEqual(['k'])
  })

  it('a key given with no values takes the default; without a default, and without a set for missing keys, it matches nothing', () => {
    expect(text(resolveVariables("${aws:username, 'anon'}", ctx({ 'aws:username': [] })))).toBe('[anon]')
    expect(resolveVariables('${aws:username}', ctx({ 'aws:username': [] }))).toBeUndefined()
    expect(resolveVariables('${aws:username}', ctx({}))).toBeUndefined()
  })
})
