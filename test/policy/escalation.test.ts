// Every path to admin. Ground truth: BishopFox's iam-vulnerable (its free-resources Terraform,
// MIT, turned into a GetAccountAuthorizationDetails export in test/policy/fixtures, as deployed
// by an admin user the scenario roles trust): every exploitable principal found with its path,
// no false positive. Then the traps a naive analysis falls into, each in an account of its own.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readAccount } from '../../src/policy/account.js'
import { type EscalationEntry, escalations } from '../../src/policy/escalation.js'
import { METHODS } from '../../src/policy/escalation-methods.js'
import { account, allow, deny, policyArn, roleArn, type Spec, trusts, userArn } from './accounts.js'
import { ADMINS, EXPLOITABLE, NOT_EXPLOITABLE } from './iam-vulnerable.js'

const FIXTURE: unknown = JSON.parse(readFileSync('test/policy/fixtures/iam-vulnerable.json', 'utf8'))
// read and searched inside each test, never at import: mutation testing attributes what runs to the test that ran it
function analyse() {
  const vulnerable = readAccount(FIXTURE as Parameters<typeof readAccount>[0])
  const result = escalations(vulnerable)
  return { vulnerable, result, byName: new Map(result.Escalations.map((e) => [e.PrincipalArn.split(':').pop() as string, e])) }
}
const methodsOf = (e: EscalationEntry | undefined) => new Set(e?.Paths.flatMap((p) => p.Hops.map((h) => h.MethodId)))

describe('iam-vulnerable (BishopFox)', () => {
  const exploitable = EXPLOITABLE

  it('reports every exploitable principal with its method, every hop with its statements', () => {
    const { vulnerable, byName } = analyse()
    const wrong: string[] = []
    for (const [name, method] of exploitable) {
      const e = byName.get(name)
      if (!e || e.IsAdmin || e.Paths.length === 0) {
        wrong.push(`${name}: ${e ? (e.IsAdmin ? 'admin' : 'no path') : 'not reported'}`)
        continue
      }
      if (!methodsOf(e).has(method)) wrong.push(`${name}: no ${method} path (${[...methodsOf(e)].join(', ')})`)
      const first = e.Paths.find((p) => p.Hops[0]?.MethodId === method)
      if (first && first.Hops[0]?.Principal !== e.PrincipalArn) wrong.push(`${name}: the first hop is not its own`)
      for (const path of e.Paths) {
        if (!(path.Hops.at(-1)?.BecomesAdmin || vulnerable.byArn.has(path.Hops.at(-1)?.Gains as string))) wrong.push(`${name}: a path ends nowhere`)
        for (const hop of path.Hops) for (const p of hop.Permissions) if (p.MatchedStatements.length === 0) wrong.push(`${name}: ${hop.MethodId} ${p.Action} has no statement`)
      }
    }
    expect(wrong).toEqual([])
    expect(exploitable.length).toBe(63)
  })

  it('reports none of the principals that cannot escalate', () => {
    const { byName } = analyse()
    expect(NOT_EXPLOITABLE.filter((name) => byName.has(name))).toEqual([])
  })

  it('reports the admins as admins, with the statements that make them so, and no path', () => {
    const { byName } = analyse()
    for (const name of ADMINS) {
      const e = byName.get(name)
      expect([e?.IsAdmin, e?.Paths]).toEqual([true, []])
      expect(e?.AdminStatements?.length).toBeGreaterThan(0)
    }
  })

  it('reports no one else: every entry is an admin or one of the exploitable principals', () => {
    const { byName } = analyse()
    const expected = new Set([...exploitable.map(([n]) => n), ...ADMINS])
    expect([...byName.keys()].filter((n) => !expected.has(n))).toEqual([])
    expect(byName.size).toBe(expected.size)
  })

  it('walks chains: the starting role reaches admin through the intermediate role', () => {
    const { byName } = analyse()
    const path = byName.get('role/privesc-AssumeRole-starting-role')?.Paths[0]
    expect(path?.Hops.map((h) => [h.MethodId, h.Gains.split('/').pop()])).toEqual([
      ['sts-001', 'privesc-AssumeRole-intermediate-role'],
      ['sts-001', 'privesc-AssumeRole-ending-role'],
    ])
  })

  it('counts a resource-scoped grant only where it covers the target: fn2’s CreatePolicyVersion on policy/fn2-*', () => {
    const { byName } = analyse()
    const hop = byName.get('user/fn2-exploitableResourceConstraint-user')?.Paths.find((p) => p.Hops[0]?.MethodId === 'iam-001')?.Hops[0]
    expect(hop?.Target).toBe(policyArn('fn2-exploitableResourceConstraint').replace('111122223333', '111122223333'))
    expect(hop?.Permissions[0]?.MatchedStatements[0]?.SourcePolicyId).toBe('fn2-exploitableResourceConstraint')
  })

  it('orders paths shortest first', () => {
    const { result } = analyse()
    for (const e of result.Escalations) {
      const lengths = e.Paths.map((p) => p.Hops.length)
      expect(lengths).toEqual([...lengths].sort((a, b) => a - b))
    }
  })

  it('knows the 65 path types pathfinding.cloud catalogues', () => {
    expect(METHODS).toHaveLength(65)
    expect(new Set(METHODS.map((m) => m.id)).size).toBe(65)
  })
})

