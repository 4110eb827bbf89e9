// The explorer's analysis at its edges: an export it cannot read is an error with nothing pending
// and no warnings; the search for paths runs at the time it is given; an ARN whose resource part
// has no slash names nothing.
import { describe, expect, it } from 'vitest'
import { analyse, readModel } from '../../explorer/analysis.js'
import { entityOf } from '../../explorer/entity.js'

describe('the analysis', () => {
  it('an export it cannot read: the error, nothing pending, no warnings', () => {
    const broken = readModel({ UserDetailList: [{ UserName: 'u' } as never] })
    expect([typeof broken.error, broken.pending, broken.warnings, broken.escalations.size]).toEqual(['string', false, [], 0])
  })

  it('searches at the time it is given: an admin until 2027 is admin in 2026 and not in 2028', () => {
    const until = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } } }] }))
    const details = { UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::111122223333:user/u', Path: '/', CreateDate: '', UserPolicyList: [{ PolicyName: 'Until', PolicyDocument: until }] }] }
    const admin = (now: string) => analyse(details, new Date(now)).escalations.get('arn:aws:iam::111122223333:user/u')?.IsAdmin ?? false
    expect([admin('2026-12-01T00:00:00Z'), admin('2028-01-01T00:00:00Z')]).toEqual([true, false])
  })

  it('an ARN whose resource part has no slash names nothing, whatever it starts with', () => {
    expect(['arn:aws:iam::111122223333:userX', 'arn:aws:iam::111122223333:role', 'arn:aws:iam::111122223333:policyname'].map(entityOf)).toEqual([undefined, undefined, undefined])
  })
})
