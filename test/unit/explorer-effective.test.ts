// The explorer's readers of what a principal can do and of what an ARN names, fact by fact:
// effective permissions by service and level (everywhere, on named resources only, under a
// condition, taken away by a Deny, NotAction's complement), their totals and evidence, and the
// entity an ARN's resource part names.
import { beforeAll, describe, expect, it } from 'vitest'
import { byService, effectivePermissions, LEVELS } from '../../explorer/effective.js'
import { entityOf, VIEW_OF } from '../../explorer/entity.js'
import { type ActionData, loadActionData } from '../../src/policy/index.js'
import { account, allow, deny } from '../policy/accounts.js'

let data: ActionData
beforeAll(async () => {
  data = await loadActionData()
})

describe('effective permissions', () => {
  const principal = () => {
    const a = account({
      users: {
        u: {
          inline: [
            allow(['s3:GetObject', 's3:ListBucket']),
            allow('s3:PutObject', 'arn:aws:s3:::b/*'),
            allow('sqs:SendMessage', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
            deny('s3:ListBucket'),
            { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 's3:*', 'sqs:*'], Resource: 'arn:aws:kms:*:*:key/k' }] },
          ],
        },
      },
    })
    const u = a.users[0]
    if (!u) throw new Error('no user')
    return effectivePermissions(data, a, u)
  }

  it('allowed everywhere, on named resources only, or under a condition; a Deny takes an action away; NotAction names every other action', () => {
    const rows = principal()
    const row = (service: string, level: string) => rows.find((r) => r.service === service && r.level === level)
    expect(row('s3', 'Read')?.everywhere).toContain('s3:GetObject')
    expect(row('s3', 'Write')?.somewhere.get('s3:PutObject')).toEqual(['arn:aws:s3:::b/*'])
    expect(row('s3', 'Write')?.everywhere ?? []).not.toContain('s3:PutObject')
    expect(rows.some((r) => r.everywhere.includes('s3:ListBucket') || r.somewhere.has('s3:ListBucket'))).toBe(false)
    expect([row('sqs', 'Write')?.everywhere, [...(row('sqs', 'Write')?.conditional ?? [])]]).toEqual([['sqs:SendMessage'], ['sqs:SendMessage']])
    expect(row('s3', 'Read')?.conditional.size).toBe(0)
    expect(row('kms', 'Write')?.somewhere.get('kms:Decrypt')).toEqual(['arn:aws:kms:*:*:key/k'])
    expect(rows.some((r) => r.service === 'iam')).toBe(false)
    // sorted by service, then by level in LEVELS' order; evidence is the Allow statements only, once each
    expect(rows.map((r) => `${r.service} ${LEVELS.indexOf(r.level)}`)).toEqual([...rows].sort((a, b) => a.service.localeCompare(b.service) || LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level)).map((r) => `${r.service} ${LEVELS.indexOf(r.level)}`))
    for (const r of rows) {
      expect(r.evidence.every((e) => e.statement.effect === 'Allow')).toBe(true)
      expect(new Set(r.evidence.map((e) => `${e.policy.id}/${e.statement.index}`)).size).toBe(r.evidence.length)
    }
  })

  it('by service: each level\'s allowed, somewhere and conditional counts of the service\'s actions at that level; evidence once', () => {
    const services = byService(data, principal())
    const s3 = services.find((s) => s.service === 's3')
    const writeTotal = (data.service('s3')?.actions ?? []).filter((a) => data.withAccessLevel('Write').has(data.action(a)?.action ?? a)).length
    expect(s3?.levels.get('Write')).toEqual({ allowed: 1, somewhere: 1, conditional: 0, of: writeTotal })
    expect(writeTotal).toBeGreaterThan(10)
    expect(services.find((s) => s.service === 'sqs')?.levels.get('Write')).toMatchObject({ allowed: 1, somewhere: 0, conditional: 1 })
    for (const s of services) {
      expect(new Set(s.evidence).size).toBe(s.evidence.length)
      expect(s.evidence.every((e) => e.statement.effect === 'Allow')).toBe(true)
      expect(s.evidence.length).toBeGreaterThan(0)
    }
    expect(s3?.rows.map((r) => r.level)).toEqual(['Read', 'Write'])
  })

  it("the principal's own keys are facts, as whoCan reads them: a tag it lacks fails a condition on it, a tag it has meets one; other keys stay open", () => {
    const onTag = (Condition: Record<string, Record<string, string>>) => allow('s3:GetObject', '*', { Condition })
    const a = account({
      users: {
        tagged: { tags: { team: 'red' }, inline: [onTag({ StringEquals: { 'aws:PrincipalTag/team': 'red' } })] },
        untagged: { inline: [onTag({ StringEquals: { 'aws:PrincipalTag/team': 'red' } })] },
        other: { tags: { team: 'blue' }, inline: [onTag({ StringEquals: { 'aws:PrincipalTag/team': 'red' } })] },
        named: { inline: [onTag({ StringEquals: { 'aws:username': 'someone-else' } })] },
        open: { inline: [onTag({ StringEquals: { 'aws:SourceVpc': 'vpc-1' } })] },
      },
    })
    const read = (name: string) => {
      const u = a.users.find((x) => x.name === name)
      if (!u) throw new Error(name)
      const row = effectivePermissions(data, a, u).find((r) => r.service === 's3' && r.level === 'Read')
      return row ? { allowed: row.everywhere.includes('s3:GetObject'), conditional: row.conditional.has('s3:GetObject') } : undefined
    }
    expect(read('tagged')).toEqual({ allowed: true, conditional: false })
    expect(read('untagged')).toBeUndefined()
    expect(read('other')).toBeUndefined()
    expect(read('named')).toBeUndefined()
    expect(read('open')).toEqual({ allowed: true, conditional: true })
  })

  it('on named resources: only those its statements name that are allowed (a Deny on one takes it out); evidence: each Allow statement once, a conditional Deny never', () => {
    const only = (inline: Parameters<typeof account>[0]) => {
      const a = account(inline)
      const u = a.users[0]
      if (!u) throw new Error('no user')
      return effectivePermissions(data, a, u)
    }
    const denied = only({ users: { u: { inline: [allow('s3:PutObject', ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/*']), deny('s3:PutObject', 'arn:aws:s3:::c/*')] } } })
    expect(denied.find((r) => r.level === 'Write')?.somewhere.get('s3:PutObject')).toEqual(['arn:aws:s3:::b/*'])
    const twoStatements = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectAcl'], Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetBucketPolicy', Resource: '*' },
      ],
    }
    const rows = only({ users: { u: { inline: [twoStatements, deny('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } } })
    const read = rows.find((r) => r.service === 's3' && r.level === 'Read')
    expect(read?.everywhere.sort()).toEqual(['s3:GetBucketPolicy', 's3:GetObject', 's3:GetObjectAcl'])
    expect([...(read?.conditional ?? [])]).toEqual(['s3:GetObject'])
    expect(read?.evidence.map((e) => `${e.policy.id}/${e.statement.index}/${e.statement.effect}`)).toEqual(['inline-1/0/Allow', 'inline-1/1/Allow'])
    // the same text in two policies: both grant, both are evidence
    const twice = only({ users: { u: { inline: [allow('s3:GetObject', '*'), allow('s3:GetObject', '*')] } } })
    expect(twice.find((r) => r.level === 'Read')?.evidence.map((e) => e.policy.id)).toEqual(['inline-1', 'inline-2'])
  })

  it('the levels, in order', () => {
    expect(LEVELS).toEqual(['List', 'Read', 'Write', 'Permissions management', 'Tagging'])
  })
})

describe('what an ARN names', () => {
  it('the kind and name from the resource part, the account from its place; anything else names nothing', () => {
    expect([
      entityOf('arn:aws:iam::111122223333:user/alice'),
      entityOf('arn:aws:iam::111122223333:user/path/:group/bob'),
      entityOf('arn:aws:iam::111122223333:role/a:b/c'),
      entityOf('arn:aws:iam::aws:policy/AdministratorAccess'),
      entityOf('arn:aws-cn:iam::111122223333:group/g'),
    ]).toEqual([
      { kind: 'user', name: 'alice', account: '111122223333' },
      { kind: 'user', name: 'bob', account: '111122223333' },
      { kind: 'role', name: 'c', account: '111122223333' },
      { kind: 'policy', name: 'AdministratorAccess', account: 'aws' },
      { kind: 'group', name: 'g', account: '111122223333' },
    ])
    expect(['arn:aws:s3:::b/k', 'arn:aws:iam:us-east-1:111122223333:user/a', 'arn:aws:iam::111122223333:user', 'arn:aws:iam::111122223333:/user', 'arn:aws:iam::111122223333:user/', 'arn:aws:iam::111122223333:instance-profile/x', 'x:aws:iam::111122223333:user/a', 'arn:aws:iam::111122223333', 'arn:aws:iam::111122223333:/a'].map(entityOf)).toEqual(Array(9).fill(undefined))
  })

  it('each kind has its view', () => {
    expect(VIEW_OF).toEqual({ user: 'users', role: 'roles', group: 'groups', policy: 'policies' })
  })
})
