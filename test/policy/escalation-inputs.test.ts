// What the escalation search reads besides the methods: the time it is run at, the keys IAM puts
// in a request (iam:PassedToService, iam:PolicyARN), a principal's own keys, a Deny on one
// resource among Allows on all, conditional admins that can still escalate, how a path's and an
// entry's conditionality follow from their hops, the depth limit and a target.
import { describe, expect, it } from 'vitest'
import { escalations, type EscalationOptions } from '../../src/policy/escalation.js'
import { ACCOUNT, account, allow, type Spec, trusts } from './accounts.js'

const short = (arn: string) => arn.replace(`arn:aws:iam::${ACCOUNT}:`, '').replace('arn:aws:iam::aws:policy/', 'aws/')
const NOW = new Date('2026-12-01T00:00:30.500Z')

/** `who`'s entry in one line, then its paths as method ids and targets. */
function entry(spec: Spec, who: string, options: EscalationOptions = {}): string[] {
  const e = escalations(account(spec), { now: NOW, ...options }).Escalations.find((x) => short(x.PrincipalArn) === who)
  if (!e) return ['none']
  return [`admin=${e.IsAdmin} conditional=${e.Conditional}${e.Truncated ? ' truncated' : ''}`, ...e.Paths.map((p) => `${p.Conditional ? '? ' : ''}${p.Hops.map((h) => `${h.MethodId}${h.Conditional ? '?' : ''} ${short(h.Target)}`).join(' | ')}`)]
}

const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
const adminWhen = (Condition: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition }] })

