// The explorer's trust and credential findings, whole: each kind of risky trust with its title,
// reason, statement label, detail and conditionality; what does not count (a guarded or own-
// account trust, a Deny, a service-linked role); the credential report's keys, both of them, at
// the 90-day edge; and the readers of account ids, attachments and boundaries.
import { describe, expect, it } from 'vitest'
import { analyse } from '../../explorer/analysis.js'
import { accountIdOf, attachments, boundaries, externalIdGuard, type Finding, findings, principalAccount, riskOf, serviceLinkedPolicy, trustedPrincipals } from '../../explorer/findings.js'
import type { Account, RoleDetail } from '../../explorer/model.js'

const NOW = new Date('2026-12-01T00:00:00Z')
const ACCT = '111122223333'
const roleArn = (name: string, path = '/') => `arn:aws:iam::${ACCT}:role${path}${name}`
const role = (name: string, ...Statement: object[]): RoleDetail => ({ RoleName: name, Arn: roleArn(name), Path: '/', CreateDate: '2026-11-20T00:00:00Z', AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement })), RoleLastUsed: { LastUsedDate: '2026-11-30T00:00:00Z' } })
const account = (d: Partial<Account['details']>, report?: Account['credentialReport']): Account => ({ details: { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], ...d }, ...(report === undefined ? {} : { credentialReport: report }) })
const trust = (...roles: RoleDetail[]): Finding[] => {
  const a = account({ RoleDetailList: roles })
  return findings(a, analyse(a.details, NOW), NOW).filter((f) => f.category === 'trust')
}
const assume = (Principal: unknown, extra: object = {}) => ({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole', ...extra })
const whole = (name: string, key: string, severity: string, title: string, why: string, label: string, detail: string, conditional = false) => ({ id: `trust:${roleArn(name)}:${key}`, severity, category: 'trust', title: `Role ${name} ${title}`, why, statements: [label], principals: [roleArn(name)], detail: [detail], conditional })

describe('trust findings, whole', () => {
  it('anyone, another account without an external id or with a wildcard one', () => {
    expect(trust(role('open', { Sid: 'Open', ...assume('*') }))).toEqual([whole('open', '*', 'critical', 'trusts anyone (*)', 'Any AWS principal anywhere may assume it.', 'Open', '*')])
    expect(trust(role('openif', assume({ AWS: '*' }, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })))).toEqual([whole('openif', '*', 'critical', 'trusts anyone (*)', 'Any AWS principal anywhere may assume it, subject to its conditions.', '#1', '*', true)])
    expect(trust(role('vendor', assume({ AWS: '444455556666' })))).toEqual([whole('vendor', '444455556666', 'high', 'trusts account 444455556666 without an external id', 'Another account may assume it with no sts:ExternalId condition: the confused-deputy case when that account is a vendor.', '#1', '444455556666')])
    expect(trust(role('wild', assume({ AWS: 'arn:aws:sts::444455556666:assumed-role/r/s' }, { Condition: { StringLike: { 'sts:ExternalId': '*' } } })))).toEqual([
      whole('wild', 'arn:aws:sts::444455556666:assumed-role/r/s', 'high', 'trusts account 444455556666 without a real external id', 'Its sts:ExternalId condition is a wildcard: it matches whatever the caller sends, so it protects nothing.', '#1', 'arn:aws:sts::444455556666:assumed-role/r/s', true),
    ])
  })

  it('SAML without SAML:aud, GitHub without sub or with any owner, Cognito without aud or amr, other OIDC without an audience', () => {
    const saml = `arn:aws:iam::${ACCT}:saml-provider/corp`
    const gh = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`
    const cognito = 'cognito-identity.amazonaws.com'
    const okta = `arn:aws:iam::${ACCT}:oidc-provider/corp.okta.com`
    expect(trust(role('s', assume({ Federated: saml })))).toEqual([whole('s', saml, 'high', 'trusts a SAML provider without SAML:aud', 'Without SAML:aud, an assertion the provider issued for any other service provider signs in here too.', '#1', saml)])
    expect(trust(role('g', assume({ Federated: gh })))).toEqual([whole('g', gh, 'critical', 'trusts every GitHub repository (no sub condition)', 'Any GitHub Actions workflow, in any repository of anyone, can assume it.', '#1', gh)])
    expect(trust(role('g2', assume({ Federated: gh }, { Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*/app:*' } } })))).toEqual([whole('g2', gh, 'critical', 'trusts any GitHub repository (sub repo:*/app:*)', 'Its sub condition leaves the repository owner open: workflows of other organizations match.', '#1', gh, true)])
    expect(trust(role('g3', assume({ Federated: gh }, { Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:corp/app:*', 'repo:corp/other:*'] } } })))).toEqual([])
    expect(trust(role('c', assume({ Federated: cognito }, { Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'pool' } } })))).toEqual([whole('c', cognito, 'high', 'trusts Cognito without cognito-identity.amazonaws.com:amr', 'Without aud any identity pool can assume it; without amr unauthenticated identities can too.', '#1', cognito, true)])
    expect(trust(role('c2', assume({ Federated: cognito })))[0]?.title).toBe('Role c2 trusts Cognito without cognito-identity.amazonaws.com:aud and cognito-identity.amazonaws.com:amr')
    expect(trust(role('o', assume({ Federated: okta })))).toEqual([whole('o', okta, 'high', 'trusts the OIDC provider corp.okta.com without an audience', 'Without an aud condition, a token the provider issued to any client application can assume it.', '#1', okta)])
    expect(trust(role('o2', assume({ Federated: okta }, { Condition: { StringEquals: { 'corp.okta.com:azp': 'client' } } })), role('o3', assume({ Federated: 'accounts.google.com' }, { Condition: { StringEquals: { 'accounts.google.com:aud': 'x' } } })))).toEqual([])
  })

  it('nothing for a Deny, an org-guarded or real external id trust, the own account, a service, a provider named by neither form, or a service-linked role', () => {
    const linked: RoleDetail = { ...role('linked', assume('*')), Path: '/aws-service-role/x/', Arn: roleArn('linked', '/aws-service-role/x/') }
    expect(trust(
      role('deny', { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }),
      role('org', assume('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })),
      role('paths', assume({ AWS: '444455556666' }, { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-1/*' } } })),
      role('ext', assume({ AWS: '444455556666' }, { Condition: { StringEquals: { 'sts:ExternalId': 'x1' } } })),
      role('own', assume({ AWS: `arn:aws:iam::${ACCT}:root` })),
      role('svc', assume({ Service: 'ec2.amazonaws.com' })),
      role('odd', assume({ Federated: 'localprovider' })),
      linked,
    )).toEqual([])
  })
})

describe('the readers of a trust statement', () => {
  it('an account id is twelve digits whole, or the account of an IAM or STS ARN from its start; anything else is none', () => {
    expect(['123456789012', '1234567890123', 'x123456789012', '12345678901'].map(principalAccount)).toEqual(['123456789012', undefined, undefined, undefined])
    expect(['arn:aws:iam::123456789012:root', 'arn:aws-cn:sts::123456789012:assumed-role/r/s', 'xarn:aws:iam::123456789012:root', 'arn:aws:s3:::bucket', 'arn:aws:iam::1234567890123:root'].map(principalAccount)).toEqual(['123456789012', '123456789012', undefined, undefined, undefined])
  })

  it('an external id guards only when every value names one: none, an empty list, or any value of only * and ? does not', () => {
    const withIds = (ids: string[] | undefined) => externalIdGuard({ Effect: 'Allow', ...(ids === undefined ? {} : { Condition: { StringLike: { 'STS:ExternalID': ids } } }) })
    expect([withIds(['vendor-42']), withIds(['a', 'b'])]).toEqual([true, true])
    expect([withIds(undefined), withIds([]), withIds(['*']), withIds(['**']), withIds(['?*']), withIds(['vendor-42', '*'])]).toEqual([false, false, false, false, false, false])
  })

  it('the principals of a statement: none, "*" as a string, and each id of each kind, "*" of any kind as anyone', () => {
    expect(trustedPrincipals({ Effect: 'Allow' })).toEqual([])
    expect(trustedPrincipals({ Effect: 'Allow', Principal: '*' })).toEqual([{ kind: '*', id: '*' }])
    expect(trustedPrincipals({ Effect: 'Allow', Principal: { AWS: ['111122223333', '*'], Service: 'ec2.amazonaws.com' } })).toEqual([{ kind: 'AWS', id: '111122223333' }, { kind: '*', id: '*' }, { kind: 'Service', id: 'ec2.amazonaws.com' }])
  })

  it("GitHub's sub leaves the owner open with a wildcard anywhere in it; any one such value is enough; a wildcard after the owner is fine", () => {
    const gh = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`
    const flagged = (sub: string | string[]) => trust(role('g', assume({ Federated: gh }, { Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': sub } } }))).length
    expect(['repo:ab*/app:*', 'repo:a*bc/app:*', 'repo:*', '*', ['repo:corp/app:*', 'repo:c?rp/app:*']].map(flagged)).toEqual([1, 1, 1, 1, 1])
    expect(['repo:corp/app:*', 'repo:corp/*', 'environment:repo:a*/b', ['repo:corp/app:*', 'repo:corp/b:ref:refs/heads/*']].map(flagged)).toEqual([0, 0, 0, 0])
  })

  it('a principal\'s risk is its most severe finding, whatever the order', () => {
    const f = (severity: Finding['severity']): Finding => ({ id: severity, severity, category: 'trust', title: '', why: '', statements: [], principals: ['p'], detail: [], conditional: false })
    expect([riskOf([f('low'), f('high'), f('medium')]).get('p'), riskOf([f('critical'), f('low')]).get('p'), riskOf([f('medium'), f('medium')]).get('p')]).toEqual(['high', 'critical', 'medium'])
  })
})

describe('credential report', () => {
  const report = (row: Record<string, string>) => {
    const a = account({}, [{ user: 'u', arn: `arn:aws:iam::${ACCT}:user/u`, ...row }])
    return findings(a, analyse(a.details, NOW), NOW).filter((f) => f.category === 'credentials')
  }

  it('key 2 as key 1: old at 90 days and a second, unused when never used or last used that long ago; no_information is never used', () => {
    const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString()
    expect(report({ access_key_2_active: 'true', access_key_2_last_rotated: day(90), access_key_2_last_used_date: day(90) })).toEqual([])
    const old = report({ access_key_2_active: 'true', access_key_2_last_rotated: '2026-01-01T00:00:00+00:00', access_key_2_last_used_date: 'no_information' })
    expect(old).toEqual([
      { id: `credentials:arn:aws:iam::${ACCT}:user/u:key2:age`, severity: 'medium', category: 'credentials', title: "u's access key 2 is older than 90 days", why: 'Long-lived keys leak into laptops, logs and repositories; rotate them.', statements: [], principals: [`arn:aws:iam::${ACCT}:user/u`], detail: ['created 2026-01-01'], conditional: false },
      { id: `credentials:arn:aws:iam::${ACCT}:user/u:key2:unused`, severity: 'medium', category: 'credentials', title: "u's access key 2 unused for 90+ days", why: 'An active key nobody uses is risk with no benefit: deactivate it.', statements: [], principals: [`arn:aws:iam::${ACCT}:user/u`], detail: ['never used'], conditional: false },
    ])
    expect(report({ access_key_1_active: 'true', access_key_1_last_rotated: day(10), access_key_1_last_used_date: '2026-06-01T00:00:00+00:00' }).map((f) => f.detail)).toEqual([['last used 2026-06-01']])
    expect(report({ password_enabled: 'true', mfa_active: 'true' })).toEqual([])
  })

  it('a key with no last-used field at all is never used; a role unused exactly 90 days is not yet stale, a second more is', () => {
    const a = account({}, [{ user: 'k', arn: 'arn:aws:iam::111122223333:user/k', access_key_1_active: 'true', access_key_1_last_rotated: '2026-01-01T00:00:00+00:00' }])
    expect(findings(a, analyse(a.details, NOW), NOW).filter((f) => f.id.endsWith(':unused')).map((f) => f.detail)).toEqual([['never used']])
    const at = (ms: number) => ({ ...role('edge'), RoleLastUsed: { LastUsedDate: new Date(NOW.getTime() - ms).toISOString() } })
    const unused = (r: RoleDetail) => {
      const b = account({ RoleDetailList: [r] })
      return findings(b, analyse(b.details, NOW), NOW).filter((f) => f.category === 'unused').length
    }
    expect([unused(at(90 * 86_400_000)), unused(at(90 * 86_400_000 + 1000))]).toEqual([0, 1])
  })

  it('a row without user or arn is named ?', () => {
    const a = account({}, [{ password_enabled: 'true', mfa_active: 'false' }])
    expect(findings(a, analyse(a.details, NOW), NOW).filter((f) => f.category === 'credentials').map((f) => [f.title, f.principals])).toEqual([['? signs in to the console without MFA', ['?']]])
  })
})

describe('readers', () => {
  it('the account id from the first user, role, group or customer policy that names one', () => {
    expect([
      accountIdOf(account({ RoleDetailList: [role('r')] })),
      accountIdOf(account({ GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::444455556666:group/g', Path: '/', CreateDate: '' }] })),
      accountIdOf(account({ Policies: [{ PolicyName: 'A', Arn: 'arn:aws:iam::aws:policy/A', Path: '/', PolicyVersionList: [] }, { PolicyName: 'B', Arn: 'arn:aws:iam::777788889999:policy/B', Path: '/', PolicyVersionList: [] }] })),
      accountIdOf(account({})),
      accountIdOf(account({ RoleDetailList: [{ ...role('r'), Arn: 'not-an-arn' }] })),
    ]).toEqual([ACCT, '444455556666', '777788889999', undefined, undefined])
  })

  it('attachments (a group\'s members once each) and boundaries, by policy', () => {
    const p = `arn:aws:iam::${ACCT}:policy/P`
    const a = account({
      UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${ACCT}:user/u`, Path: '/', CreateDate: '', GroupList: ['g'], AttachedManagedPolicies: [{ PolicyName: 'P', PolicyArn: p }], PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: p } }],
      GroupDetailList: [{ GroupName: 'g', Arn: `arn:aws:iam::${ACCT}:group/g`, Path: '/', CreateDate: '', AttachedManagedPolicies: [{ PolicyName: 'P', PolicyArn: p }] }],
      RoleDetailList: [{ ...role('r'), AttachedManagedPolicies: [{ PolicyName: 'P', PolicyArn: p }], PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: p } }],
    })
    expect(attachments(a).get(p)).toEqual([`arn:aws:iam::${ACCT}:user/u`, roleArn('r'), `arn:aws:iam::${ACCT}:group/g`])
    expect(boundaries(a).get(p)).toEqual([`arn:aws:iam::${ACCT}:user/u`, roleArn('r')])
    expect([serviceLinkedPolicy('arn:aws:iam::aws:policy/aws-service-role/X'), serviceLinkedPolicy('arn:aws:iam::aws:policy/X')]).toEqual([true, false])
  })
})
