// The escalation search's reach: chains longer than the pruning's first rounds, wide and NotPrincipal
// trust, a trust that does not hold, roles a service cannot take, each way of making a reached
// principal admin (by route and permission), policy versions made default for a user or a role,
// groups joined by their inline or attached policies, and extra request keys kept apart.
import { describe, expect, it } from 'vitest'
import { escalations } from '../../src/policy/escalation.js'
import { ACCOUNT, account, allow, deny, type Spec, trusts } from './accounts.js'

const short = (arn: string) => arn.replace(`arn:aws:iam::${ACCOUNT}:`, '').replace('arn:aws:iam::aws:policy/', 'aws/')
const NOW = new Date('2026-12-01T00:00:00Z')
const me = (kind: 'user' | 'role', name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`

/** `who`'s paths as method ids and targets (a conditional hop marked ?), or none. */
function paths(spec: Spec, who: string): string[] {
  const e = escalations(account(spec), { now: NOW }).Escalations.find((x) => short(x.PrincipalArn) === who)
  return e ? e.Paths.map((p) => p.Hops.map((h) => `${h.MethodId}${h.Conditional ? '?' : ''} ${short(h.Target)}`).join(' | ')) : []
}

const TO_EC2 = trusts({ Service: 'ec2.amazonaws.com' })

describe('chains', () => {
  it('a chain of three hops through roles that are neither admin nor able to make themselves so', () => {
    const spec: Spec = {
      users: { u: { inline: [allow('sts:AssumeRole', me('role', 'a'))] } },
      roles: {
        a: { trust: trusts({ AWS: me('user', 'u') }), inline: [allow('sts:AssumeRole', me('role', 'c'))] },
        c: { trust: trusts({ AWS: me('role', 'a') }), inline: [allow('sts:AssumeRole', me('role', 'b'))] },
        b: { trust: trusts({ AWS: me('role', 'c') }), attached: ['AdministratorAccess'] },
      },
    }
    expect(paths(spec, 'user/u')).toEqual(['sts-001 role/a | sts-001 role/c | sts-001 role/b'])
  })

  it('a trust policy open to every principal, or to every one but some, is a way in; one that does not hold for the caller is not', () => {
    const admin = (trust: ReturnType<typeof trusts>): Spec => ({ users: { u: { inline: [allow('sts:AssumeRole')] } }, roles: { r: { trust, attached: ['AdministratorAccess'] } } })
    expect(paths(admin(trusts({ AWS: '*' })), 'user/u')).toEqual(['sts-001 role/r'])
    expect(paths(admin({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: me('user', 'other') }, Action: 'sts:AssumeRole' }] }), 'user/u')).toEqual(['sts-001 role/r'])
    expect(paths(admin(trusts({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'admins' } } })), 'user/u')).toEqual([])
  })
})

describe('roles a service cannot take', () => {
  const user = { inline: [allow(['iam:PassRole', 'ec2:RunInstances'])] }
  it('ec2 needs the role to trust ec2 and to have an instance profile', () => {
    expect(paths({ users: { u: user }, roles: { r: { trust: TO_EC2, attached: ['AdministratorAccess'], instanceProfile: true } } }, 'user/u')).toEqual(['ec2-001 role/r'])
    expect(paths({ users: { u: user }, roles: { r: { trust: TO_EC2, attached: ['AdministratorAccess'] } } }, 'user/u')).toEqual([])
    expect(paths({ users: { u: user }, roles: { r: { trust: trusts({ Service: 'lambda.amazonaws.com' }), attached: ['AdministratorAccess'], instanceProfile: true } } }, 'user/u')).toEqual([])
  })

  it('PassRole limited to one service is not read as another\'s', () => {
    const spec: Spec = {
      users: { u: { inline: [allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }), allow(['ec2:RunInstances', 'lambda:CreateFunction', 'lambda:InvokeFunction'])] } },
      roles: { r: { trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }] }, attached: ['AdministratorAccess'], instanceProfile: true } },
    }
    const found = paths(spec, 'user/u')
    expect(found.length).toBeGreaterThan(0)
    expect(found.filter((p) => p.startsWith('ec2-'))).toEqual([])
    expect(found.every((p) => p.startsWith('lambda-') && p.endsWith('role/r'))).toBe(true)
  })

  it('a service-linked role\'s trust cannot be rewritten', () => {
    const spec: Spec = { users: { u: { inline: [allow(['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'])] } }, roles: { slr: { trust: TO_EC2, attached: ['AdministratorAccess'], path: '/aws-service-role/ec2.amazonaws.com/' } } }
    expect(paths(spec, 'user/u')).toEqual([])
  })
})

describe('a reached principal made admin', () => {
  const customer = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] }
  const reached = (how: 'assume' | 'trust', edit: string[]): Spec => ({
    users: { u: { inline: [allow(how === 'assume' ? ['sts:AssumeRole', ...edit] : ['iam:UpdateAssumeRolePolicy', ...edit])] } },
    roles: { r: { trust: how === 'assume' ? trusts({ AWS: me('user', 'u') }) : trusts({ AWS: me('user', 'nobody') }), attached: ['Custom'] } },
    policies: { Custom: customer },
  })
  const made = (spec: Spec) => paths(spec, 'user/u').filter((p) => !p.startsWith('sts-001') && !p.startsWith('iam-012'))

  it('by each edit, assumed or through its rewritten trust', () => {
    expect([
      made(reached('assume', ['iam:PutRolePolicy'])),
      made(reached('assume', ['iam:AttachRolePolicy'])),
      made(reached('assume', ['iam:CreatePolicyVersion'])),
      made(reached('trust', ['iam:PutRolePolicy'])),
      made(reached('trust', ['iam:AttachRolePolicy'])),
      made(reached('trust', ['iam:CreatePolicyVersion'])),
    ]).toEqual([['iam-017 role/r'], ['iam-014 role/r'], ['iam-016 policy/Custom'], ['iam-021 role/r'], ['iam-019 role/r'], ['iam-020 policy/Custom']])
  })

  it('an AWS managed policy gets no new version', () => {
    const spec: Spec = { users: { u: { inline: [allow(['sts:AssumeRole', 'iam:CreatePolicyVersion'])] } }, roles: { r: { trust: trusts({ AWS: me('user', 'u') }), attached: ['ReadOnly'] } }, policies: {} }
    const details = account({ ...spec, policies: { ReadOnly: customer } })
    // the same policy as AWS's own: no iam-016
    const asAws = { ...details, policies: new Map([...details.policies].map(([arn, p]) => [arn, arn.endsWith('/ReadOnly') ? { ...p, kind: 'aws-managed' as const } : p])) }
    const found = escalations(asAws, { now: NOW }).Escalations.find((e) => e.PrincipalArn === me('user', 'u'))
    expect(found?.Paths.map((p) => p.Hops.map((h) => h.MethodId).join(' | ')) ?? []).toEqual([])
  })

  it('a user reached by its keys, then given a policy', () => {
    const spec = (edit: string): Spec => ({ users: { u: { inline: [allow(['iam:CreateAccessKey', edit], me('user', 'v'))] }, v: { inline: [allow('s3:ListBucket')] } } })
    expect(paths(spec('iam:PutUserPolicy'), 'user/u')).toContain('iam-018 user/v')
    expect(paths(spec('iam:AttachUserPolicy'), 'user/u')).toContain('iam-015 user/v')
    expect(paths(spec('s3:GetObject'), 'user/u').filter((p) => p.startsWith('iam-018') || p.startsWith('iam-015'))).toEqual([])
  })

  it('a hop is conditional when either of its permissions is', () => {
    const spec: Spec = { users: { u: { inline: [allow('sts:AssumeRole'), allow('iam:PutRolePolicy', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] } }, roles: { r: { trust: trusts({ AWS: me('user', 'u') }) } } }
    expect(paths(spec, 'user/u')).toContain('iam-017? role/r')
  })

  it('a Deny among the reached principal\'s own policies keeps it from admin; another policy version does not', () => {
    const spec: Spec = { users: { u: { attached: ['Mine'], inline: [deny('kms:Decrypt')] } }, policies: { Mine: allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/Mine`) } }
    expect(paths(spec, 'user/u')).toEqual([])
    expect(paths({ users: { u: { attached: ['Mine'] } }, policies: spec.policies }, 'user/u')).toEqual(['iam-001 policy/Mine'])
  })
})