describe('the traps', () => {
  it('a boundary-capped iam:* is not an escalation', () => {
    const r = escalations(account({ users: { capped: { inline: [allow('iam:*')], boundary: 'S3Only' } }, policies: { S3Only: allow('s3:*') } }))
    expect(r.Escalations).toEqual([])
  })

  it('a boundary that allows iam:* but not the rest: escalation by taking the boundary off (or by self-grant past it)', () => {
    const r = escalations(account({ users: { u: { inline: [allow('iam:*')], boundary: 'IamOnly' } }, policies: { IamOnly: allow('iam:*') } }))
    const e = r.Escalations[0]
    expect(e?.PrincipalArn).toBe(userArn('u'))
    // the self-grant takes the boundary off on the way, and says so
    const hop = e?.Paths.find((p) => p.Hops[0]?.MethodId === 'iam-007')?.Hops[0]
    expect(hop?.Permissions.map((x) => x.Action)).toEqual(['iam:PutUserPolicy', 'iam:DeleteUserPermissionsBoundary'])
  })

  it('a PassRole limited to a harmless role is not an escalation; to the admin role it is', () => {
    const spec = (resource: string) => ({
      users: { dev: { inline: [allow(['ec2:RunInstances']), allow('iam:PassRole', resource)] } },
      roles: { harmless: { trust: trusts({ Service: 'ec2.amazonaws.com' }), instanceProfile: true, inline: [allow('logs:PutLogEvents')] }, power: { trust: trusts({ Service: 'ec2.amazonaws.com' }), instanceProfile: true, attached: ['AdministratorAccess'] } },
    })
    expect(escalations(account(spec(roleArn('harmless')))).Escalations.map((e) => e.PrincipalArn)).toEqual([roleArn('power')])
    const open = escalations(account(spec('*'))).Escalations.find((e) => e.PrincipalArn === userArn('dev'))
    expect(open?.Paths.map((p) => p.Hops.map((h) => [h.MethodId, h.Gains]))).toEqual([[['ec2-001', roleArn('power')]]])
  })

  it('PassRole to a service the role does not trust is no path', () => {
    const r = escalations(account({ users: { dev: { inline: [allow(['lambda:CreateFunction', 'lambda:InvokeFunction', 'iam:PassRole'])] } }, roles: { power: { trust: trusts({ Service: 'ec2.amazonaws.com' }), attached: ['AdministratorAccess'] } } }))
    expect(r.Escalations.map((e) => e.PrincipalArn)).toEqual([roleArn('power')])
  })

  it('an inactive admin version is a path only for who can make it the default', () => {
    const policies = { Tools: { versions: [allow('s3:Get*'), allow('*')], defaultIndex: 0 } }
    const r = escalations(account({ users: { holder: { attached: ['Tools'] }, setter: { attached: ['Tools'], inline: [allow('iam:SetDefaultPolicyVersion', policyArn('Tools'))] } }, policies }))
    expect(r.Escalations.map((e) => e.PrincipalArn)).toEqual([userArn('setter')])
    expect(r.Escalations[0]?.Paths[0]?.Hops[0]).toMatchObject({ MethodId: 'iam-edge-setdefaultpolicyversion', Target: `${policyArn('Tools')} (v2)`, BecomesAdmin: true })
  })

  it('a Deny in a separate policy takes admin away', () => {
    const r = escalations(account({ users: { almost: { attached: ['AdministratorAccess'], inline: [deny('iam:*')] }, full: { attached: ['AdministratorAccess'] } } }))
    expect(r.Escalations.map((e) => [e.PrincipalArn, e.IsAdmin])).toEqual([[userArn('full'), true]])
  })

  it('a Deny with NotResource does not hide what it leaves out', () => {
    // the Deny spares the admin user's keys: minting them is still an escalation
    const spared = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateAccessKey', NotResource: userArn('admin') }] }
    const r = escalations(account({ users: { admin: { attached: ['AdministratorAccess'] }, helper: { inline: [allow('iam:CreateAccessKey'), spared] } } }))
    expect(r.Escalations.find((e) => e.PrincipalArn === userArn('helper'))?.Paths.map((p) => p.Hops.map((h) => [h.MethodId, h.Gains]))).toEqual([[['iam-002', userArn('admin')]]])
  })

  it('a grant on every resource reaches every target, unless a Deny or the boundary names one', () => {
    const admins = { a1: { attached: ['AdministratorAccess'] }, a2: { attached: ['AdministratorAccess'] } }
    type Users = NonNullable<Spec['users']>
    const gains = (helper: Users[string], policies: Spec['policies'] = {}) =>
      escalations(account({ users: { ...admins, helper }, policies }))
        .Escalations.find((e) => e.PrincipalArn === userArn('helper'))
        ?.Paths.map((p) => p.Hops[0]?.Gains)
        .sort()
    expect(gains({ inline: [allow('iam:CreateAccessKey')] })).toEqual([userArn('a1'), userArn('a2')])
    expect(gains({ inline: [allow('iam:CreateAccessKey'), deny('iam:CreateAccessKey', userArn('a1'))] })).toEqual([userArn('a2')])
    expect(gains({ inline: [allow('iam:CreateAccessKey')], boundary: 'OnlyA2' }, { OnlyA2: allow('iam:CreateAccessKey', userArn('a2')) })).toEqual([userArn('a2')])
  })

  it('a PassRole on every role, limited by iam:PassedToService, reaches only through that service', () => {
    const passToEc2 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }] }
    const roles = {
      viaEc2: { trust: trusts({ Service: 'ec2.amazonaws.com' }), instanceProfile: true, attached: ['AdministratorAccess'] },
      viaLambda: { trust: trusts({ Service: 'lambda.amazonaws.com' }), attached: ['AdministratorAccess'] },
    }
    const r = escalations(account({ users: { dev: { inline: [allow(['ec2:RunInstances', 'lambda:CreateFunction', 'lambda:InvokeFunction']), passToEc2] } }, roles }))
    const dev = r.Escalations.find((e) => e.PrincipalArn === userArn('dev'))
    expect(dev?.Paths.map((p) => p.Hops.map((h) => [h.MethodId, h.Gains]))).toEqual([[['ec2-001', roleArn('viaEc2')]]])
  })

  it('managing only ${aws:username}’s own keys is not an escalation', () => {
    const r = escalations(account({ users: { admin: { attached: ['AdministratorAccess'] }, self: { inline: [allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile'], 'arn:aws:iam::*:user/${aws:username}')] } } }))
    expect(r.Escalations.map((e) => e.PrincipalArn)).toEqual([userArn('admin')])
  })

  it('IAM actions on an S3 ARN grant nothing', () => {
    const r = escalations(account({ users: { admin: { attached: ['AdministratorAccess'] }, odd: { inline: [allow(['iam:CreateAccessKey', 'iam:PutUserPolicy'], 'arn:aws:s3:::*')] } } }))
    expect(r.Escalations.map((e) => e.PrincipalArn)).toEqual([userArn('admin')])
  })

  it('a NotAction: s3:* allow can make itself admin; Allow * with Deny iam:* cannot', () => {
    const r = escalations(account({ users: { notaction: { inline: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] }] }, nodeny: { inline: [allow('*'), deny('iam:*')] } } }))
    // (making nodeny admin by a policy of its own would not lift its Deny: no path there either)
    expect(r.Escalations.map((e) => [e.PrincipalArn.split('/').pop(), e.IsAdmin, [...methodsOf(e)].sort()])).toEqual([['notaction', false, ['iam-007', 'iam-008']]])
  })

  it('marks a path conditional when a hop depends on a condition', () => {
    const r = escalations(account({ users: { admin: { attached: ['AdministratorAccess'] }, mfa: { inline: [allow('iam:CreateAccessKey', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] } } }))
    const e = r.Escalations.find((x) => x.PrincipalArn === userArn('mfa'))
    expect([e?.Conditional, e?.Paths[0]?.Conditional, e?.Paths[0]?.Hops[0]?.Permissions[0]?.Conditional]).toEqual([true, true, true])
  })

  it('reads time conditions against now: a grant that expired is no path, one still valid is', () => {
    const grant = (op: string) => ({ users: { admin: { attached: ['AdministratorAccess'] }, timed: { inline: [allow('iam:CreateAccessKey', '*', { Condition: { [op]: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })] } } })
    expect(escalations(account(grant('DateGreaterThan')), { now: new Date('2026-12-06T00:00:00Z') }).Escalations.map((e) => e.PrincipalArn)).toEqual([userArn('admin')])
    expect(escalations(account(grant('DateLessThan')), { now: new Date('2026-12-06T00:00:00Z') }).Escalations.find((e) => e.PrincipalArn === userArn('timed'))?.Conditional).toBe(false)
  })

  it('finds paths to a named principal instead of admin', () => {
    const acct = account({ users: { a: { inline: [allow('sts:AssumeRole')] } }, roles: { mid: { trust: trusts({ AWS: userArn('a') }) }, target: { trust: trusts({ AWS: roleArn('mid') }) } } })
    const r = escalations(acct, { target: roleArn('target') })
    expect(r.Escalations.map((e) => [e.PrincipalArn, e.Paths.map((p) => p.Hops.map((h) => h.Gains))])).toEqual([
      [userArn('a'), [[roleArn('mid'), roleArn('target')]]],
      [roleArn('mid'), [[roleArn('target')]]],
    ])
  })

  it('keeps at most maxPaths per principal and says it stopped', () => {
    const roles = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`admin${i}`, { trust: trusts({ AWS: userArn('u') }), attached: ['AdministratorAccess'] }]))
    const e = escalations(account({ users: { u: {} }, roles }), { maxPaths: 3 }).Escalations.find((x) => x.PrincipalArn === userArn('u'))
    expect([e?.Paths.length, e?.Truncated]).toEqual([3, true])
  })
})
