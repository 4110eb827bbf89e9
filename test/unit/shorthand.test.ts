// The shorthand parser against the installed AWS CLI's: the same value or the same refusal for
// hand-picked and generated inputs; then typing by the model.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseShorthand, ShorthandError, typeShorthand } from '../../src/cli/shorthand.js'
import { SimulateCustomPolicy } from '../../src/iam/generated/index.js'
import { resolveShape, type Shape } from '../../src/query/shapes.js'

const python = spawnSync('python3', ['-c', 'import awscli.shorthand'], { encoding: 'utf8' })
if (python.status !== 0 && process.env.CI) throw new Error('the AWS CLI (Python awscli) is needed for the shorthand differential')

const PICKED = [
  'Key=a,Value=b',
  'a=b,c',
  'a=b,c,d=e',
  'a=b, c ,d = e ',
  'a=[b,c],d={e=f,g=[h]}',
  "a='b,c',d=\"e\\\"f\"",
  "a='it\\'s',b=x\\,y",
  'a=',
  'a=,b=c',
  'a=b,a=c',
  'a=b c',
  'a={b=c}x',
  'a=[b,',
  'a="open',
  'ContextKeyName=aws:username,ContextKeyValues=alice,bob,ContextKeyType=stringList',
  'a=é=ü,b=[x y, z]',
  'a@=value',
  'k.e-y_#/:=v',
  'a=b=c',
  'a=b,c=',
  '=v',
  'a=[]',
  'a={}',
  'a=[{b=c},{d=[e,f]}]',
  '',
  'a',
  'a=b,,c=d',
]

function generated(count: number): string[] {
  let seed = 0x2545f491
  const next = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 2 ** 32
  }
  const pieces = ['a', 'b', 'Key', '=', '=', ',', ',', '[', ']', '{', '}', "'", '"', '\\', '\\,', ' ', 'x y', '@', ':', '.', 'é', '\t', '1']
  return Array.from({ length: count }, () => {
    let s = next() < 0.7 ? 'k=' : ''
    const n = 1 + Math.floor(next() * 10)
    for (let j = 0; j < n; j++) s += pieces[Math.floor(next() * pieces.length)]
    return s
  })
}

function ours(text: string): { ok: unknown } | { error: true } {
  try {
    return { ok: parseShorthand(text) }
  } catch (error) {
    if (error instanceof ShorthandError) return { error: true }
    throw error
  }
}

describe.skipIf(python.status !== 0)('shorthand beside the AWS CLI', () => {
  const cases = [...PICKED, ...generated(3000)]
  const reference = JSON.parse(spawnSync('python3', ['test/support/awscli-shorthand.py'], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 }).stdout) as unknown[]

  it('parses every hand-picked input as the AWS CLI does', () => {
    expect(PICKED.map((text, i) => [text, ours(text)])).toEqual(PICKED.map((text, i) => [text, reference[i]]))
  })

  it(`parses ${cases.length - PICKED.length} generated inputs as the AWS CLI does (values and refusals)`, () => {
    const mismatches = cases.map((text, i) => ({ text, ours: ours(text), theirs: reference[i] })).filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs))
    expect(mismatches.slice(0, 5)).toEqual([])
    // the generator must reach both outcomes, or the test proves little
    expect(reference.filter((r) => 'error' in (r as object)).length).toBeGreaterThan(300)
    expect(reference.filter((r) => 'ok' in (r as object)).length).toBeGreaterThan(300)
  })
})

describe('typing by the model', () => {
  const entries = resolveShape(SimulateCustomPolicy.input.members.ContextEntries as Shape)
  it('wraps a single value in a list, keeps strings, and names a bad number', () => {
    const parsed = parseShorthand('ContextKeyName=aws:username,ContextKeyValues=alice,ContextKeyType=string')
    expect(typeShorthand([parsed], entries)).toEqual([{ ContextKeyName: 'aws:username', ContextKeyValues: ['alice'], ContextKeyType: 'string' }])
    const many = parseShorthand('ContextKeyName=k,ContextKeyValues=a,b')
    expect(typeShorthand([many], entries)).toEqual([{ ContextKeyName: 'k', ContextKeyValues: ['a', 'b'] }])
    expect(typeShorthand(parseShorthand('MaxItems=7'), SimulateCustomPolicy.input)).toEqual({ MaxItems: 7 })
    expect(() => typeShorthand(parseShorthand('MaxItems=seven'), SimulateCustomPolicy.input)).toThrow(/expected a whole number, got "seven"/)
  })

  it('points at the place a value fails to parse', () => {
    expect(() => parseShorthand('a=[b,')).toThrow(/expected .* but found end of input in shorthand:\na=\[b,\n {5}\^/)
    expect(() => parseShorthand('a=b,a=c')).toThrow(/key "a" appears twice/)
  })
})