describe('the time of the search', () => {
  it('aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime are the search\'s own time', () => {
    const now = NOW.getTime() / 1000
    const cases: Array<[object, boolean]> = [
      [{ DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:31Z' } }, true],
      [{ DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:30Z' } }, false],
      // to the second, as IAM's times are: 00:00:30.5 is 00:00:30
      [{ DateLessThanEquals: { 'aws:CurrentTime': '2026-12-01T00:00:30Z' } }, true],
      [{ DateGreaterThan: { 'aws:TokenIssueTime': '2026-12-01T00:00:29Z' } }, true],
      [{ DateGreaterThan: { 'aws:TokenIssueTime': '2026-12-01T00:00:30Z' } }, false],
      [{ NumericEquals: { 'aws:EpochTime': String(Math.floor(now)) } }, true],
      [{ NumericGreaterThan: { 'aws:EpochTime': String(Math.floor(now)) } }, false],
    ]
    // (a principal neither admin nor with a path is not listed)
    for (const [condition, admin] of cases) expect([condition, entry({ users: { u: { inline: [adminWhen(condition)] } } }, 'user/u')[0]]).toEqual([condition, admin ? 'admin=true conditional=false' : 'none'])
  })
})

describe('keys of the request', () => {
  it('PassRole limited by iam:PassedToService to the right service is a definite path; to another service, none', () => {
    const spec = (service: string): Spec => ({
      users: { u: { inline: [allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': service } } }), allow(['ec2:RunInstances', 'ec2:AssociateIamInstanceProfile'])] } },
      roles: { admin: { trust: trusts({ Service: 'ec2.amazonaws.com' }), attached: ['AdministratorAccess'], instanceProfile: true } },
    })
    expect(entry(spec('ec2.amazonaws.com'), 'user/u')).toEqual(['admin=false conditional=false', 'ec2-001 role/admin'])
    expect(entry(spec('lambda.amazonaws.com'), 'user/u')).toEqual(['none'])
  })

  it('AttachUserPolicy limited by iam:PolicyARN to AdministratorAccess is a definite path; to another policy, none', () => {
    const spec = (arn: string): Spec => ({ users: { u: { inline: [allow('iam:AttachUserPolicy', '*', { Condition: { ArnEquals: { 'iam:PolicyARN': arn } } })] } } })
    expect(entry(spec('arn:aws:iam::aws:policy/AdministratorAccess'), 'user/u')).toEqual(['admin=false conditional=false', 'iam-008 user/u'])
    expect(entry(spec('arn:aws:iam::aws:policy/ReadOnlyAccess'), 'user/u')).toEqual(['none'])
  })

  it('a principal key the principal lacks is false, not open: an admin policy on a tag it does not have grants nothing', () => {
    const tagged = adminWhen({ StringEquals: { 'aws:PrincipalTag/team': 'admins' } })
    expect(entry({ users: { u: { inline: [tagged] } } }, 'user/u')).toEqual(['none'])
    expect(entry({ users: { u: { inline: [tagged], tags: { team: 'admins' } } } }, 'user/u')).toEqual(['admin=true conditional=false'])
    expect(entry({ users: { u: { inline: [adminWhen({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } })] } } }, 'user/u')[0]).toBe('admin=true conditional=true')
  })
})

describe('a Deny on one resource among Allows on all', () => {
  it('PassRole to every role but one: the path goes through the others only', () => {
    const spec: Spec = {
      users: { u: { inline: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' }, { Effect: 'Deny', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/kept` }] }] } },
      roles: {
        kept: { trust: trusts({ Service: 'ec2.amazonaws.com' }), attached: ['AdministratorAccess'], instanceProfile: true },
        open: { trust: trusts({ Service: 'ec2.amazonaws.com' }), attached: ['AdministratorAccess'], instanceProfile: true },
      },
    }
    const lines = entry(spec, 'user/u')
    expect(lines.slice(1).length).toBeGreaterThan(0)
    expect(lines.slice(1).filter((l) => l.includes('role/kept'))).toEqual([])
    expect(lines.slice(1).filter((l) => l.includes('role/open')).length).toBe(lines.length - 1)
  })
})

describe('conditionality', () => {
  it('an admin only under a condition is still searched for paths; a definite admin is not', () => {
    const spec: Spec = { users: { u: { inline: [adminWhen({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), allow('iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/u`)] }, boss: { inline: [ADMIN, allow('iam:PutUserPolicy')] } } }
    // (being admin under the condition, it may also act on others: those paths are conditional)
    expect(entry(spec, 'user/u').slice(0, 3)).toEqual(['admin=true conditional=true', 'iam-007 user/u', '? iam-008? user/u'])
    expect(entry(spec, 'user/boss')).toEqual(['admin=true conditional=false'])
  })

  it('a path is conditional when any hop is; an entry when every path is; none at all is not conditional', () => {
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }
    const spec: Spec = {
      users: {
        // one definite way and one conditional way to itself
        both: { inline: [allow('iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/both`), allow('iam:AttachUserPolicy', `arn:aws:iam::${ACCOUNT}:user/both`, { Condition: mfa })] },
        // only a conditional way
        only: { inline: [allow('iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/only`, { Condition: mfa })] },
        // two hops: a definite assume, then a conditional self-grant
        chain: { inline: [allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/r`)] },
        nothing: { inline: [allow('s3:GetObject')] },
      },
      roles: { r: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:user/chain` }), inline: [allow('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/r`, { Condition: mfa })] } },
    }
    expect(entry(spec, 'user/both')).toEqual(['admin=false conditional=false', 'iam-007 user/both', '? iam-008? user/both'])
    expect(entry(spec, 'user/only')).toEqual(['admin=false conditional=true', '? iam-007? user/only'])
    const chain = entry(spec, 'user/chain')
    expect(chain[0]).toBe('admin=false conditional=true')
    expect(chain.slice(1)).toEqual(['? sts-001 role/r | iam-005? role/r'])
    expect(entry(spec, 'user/nothing')).toEqual(['none'])
  })
})

describe('the limits', () => {
  const spec: Spec = {
    users: { u: { inline: [allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/a`)] } },
    roles: {
      a: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:user/u` }), inline: [allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/b`)] },
      b: { trust: trusts({ AWS: `arn:aws:iam::${ACCOUNT}:role/a` }), attached: ['AdministratorAccess'] },
      loner: { trust: { Version: '2012-10-17', Statement: [] } },
    },
  }

  it('a path exactly maxDepth hops long is found; one hop longer is not', () => {
    expect(entry(spec, 'user/u', { maxDepth: 2 })).toEqual(['admin=false conditional=false', 'sts-001 role/a | sts-001 role/b'])
    expect(entry(spec, 'user/u', { maxDepth: 1 })).toEqual(['none'])
  })

  it('toward a target, a self-grant is no path; the hops to the target are', () => {
    const withSelf: Spec = { ...spec, users: { u: { inline: [allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/a`), allow('iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/u`)] } } }
    expect(entry(withSelf, 'user/u', { target: `arn:aws:iam::${ACCOUNT}:role/a` })).toEqual(['admin=false conditional=false', 'sts-001 role/a'])
  })
})
