// Globs and ARN patterns where a wrong step would still look right: the first and last segments
// overlapping, middle segments taken in order and not overlapping the last, a segment that starts
// with `?`, a lead text found but the rest not following, and wildcards that must not cross an
// ARN's colons.
import { describe, expect, it } from 'vitest'
import { arnGlobs, arnMatches, compileGlob, globMatch } from '../../src/policy/match.js'

const glob = (pattern: string, text: string) => globMatch(compileGlob([{ text: pattern, raw: true }]), text)
const arn = (pattern: string, target: string) => arnMatches(arnGlobs([{ text: pattern, raw: true }]), target)

describe('globs', () => {
  it('the first and last segments may not overlap; middle ones come in order, each after the one before, and before the last', () => {
    expect([glob('ab*ba', 'aba'), glob('ab*ba', 'abba'), glob('a*b*b*c', 'abc'), glob('a*b*b*c', 'abbc'), glob('a*bc*cd', 'axbcd'), glob('a*bc*cd', 'axbccd')]).toEqual([false, true, false, true, false, true])
  })

  it('a middle segment that starts with ? is tried at each place; one whose lead text is found but whose rest does not follow is looked for further on', () => {
    expect([glob('a*?z*c', 'aqqzc'), glob('a*?z*c', 'azc'), glob('a*?z*c', 'aqzc'), glob('a*b?d*z', 'abxez'), glob('a*b?d*z', 'abxebydz'), glob('*?', ''), glob('?*', 'x')]).toEqual([true, false, true, false, true, false, true])
  })
})

describe('ARN patterns', () => {
  it('a wildcard in one of the first five parts does not cross a colon', () => {
    expect([arn('arn:aws:iam::*:role/x', 'arn:aws:iam::123:456:role/x'), arn('arn:aws:iam::*:role/x', 'arn:aws:iam::123456789012:role/x'), arn('arn:aws:*:us-east-1:*:x', 'arn:aws:s3:eu:1:us-east-1:2:x')]).toEqual([false, true, false])
  })

  it('a pattern that is not ARN-shaped is one glob over the whole text', () => {
    expect([arn('a:b*', 'a:bc'), arn('a:b*', 'a:c'), arn('*', 'anything:at:all'), arn('not-arn:x:y:z:w:*', 'not-arn:x:y:z:w:v')]).toEqual([true, false, true, true])
  })
})
