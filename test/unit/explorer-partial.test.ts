// An export that carries only some of its lists (a partial answer, or a hand-made file): each
// reader takes a missing list as empty, and what is there is still reported.
import { describe, expect, it } from 'vitest'
import { analyse } from '../../explorer/analysis.js'
import { accountIdOf, attachments, boundaries, findings } from '../../explorer/findings.js'
import type { Account } from '../../explorer/model.js'

const NOW = new Date('2026-12-01T00:00:00Z')
const ADMIN = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }))

describe('an export with lists missing', () => {
  it('only policies: the admin policy no one holds, nothing else, and no principal made up', () => {
    const a: Account = { details: { Policies: [{ PolicyName: 'Loose', Arn: 'arn:aws:iam::111122223333:policy/Loose', Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: ADMIN }] }] } }
    const list = findings(a, analyse(a.details, NOW), NOW)
    expect(list.map((f) => `${f.category} ${f.title}`)).toEqual(['unattached-policy Loose grants admin but is attached to no one'])
    expect([accountIdOf(a), attachments(a).size, boundaries(a).size]).toEqual(['111122223333', 0, 0])
  })

  it('only users, with no group or policy lists of their own: nothing to report, no member of a group made up', () => {
    const a: Account = { details: { UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::111122223333:user/u', Path: '/', CreateDate: '2026-11-01T00:00:00Z' }] } }
    expect(findings(a, analyse(a.details, NOW), NOW)).toEqual([])
    expect([attachments(a).size, boundaries(a).size]).toEqual([0, 0])
  })

  it('only groups and roles, each without its lists', () => {
    const a: Account = { details: { GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::111122223333:group/g', Path: '/', CreateDate: '' }], RoleDetailList: [{ RoleName: 'r', Arn: 'arn:aws:iam::111122223333:role/r', Path: '/', CreateDate: '2026-11-20T00:00:00Z', AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] })), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' } }] } }
    expect(findings(a, analyse(a.details, NOW), NOW)).toEqual([])
    expect(attachments(a).size).toBe(0)
  })
})
