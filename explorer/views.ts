// The views: overview, the four entity tables, a detail view per entity, and the findings.
import type { Data } from './data.js'
import { type Child, h } from './dom.js'
import { entityOf, VIEW_OF } from './entity.js'
import { download } from './export.js'
import { type Category, type Finding, SEVERITIES, trustedPrincipals } from './findings.js'
import { decodeDocument, type GroupDetail, type InlinePolicy, type ManagedPolicy, type PolicyDocument, type RoleDetail, statements, type Tag, type UserDetail } from './model.js'
import { link, type Route } from './route.js'
import { principalTools } from './security.js'
import { renderTable } from './table.js'

const d = (data: Data) => data.account.details
const date = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '—')
const tagText = (tags: Tag[] | undefined): string => (tags ?? []).map((t) => `${t.Key}=${t.Value}`).join(', ')

/** Says which action a view needs when the caller may not call it. */
function needs(data: Data, action: string): HTMLElement | undefined {
  const why = data.missing.get(action)
  return why === undefined ? undefined : h('p', { class: 'missing', role: 'note' }, `This view needs iam:${action}, which could not be read: ${why}. Ask the proxy's operator to add ${action} to your token's actions.`)
}

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', null, h('h3', null, title), ...children)
}

function pretty(text: string | undefined): HTMLElement {
  const doc = decodeDocument(text)
  return h('pre', { class: 'doc', tabindex: 0 }, doc ? JSON.stringify(doc, null, 2) : (text ?? ''))
}

function dl(pairs: ReadonlyArray<readonly [string, Child]>): HTMLElement {
  return h('dl', null, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))
}