describe('policy versions made default', () => {
  type Doc = ReturnType<typeof allow>
  const versions = (second: Doc, first: Doc = allow('iam:SetDefaultPolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/P`)) => ({ versions: [first, second], defaultIndex: 0 })
  const SET = 'iam-edge-setdefaultpolicyversion policy/P (v2)'

  it('a version that is admin, or that lets the user or role make itself admin', () => {
    expect(paths({ users: { u: { attached: ['P'] } }, policies: { P: versions(allow('*')) } }, 'user/u')).toEqual([SET])
    expect(paths({ users: { u: { attached: ['P'] } }, policies: { P: versions(allow('iam:PutUserPolicy', me('user', 'u'))) } }, 'user/u')).toContain(SET)
    expect(paths({ users: { u: { attached: ['P'] } }, policies: { P: versions(allow('iam:AttachUserPolicy', me('user', 'u'))) } }, 'user/u')).toContain(SET)
    expect(paths({ roles: { r: { trust: TO_EC2, attached: ['P'] } }, policies: { P: versions(allow('iam:PutRolePolicy', me('role', 'r'))) } }, 'role/r')).toContain(SET)
    expect(paths({ roles: { r: { trust: TO_EC2, attached: ['P'] } }, policies: { P: versions(allow('iam:AttachRolePolicy', me('role', 'r'))) } }, 'role/r')).toContain(SET)
  })

  it('not without SetDefaultPolicyVersion on that policy, and not to a version that grants nothing more', () => {
    expect(paths({ users: { u: { attached: ['P'] } }, policies: { P: versions(allow('*'), allow('iam:SetDefaultPolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/Other`)) } }, 'user/u')).toEqual([])
    expect(paths({ users: { u: { attached: ['P'] } }, policies: { P: versions(allow('s3:GetObject')) } }, 'user/u')).toEqual([])
  })
})

describe('groups', () => {
  it('joining a group admin by its inline policy, or by a customer policy attached to it; a group whose policies are not in the export is skipped', () => {
    const spec: Spec = {
      users: { u: { inline: [allow('iam:AddUserToGroup', [`arn:aws:iam::${ACCOUNT}:group/inl`, `arn:aws:iam::${ACCOUNT}:group/att`, `arn:aws:iam::${ACCOUNT}:group/aws`])] } },
      groups: { inl: { inline: [allow('*')] }, att: { attached: ['Everything'] }, aws: { attached: ['NotExported'] }, other: { inline: [allow('*')] } },
      policies: { Everything: allow('*') },
    }
    expect(paths(spec, 'user/u').sort()).toEqual(['iam-013 group/att', 'iam-013 group/inl'])
  })

  it('a customer policy attached to the user\'s group is its own to version', () => {
    const spec: Spec = { users: { u: { groups: ['g'] } }, groups: { g: { attached: ['Shared'] } }, policies: { Shared: allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/Shared`) } }
    expect(paths(spec, 'user/u')).toEqual(['iam-001 policy/Shared'])
  })
})