function tagsTable(tags: Tag[] | undefined): HTMLElement {
  if (!tags || tags.length === 0) return h('p', null, 'No tags.')
  return h('table', null, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'))), h('tbody', null, tags.map((t) => h('tr', null, h('td', null, t.Key), h('td', null, t.Value)))))
}

function inlinePolicies(list: InlinePolicy[] | undefined): HTMLElement[] {
  if (!list || list.length === 0) return [h('p', null, 'None.')]
  return list.map((p) => h('details', null, h('summary', null, p.PolicyName), pretty(p.PolicyDocument)))
}

function attachedPolicies(data: Data, list: { PolicyName: string; PolicyArn: string }[] | undefined): HTMLElement {
  if (!list || list.length === 0) return h('p', null, 'None.')
  return h('ul', null, list.map((p) => h('li', null, h('a', { href: link('policies', p.PolicyArn) }, p.PolicyName), ' ', h('span', { class: 'arn' }, p.PolicyArn))))
}

/** A principal ARN as a link to its detail view (or as text when it is not in the account). */
export function principalLink(data: Data, arn: string): Child {
  const e = entityOf(arn)
  const known = e && e.kind !== 'policy' && [...(d(data).UserDetailList ?? []), ...(d(data).RoleDetailList ?? []), ...(d(data).GroupDetailList ?? [])].some((x) => x.Arn === arn)
  return e && known ? h('a', { href: link(VIEW_OF[e.kind], e.name) }, `${e.kind} ${e.name}`) : arn
}

const riskCell = (data: Data, arn: string): string => data.risk.get(arn) ?? '—'
const riskRank = (data: Data, arn: string): number => {
  const r = data.risk.get(arn)
  return r === undefined ? SEVERITIES.length : SEVERITIES.indexOf(r)
}

function findingsAbout(data: Data, arn: string, policyArn?: string): HTMLElement {
  const list = data.findings.filter((f) => f.principals.includes(arn) || (policyArn !== undefined && f.policy?.arn === policyArn))
  if (list.length === 0) return h('p', null, 'No findings.')
  return h('ul', null, list.map((f) => h('li', null, h('span', { class: `sev sev-${f.severity}` }, f.severity), ' ', h('a', { href: link('findings', undefined, { q: f.title }) }, f.title))))
}

// ---------------------------------------------------------------- overview

export function overview(data: Data): HTMLElement {
  const { account } = data
  const counts = [
    ['Users', d(data).UserDetailList?.length ?? 0, 'users'],
    ['Roles', d(data).RoleDetailList?.length ?? 0, 'roles'],
    ['Groups', d(data).GroupDetailList?.length ?? 0, 'groups'],
    ['Policies', d(data).Policies?.length ?? 0, 'policies'],
  ] as const
  const bySeverity = SEVERITIES.map((s) => [s, data.findings.filter((f) => f.severity === s).length] as const)
  const summary = account.summary ?? {}
  const report = account.credentialReport
  const entries = [...data.analysis.escalations.values()]
  const admins = entries.filter((e) => e.IsAdmin)
  const climbers = entries.filter((e) => !e.IsAdmin && e.Paths.length > 0)
  return h('section', { 'aria-labelledby': 'title-overview' },
    h('h2', { id: 'title-overview' }, 'Overview'),
    needs(data, 'GetAccountAuthorizationDetails'),
    section('Who can become admin',
      data.analysis.error && h('p', { class: 'error', role: 'alert' }, `The evaluator could not read this account: ${data.analysis.error}`),
      data.analysis.pending && h('p', { role: 'status' }, 'Finding every path to admin…'),
      !data.analysis.pending && h('p', null, `${admins.length} admin${admins.length === 1 ? '' : 's'} (`, h('a', { href: link('paths', undefined, { admin: 'yes' }) }, 'list'), `), ${climbers.length} principal${climbers.length === 1 ? '' : 's'} that can become admin.`),
      data.analysis.pending ? '' : climbers.length === 0 ? h('p', null, 'No one else can become admin.') : h('ul', { class: 'climbers' }, climbers.slice(0, 50).map((e) => {
        const path = e.Paths[0]
        return h('li', null,
          principalLink(data, e.PrincipalArn), e.Conditional ? ' (conditional) ' : ' ',
          h('a', { href: link('paths', e.PrincipalArn) }, `${e.Paths.length}${e.Truncated ? '+' : ''} path${e.Paths.length === 1 ? '' : 's'}`),
          path ? `: ${path.Hops.map((x) => `${x.Method} → ${entityOf(x.Gains)?.name ?? x.Gains}`).join(', then ')}` : '',
        )
      })),
      climbers.length > 50 && h('p', null, h('a', { href: link('paths') }, `All ${climbers.length}`)),
    ),
    h('ul', { class: 'cards' }, counts.map(([label, n, view]) => h('li', null, h('a', { href: link(view) }, h('span', { class: 'n' }, n.toLocaleString('en-US')), h('span', null, label))))),
    section('Findings by severity', h('ul', { class: 'cards' }, bySeverity.map(([s, n]) => h('li', { class: `sev-${s}` }, h('a', { href: link('findings', undefined, { severity: s }) }, h('span', { class: 'n' }, n), h('span', null, s)))))),
    section('Account summary', needs(data, 'GetAccountSummary'), account.summary && dl([
      ['MFA on the root user', summary.AccountMFAEnabled ? 'yes' : 'no'],
      ['Root access keys', summary.AccountAccessKeysPresent ? 'present' : 'none'],
      ['MFA devices in use', summary.MFADevicesInUse ?? 0],
      ['Identity providers', summary.Providers ?? 0],
      ['Server certificates', summary.ServerCertificates ?? 0],
      ['Instance profiles', summary.InstanceProfiles ?? 0],
    ])),
    section('Password policy', needs(data, 'GetAccountPasswordPolicy'), account.passwordPolicy === null
      ? h('p', null, 'No password policy is set: IAM users may choose any password.')
      : account.passwordPolicy && dl(Object.entries(account.passwordPolicy).map(([k, v]) => [k, String(v)] as const))),
    section('Credential report', needs(data, 'GetCredentialReport'), report === null
      ? h('p', null, 'No current credential report. Generate one (this explorer only reads) with ', h('code', null, 'aws iam generate-credential-report'), ', then reload: key ages, keys last used, MFA and password use appear here and in the findings.')
      : report && h('p', null, `${report.length} rows: key ages, MFA and sign-ins are part of the findings.`)),
  )
}

// ---------------------------------------------------------------- tables

export function users(data: Data, route: Route): HTMLElement {
  const report = new Map((data.account.credentialReport ?? []).map((r) => [r.arn, r]))
  return h('div', null, needs(data, 'GetAccountAuthorizationDetails'), renderTable<UserDetail>({
    title: 'Users', name: 'users', params: route.params, rows: d(data).UserDetailList ?? [],
    columns: [
      { key: 'name', label: 'User', value: (u) => u.UserName, link: (u) => link('users', u.UserName) },
      { key: 'risk', label: 'Risk', value: (u) => riskCell(data, u.Arn), sortBy: (u) => riskRank(data, u.Arn) },
      { key: 'path', label: 'Path', value: (u) => u.Path },
      { key: 'groups', label: 'Groups', value: (u) => (u.GroupList ?? []).join(', ') },
      { key: 'policies', label: 'Policies', value: (u) => (u.AttachedManagedPolicies?.length ?? 0) + (u.UserPolicyList?.length ?? 0) },
      { key: 'mfa', label: 'MFA', value: (u) => report.get(u.Arn)?.mfa_active ?? '—' },
      { key: 'created', label: 'Created', value: (u) => date(u.CreateDate) },
      { key: 'tags', label: 'Tags', value: (u) => tagText(u.Tags) },
    ],
    filters: [{ key: 'inline', label: 'Inline policies', options: [['yes', 'With inline policies'], ['no', 'Without']], test: (u, v) => ((u.UserPolicyList?.length ?? 0) > 0) === (v === 'yes') }],
    text: (u) => `${u.UserName} ${u.Arn} ${(u.GroupList ?? []).join(' ')} ${tagText(u.Tags)}`,
    json: (u) => u,
  }))
}

export function roles(data: Data, route: Route): HTMLElement {
  const trusted = (r: RoleDetail) => statements(decodeDocument(r.AssumeRolePolicyDocument)).flatMap(trustedPrincipals)
  return h('div', null, needs(data, 'GetAccountAuthorizationDetails'), renderTable<RoleDetail>({
    title: 'Roles', name: 'roles', params: route.params, rows: d(data).RoleDetailList ?? [],
    columns: [
      { key: 'name', label: 'Role', value: (r) => r.RoleName, link: (r) => link('roles', r.RoleName) },
      { key: 'risk', label: 'Risk', value: (r) => riskCell(data, r.Arn), sortBy: (r) => riskRank(data, r.Arn) },
      { key: 'path', label: 'Path', value: (r) => r.Path },
      { key: 'description', label: 'Description', value: (r) => r.Description ?? '' },
      { key: 'trust', label: 'Trusted by', value: (r) => trusted(r).map((p) => p.id).join(', ') },
      { key: 'lastUsed', label: 'Last used', value: (r) => date(r.RoleLastUsed?.LastUsedDate) },
      { key: 'created', label: 'Created', value: (r) => date(r.CreateDate) },
      { key: 'tags', label: 'Tags', value: (r) => tagText(r.Tags) },
    ],
    filters: [{ key: 'service', label: 'Trusted by', options: [['service', 'An AWS service'], ['account', 'An account or user'], ['federated', 'A SAML/OIDC provider']], test: (r, v) => trusted(r).some((p) => (v === 'service' ? p.kind === 'Service' : v === 'federated' ? p.kind === 'Federated' : p.kind === 'AWS' || p.kind === '*')) }],
    text: (r) => `${r.RoleName} ${r.Arn} ${r.Description ?? ''} ${tagText(r.Tags)}`,
    json: (r) => ({ ...r, AssumeRolePolicyDocument: decodeDocument(r.AssumeRolePolicyDocument) ?? r.AssumeRolePolicyDocument }),
  }))
}

export function groups(data: Data, route: Route): HTMLElement {
  const members = (g: GroupDetail) => (d(data).UserDetailList ?? []).filter((u) => u.GroupList?.includes(g.GroupName)).length
  return h('div', null, needs(data, 'GetAccountAuthorizationDetails'), renderTable<GroupDetail>({
    title: 'Groups', name: 'groups', params: route.params, rows: d(data).GroupDetailList ?? [],
    columns: [
      { key: 'name', label: 'Group', value: (g) => g.GroupName, link: (g) => link('groups', g.GroupName) },
      { key: 'path', label: 'Path', value: (g) => g.Path },
      { key: 'members', label: 'Members', value: members },
      { key: 'policies', label: 'Policies', value: (g) => (g.AttachedManagedPolicies?.length ?? 0) + (g.GroupPolicyList?.length ?? 0) },
      { key: 'created', label: 'Created', value: (g) => date(g.CreateDate) },
    ],
    text: (g) => `${g.GroupName} ${g.Arn}`,
    json: (g) => g,
  }))
}

export function policies(data: Data, route: Route): HTMLElement {
  return h('div', null, needs(data, 'GetAccountAuthorizationDetails'), renderTable<ManagedPolicy>({
    title: 'Policies', name: 'policies', params: route.params, rows: d(data).Policies ?? [],
    columns: [
      { key: 'name', label: 'Policy', value: (p) => p.PolicyName, link: (p) => link('policies', p.Arn) },
      { key: 'owner', label: 'Owner', value: (p) => (p.Arn.includes(':aws:policy/') ? 'AWS' : 'account') },
      { key: 'attachments', label: 'Attached to', value: (p) => usage(data, p) },
      { key: 'version', label: 'Default version', value: (p) => p.DefaultVersionId ?? '' },
      { key: 'updated', label: 'Updated', value: (p) => date(p.UpdateDate ?? p.CreateDate) },
      { key: 'description', label: 'Description', value: (p) => p.Description ?? '' },
    ],
    filters: [
      { key: 'owner', label: 'Owner', options: [['account', 'This account'], ['aws', 'AWS managed']], test: (p, v) => p.Arn.includes(':aws:policy/') === (v === 'aws') },
      { key: 'attached', label: 'Attached', options: [['yes', 'Attached'], ['boundary', 'A permissions boundary'], ['no', 'Neither']], test: (p, v) => (v === 'boundary' ? bounded(data, p) > 0 : ((p.AttachmentCount ?? data.attached.get(p.Arn)?.length ?? 0) > 0 || (v === 'no' && bounded(data, p) > 0)) === (v === 'yes')) },
    ],
    text: (p) => `${p.PolicyName} ${p.Arn} ${p.Description ?? ''}`,
    json: (p) => ({ ...p, document: versionDocument(p) }),
  }))
}

// ---------------------------------------------------------------- details

/** An id the account does not hold: the route's text never reaches the heading or the title. */
export function notFound(back?: string): HTMLElement {
  return h('section', { 'aria-labelledby': 'title-notfound' }, h('h2', { id: 'title-notfound' }, 'Not found'), h('p', null, 'Nothing in this account matches that link. '), back ? h('p', null, h('a', { href: link(back) }, `Back to ${back}`)) : h('p', null, h('a', { href: link('') }, 'Back to the overview')))
}

/** How many hold a policy, and how many it bounds. */
const bounded = (data: Data, p: ManagedPolicy): number => data.bounds.get(p.Arn)?.length ?? p.PermissionsBoundaryUsageCount ?? 0
function usage(data: Data, p: ManagedPolicy): string {
  const n = p.AttachmentCount ?? data.attached.get(p.Arn)?.length ?? 0
  const b = bounded(data, p)
  return b > 0 ? `${n}, boundary of ${b}` : String(n)
}

const versionDocument = (p: ManagedPolicy): PolicyDocument | undefined => decodeDocument((p.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.find((v) => v.VersionId === p.DefaultVersionId))?.Document)

const boundaryOf = (data: Data, e: UserDetail | RoleDetail): Child => {
  const arn = e.PermissionsBoundary?.PermissionsBoundaryArn
  return arn ? h('a', { href: link('policies', arn) }, entityOf(arn)?.name ?? arn) : 'none'
}

export function userDetail(data: Data, name: string): HTMLElement {
  const u = d(data).UserDetailList?.find((x) => x.UserName === name)
  if (!u) return notFound('users')
  const groupsOf = (d(data).GroupDetailList ?? []).filter((g) => u.GroupList?.includes(g.GroupName))
  const row = data.account.credentialReport?.find((r) => r.arn === u.Arn)
  return h('article', { 'aria-labelledby': 'title-detail' },
    h('h2', { id: 'title-detail' }, `User ${u.UserName}`),
    dl([['ARN', u.Arn], ['Path', u.Path], ['Risk', riskCell(data, u.Arn)], ['Permissions boundary', boundaryOf(data, u)], ['Created', date(u.CreateDate)], ['Groups', (u.GroupList ?? []).length ? h('span', null, (u.GroupList ?? []).map((g, i) => [i ? ', ' : '', h('a', { href: link('groups', g) }, g)])) : 'none']]),
    section('Findings', findingsAbout(data, u.Arn)),
    principalTools(data, u.Arn),
    section('Attached policies', attachedPolicies(data, u.AttachedManagedPolicies)),
    section('Inline policies', ...inlinePolicies(u.UserPolicyList)),
    section('Policies from groups', groupsOf.length === 0 ? h('p', null, 'None.') : h('div', null, groupsOf.map((g) => h('div', null, h('h4', null, 'Group ', h('a', { href: link('groups', g.GroupName) }, g.GroupName)), attachedPolicies(data, g.AttachedManagedPolicies), ...inlinePolicies(g.GroupPolicyList))))),
    section('Credentials', row ? dl([['Console password', row.password_enabled ?? '—'], ['Password last used', row.password_last_used ?? '—'], ['MFA', row.mfa_active ?? '—'], ['Access key 1', `${row.access_key_1_active === 'true' ? 'active' : 'inactive'}, created ${row.access_key_1_last_rotated ?? '—'}, last used ${row.access_key_1_last_used_date ?? '—'}`], ['Access key 2', `${row.access_key_2_active === 'true' ? 'active' : 'inactive'}, created ${row.access_key_2_last_rotated ?? '—'}, last used ${row.access_key_2_last_used_date ?? '—'}`]]) : h('p', null, 'Not in the credential report.')),
    section('Tags', tagsTable(u.Tags)),
  )
}

export function roleDetail(data: Data, name: string): HTMLElement {
  const r = d(data).RoleDetailList?.find((x) => x.RoleName === name)
  if (!r) return notFound('roles')
  const trusted = statements(decodeDocument(r.AssumeRolePolicyDocument)).flatMap(trustedPrincipals)
  return h('article', { 'aria-labelledby': 'title-detail' },
    h('h2', { id: 'title-detail' }, `Role ${r.RoleName}`),
    dl([['ARN', r.Arn], ['Path', r.Path], ['Description', r.Description ?? '—'], ['Risk', riskCell(data, r.Arn)], ['Permissions boundary', boundaryOf(data, r)], ['Created', date(r.CreateDate)], ['Last used', r.RoleLastUsed?.LastUsedDate ? `${date(r.RoleLastUsed.LastUsedDate)} (${r.RoleLastUsed.Region ?? '?'})` : 'never, as far as IAM knows']]),
    section('Findings', findingsAbout(data, r.Arn)),
    principalTools(data, r.Arn),
    section('Trusted by', h('ul', null, trusted.map((p) => h('li', null, `${p.kind}: `, p.kind === 'AWS' ? principalLink(data, p.id) : p.id))), h('details', null, h('summary', null, 'Trust policy'), pretty(r.AssumeRolePolicyDocument))),
    section('Attached policies', attachedPolicies(data, r.AttachedManagedPolicies)),
    section('Inline policies', ...inlinePolicies(r.RolePolicyList)),
    section('Tags', tagsTable(r.Tags)),
  )
}

export function groupDetail(data: Data, name: string): HTMLElement {
  const g = d(data).GroupDetailList?.find((x) => x.GroupName === name)
  if (!g) return notFound('groups')
  const members = (d(data).UserDetailList ?? []).filter((u) => u.GroupList?.includes(g.GroupName))
  return h('article', { 'aria-labelledby': 'title-detail' },
    h('h2', { id: 'title-detail' }, `Group ${g.GroupName}`),
    dl([['ARN', g.Arn], ['Path', g.Path], ['Created', date(g.CreateDate)]]),
    section('Members', members.length === 0 ? h('p', null, 'None.') : h('ul', null, members.map((u) => h('li', null, h('a', { href: link('users', u.UserName) }, u.UserName))))),
    section('Findings', findingsAbout(data, g.Arn)),
    section('Attached policies', attachedPolicies(data, g.AttachedManagedPolicies)),
    section('Inline policies', ...inlinePolicies(g.GroupPolicyList)),
  )
}

export function policyDetail(data: Data, arn: string, route?: Route): HTMLElement {
  const p = d(data).Policies?.find((x) => x.Arn === arn)
  if (!p) return notFound('policies')
  const versions = [...(p.PolicyVersionList ?? [])].sort((a, b) => Number(b.IsDefaultVersion) - Number(a.IsDefaultVersion) || b.VersionId.localeCompare(a.VersionId))
  const chosen = route?.params.get('version') ?? versions.find((v) => v.IsDefaultVersion)?.VersionId
  const highlight = Number(route?.params.get('statement') ?? 0)
  const flagged = new Map(data.findings.filter((f) => f.category === 'policy-version' && f.policy?.arn === p.Arn).map((f) => [f.detail[0], f]))
  const holders = data.attached.get(p.Arn) ?? []
  const bounds = data.bounds.get(p.Arn) ?? []
  return h('article', { 'aria-labelledby': 'title-detail' },
    h('h2', { id: 'title-detail' }, `Policy ${p.PolicyName}`),
    dl([['ARN', p.Arn], ['Description', p.Description ?? '—'], ['Default version', p.DefaultVersionId ?? '—'], ['Created', date(p.CreateDate)], ['Updated', date(p.UpdateDate)], ['Used as', bounds.length > 0 ? `boundary of ${bounds.length} principal${bounds.length === 1 ? '' : 's'}${holders.length > 0 ? `, attached to ${holders.length}` : ''}` : holders.length > 0 ? `attached to ${holders.length}` : 'not attached, and no one’s boundary']]),
    section('Attached to', holders.length === 0 ? h('p', null, 'No one.') : h('ul', null, holders.map((a) => h('li', null, principalLink(data, a))))),
    bounds.length > 0 && section('Permissions boundary of', h('ul', null, bounds.map((a) => h('li', null, principalLink(data, a))))),
    section('Findings', findingsAbout(data, '', p.Arn)),
    section('Versions', h('ul', null, versions.map((v) => {
      const flag = flagged.get(v.VersionId)
      return h('li', null,
        v.VersionId === chosen ? h('strong', null, v.VersionId) : h('a', { href: link('policies', p.Arn, { version: v.VersionId }) }, v.VersionId),
        v.IsDefaultVersion ? ' (default)' : ' (not the default: grants nothing until made the default)',
        flag ? h('span', { class: 'sev sev-high' }, ` ${flag.title}`) : '',
      )
    }))),
    versions.filter((v) => v.VersionId === chosen).map((v) => statementsOf(p, v.VersionId, decodeDocument(v.Document), v.Document, highlight)),
  )
}

/** A document statement by statement, each with its own link; the one a finding names highlighted. */
function statementsOf(p: ManagedPolicy, versionId: string, doc: PolicyDocument | undefined, raw: string | undefined, highlight: number): HTMLElement {
  if (!doc) return section(`Document (${versionId})`, h('pre', { class: 'doc', tabindex: 0 }, raw ?? ''))
  const list = statements(doc)
  return section(`Document (${versionId})`,
    h('p', null, `Version ${doc.Version ?? '(none)'}, ${list.length} statement${list.length === 1 ? '' : 's'}.`),
    h('ol', { class: 'statements' }, list.map((st, i) => {
      const n = i + 1
      const here = n === highlight
      return h('li', { id: `statement-${n}`, class: here ? 'statement highlighted' : 'statement', 'aria-current': here ? 'true' : undefined },
        h('a', { href: link('policies', p.Arn, { version: versionId, statement: String(n) }) }, st.Sid ? `${st.Sid} (#${n})` : `#${n}`),
        here ? ' — named by a finding or an answer' : '',
        h('pre', { class: 'doc', tabindex: 0 }, JSON.stringify(st, null, 2)),
      )
    })),
  )
}

// ---------------------------------------------------------------- findings

const CATEGORIES: ReadonlyArray<readonly [Category, string]> = [
  ['full-admin', 'Admin'],
  ['privilege-escalation', 'Privilege escalation'],
  ['resource-exposure', 'Resource exposure'],
  ['credentials-exposure', 'Credentials exposure'],
  ['data-exfiltration', 'Data exfiltration'],
  ['infrastructure-modification', 'Infrastructure modification'],
  ['service-wildcard', 'Service wildcard'],
  ['policy-version', 'Policy versions'],
  ['unattached-policy', 'Unattached policies'],
  ['trust', 'Risky trust'],
  ['credentials', 'Credentials'],
  ['unused', 'Unused roles'],
  ['inline-policy', 'Inline policies'],
]

export function findingsView(data: Data, route: Route): HTMLElement {
  const table = renderTable<Finding>({
    title: 'Findings', name: 'findings', params: route.params, rows: data.findings, sort: 'severity',
    columns: [
      { key: 'title', label: 'Finding', value: (f) => f.title, link: (f) => (f.policy?.kind === 'managed' ? link('policies', f.policy.arn) : (targetOf(f) ?? link('findings', undefined, { q: f.title }))) },
      { key: 'severity', label: 'Severity', value: (f) => f.severity, sortBy: (f) => SEVERITIES.indexOf(f.severity) },
      { key: 'category', label: 'Category', value: (f) => CATEGORIES.find(([c]) => c === f.category)?.[1] ?? f.category },
      { key: 'detail', label: 'Detail', value: (f) => (f.detail.length > 12 ? `${f.detail.slice(0, 12).join(', ')} and ${f.detail.length - 12} more` : f.detail.join(', ')) },
      { key: 'statements', label: 'Statements', value: (f) => f.statements.join(', ') },
      { key: 'principals', label: 'Reaches', value: (f) => f.principals.map((p) => p.split(':').pop() ?? p).join(', ') },
      { key: 'conditional', label: 'Conditional', value: (f) => (f.conditional ? 'yes' : 'no') },
      { key: 'why', label: 'Why it matters', value: (f) => f.why },
    ],
    filters: [
      { key: 'severity', label: 'Severity', options: SEVERITIES.map((s) => [s, s] as const), test: (f, v) => f.severity === v },
      { key: 'category', label: 'Category', options: CATEGORIES, test: (f, v) => f.category === v },
    ],
    text: (f) => `${f.title} ${f.detail.join(' ')} ${f.principals.join(' ')} ${f.policy?.name ?? ''}`,
    json: (f) => f,
  })
  return h('div', null,
    needs(data, 'GetAccountAuthorizationDetails'),
    (data.analysis.pending || !data.actions) && h('p', { role: 'status' }, data.analysis.pending ? 'Finding every path to admin; its findings follow.' : 'Reading access levels; the per-policy categories follow.'),
    data.account.credentialReport === null && h('p', { class: 'missing', role: 'note' }, 'No credential report: console MFA and access-key age are not checked until one is generated (aws iam generate-credential-report).'),
    table,
    h('p', null, h('button', { type: 'button', onclick: () => download('findings.json', 'application/json', JSON.stringify(data.findings, null, 2)) }, 'Export all findings as JSON')),
  )
}

function targetOf(f: Finding): string | undefined {
  if (f.category === 'privilege-escalation' || f.category === 'full-admin') return link('paths', f.principals[0])
  const arn = f.policy?.kind === 'inline' ? f.policy.arn : f.principals[0]
  const e = arn === undefined ? undefined : entityOf(arn)
  return e && e.kind !== 'policy' ? link(VIEW_OF[e.kind], e.name) : undefined
}
