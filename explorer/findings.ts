// What is risky in an account. Who is admin and who can become admin come from iam-edge/policy's
// evaluation (every policy of the principal, its boundary and every Deny applied; every path,
// each hop with its statements); Cloudsplaining's per-policy categories come from the evaluator
// and the action data (categories.ts, once that data has loaded); beyond them: non-default policy
// versions that grant admin, unattached policies apart from live grants, risky trust (anyone,
// other accounts, OIDC and SAML providers without the conditions that pin them), console users
// without MFA, stale keys, unused roles and inline policies. Conditions never drop a finding:
// they make it conditional.
import { ADMIN_PROBES, evaluate, type EscalationPath, type ParsedPolicy } from '../src/policy/index.js'
import { type Analysis, locate } from './analysis.js'
import { entityOf } from './entity.js'
import { type Account, decodeDocument, list, type RoleDetail, type Statement, statements } from './model.js'

export type Severity = 'critical' | 'high' | 'medium' | 'low'
export type Category =
  | 'full-admin'
  | 'privilege-escalation'
  | 'resource-exposure'
  | 'credentials-exposure'
  | 'data-exfiltration'
  | 'infrastructure-modification'
  | 'service-wildcard'
  | 'policy-version'
  | 'unattached-policy'
  | 'trust'
  | 'credentials'
  | 'unused'
  | 'inline-policy'

export interface PolicyRef {
  name: string
  kind: 'managed' | 'inline'
  /** managed: the policy's ARN; inline: the ARN of the user, group or role that holds it */
  arn: string
}

export interface Finding {
  /** stable across loads: category, policy or principal, detail */
  id: string
  severity: Severity
  category: Category
  title: string
  /** why it matters, in one sentence */
  why: string
  policy?: PolicyRef
  /** the statements involved: their Sid, or their position (#1 is the first); evaluated findings name the policy too */
  statements: string[]
  /** ARNs of the users, groups and roles it reaches */
  principals: string[]
  /** the actions (or escalation methods) found */
  detail: string[]
  /** rests on conditions: for a path to admin, every path has a conditional step */
  conditional: boolean
  /** privilege escalation: every path found, shortest first */
  paths?: EscalationPath[]
}

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']

const DAY_MS = 86_400_000
/** Keys, passwords and roles older (or unused for longer) than this are flagged. */
export const STALE_DAYS = 90

const conditional = (st: Statement): boolean => st.Condition !== undefined && Object.keys(st.Condition).length > 0

const isAllow = (st: Statement): boolean => st.Effect === 'Allow'

/** The account id the details belong to, read from their ARNs. */
export function accountIdOf(account: Account): string | undefined {
  const d = account.details
  const arn = d.UserDetailList?.[0]?.Arn ?? d.RoleDetailList?.[0]?.Arn ?? d.GroupDetailList?.[0]?.Arn ?? d.Policies?.find((p) => entityOf(p.Arn)?.account !== 'aws')?.Arn
  return arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined
}

/** Group name → the ARNs of its users. */
function members(account: Account): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const u of account.details.UserDetailList ?? []) for (const g of u.GroupList ?? []) out.set(g, [...(out.get(g) ?? []), u.Arn])
  return out
}

/** Users, groups and roles each managed policy is attached to (a group's users included). */
export function attachments(account: Account, groupUsers = members(account)): Map<string, string[]> {
  const d = account.details
  const out = new Map<string, string[]>()
  const add = (policyArn: string, principal: string) => {
    const l = out.get(policyArn) ?? []
    if (!l.includes(principal)) l.push(principal)
    out.set(policyArn, l)
  }
  for (const u of d.UserDetailList ?? []) for (const p of u.AttachedManagedPolicies ?? []) add(p.PolicyArn, u.Arn)
  for (const r of d.RoleDetailList ?? []) for (const p of r.AttachedManagedPolicies ?? []) add(p.PolicyArn, r.Arn)
  for (const g of d.GroupDetailList ?? []) {
    for (const p of g.AttachedManagedPolicies ?? []) {
      add(p.PolicyArn, g.Arn)
      for (const u of groupUsers.get(g.GroupName) ?? []) add(p.PolicyArn, u)
    }
  }
  return out
}

/** Policy ARN → the users and roles it bounds (their permissions boundary). */
export function boundaries(account: Account): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const e of [...(account.details.UserDetailList ?? []), ...(account.details.RoleDetailList ?? [])]) {
    const arn = e.PermissionsBoundary?.PermissionsBoundaryArn
    if (arn) out.set(arn, [...(out.get(arn) ?? []), e.Arn])
  }
  return out
}

/** A service-linked role's AWS managed policy (`policy/aws-service-role/…`): the customer cannot change it. */
export const serviceLinkedPolicy = (arn: string): boolean => arn.includes(':policy/aws-service-role/')

const describe = (arn: string): string => {
  const e = entityOf(arn)
  return e ? `${e.kind === 'user' ? 'User' : e.kind === 'role' ? 'Role' : e.kind === 'group' ? 'Group' : 'Policy'} ${e.name}` : arn
}

/** Whether a policy alone allows every admin probe on every resource (its own Denies applied). */
export function grantsAdmin(policy: ParsedPolicy, account: string): boolean {
  const caller = { arn: `arn:aws:iam::${account}:user/policy-review`, account, type: 'user' as const }
  return ADMIN_PROBES.every((action) => evaluate({ action, resource: '*', caller, context: new Map(), resourceAccount: account }, { identity: [policy] }).decision === 'allowed')
}

/** The policies a path rests on, by name. */
const policiesOf = (path: EscalationPath): Set<string> => new Set(path.Hops.flatMap((h) => h.Permissions.flatMap((p) => p.MatchedStatements.map((m) => m.SourcePolicyId ?? '?'))))

/** Every finding that needs no action data, most severe first. */
export function findings(account: Account, analysis: Analysis, now: Date = new Date()): Finding[] {
  const d = account.details
  const out: Finding[] = []
  const groupUsers = members(account)
  const attached = attachments(account, groupUsers)
  const bounds = boundaries(account)
  const self = accountIdOf(account) ?? analysis.model.id

  // who is admin, and who can become admin: one finding per principal (once the search has run)
  out.push(...escalationFindings(analysis))

  // managed policies: versions that grant admin beside a default that does not; unattached admin grants apart
  for (const p of analysis.model.policies.values()) {
    if (p.kind === 'aws-managed') continue
    const ref: PolicyRef = { name: p.name, kind: 'managed', arn: p.arn }
    const defaultAdmin = p.document ? grantsAdmin(p.document, self) : false
    for (const v of p.versions) {
      if (v.isDefault || defaultAdmin || !grantsAdmin(v.document, self)) continue
      out.push({ id: `policy-version:${p.arn}:${v.versionId}`, severity: 'high', category: 'policy-version', title: `${p.name} ${v.versionId} grants admin; the default ${p.defaultVersionId ?? ''} does not`, why: 'One iam:SetDefaultPolicyVersion makes every holder of this policy admin: delete versions you do not mean to go back to.', policy: ref, statements: [], principals: attached.get(p.arn) ?? [], detail: [v.versionId], conditional: false })
    }
    if ((attached.get(p.arn) ?? []).length === 0 && !bounds.has(p.arn) && defaultAdmin) {
      out.push({ id: `unattached-policy:${p.arn}`, severity: 'low', category: 'unattached-policy', title: `${p.name} grants admin but is attached to no one`, why: 'Not a live grant: one attachment away from making its holder admin.', policy: ref, statements: [], principals: [], detail: ['admin'], conditional: false })
    }
  }

  const inline = (owner: { arn: string; name: string }, list_: { PolicyName: string }[] | undefined, principals: string[], kind: string) => {
    for (const ip of list_ ?? []) {
      const ref: PolicyRef = { name: ip.PolicyName, kind: 'inline', arn: owner.arn }
      out.push({ id: `inline-policy:${owner.arn}:${ip.PolicyName}`, severity: 'low', category: 'inline-policy', title: `Inline policy ${ip.PolicyName} on ${kind} ${owner.name}`, why: 'Inline policies live with one principal: they are not reused, versioned or reviewed with managed policies.', policy: ref, statements: [], principals, detail: [], conditional: false })
    }
  }
  for (const u of d.UserDetailList ?? []) inline({ arn: u.Arn, name: u.UserName }, u.UserPolicyList, [u.Arn], 'user')
  for (const g of d.GroupDetailList ?? []) inline({ arn: g.Arn, name: g.GroupName }, g.GroupPolicyList, [g.Arn, ...(groupUsers.get(g.GroupName) ?? [])], 'group')
  for (const r of d.RoleDetailList ?? []) if (!r.Path.startsWith('/aws-service-role/')) inline({ arn: r.Arn, name: r.RoleName }, r.RolePolicyList, [r.Arn], 'role')

  for (const r of d.RoleDetailList ?? []) out.push(...trustFindings(r, self))

  for (const row of account.credentialReport ?? []) out.push(...credentialFindings(row, now))

  for (const r of d.RoleDetailList ?? []) {
    if (r.Path.startsWith('/aws-service-role/')) continue
    const last = r.RoleLastUsed?.LastUsedDate
    const since = Date.parse(last ?? r.CreateDate)
    if (Number.isFinite(since) && now.getTime() - since > STALE_DAYS * DAY_MS) {
      out.push({ id: `unused:${r.Arn}`, severity: 'low', category: 'unused', title: `Role ${r.RoleName} unused for ${STALE_DAYS}+ days`, why: 'A role nobody uses is standing access nobody watches; remove it or narrow its trust.', statements: [], principals: [r.Arn], detail: [last ? `last used ${last.slice(0, 10)}` : `never used, created ${r.CreateDate.slice(0, 10)}`], conditional: false })
    }
  }
  return sortFindings(out)
}

/** Who is admin and who can become admin: one finding per principal, from the search for paths (none while it is pending). */
export function escalationFindings(analysis: Analysis): Finding[] {
  const out: Finding[] = []
  for (const e of analysis.escalations.values()) {
    const located = (m: Parameters<typeof locate>[2]) => locate(analysis.model, e.PrincipalArn, m).label
    if (e.IsAdmin) {
      const statementsOf = [...new Set((e.AdminStatements ?? []).map(located))]
      out.push({ id: `full-admin:${e.PrincipalArn}`, severity: 'critical', category: 'full-admin', title: `${describe(e.PrincipalArn)} is admin`, why: 'After every policy, its boundary and every Deny, it can do anything in the account, including granting others more.', statements: statementsOf, principals: [e.PrincipalArn], detail: [...new Set((e.AdminStatements ?? []).map((m) => m.SourcePolicyId ?? '?'))], conditional: e.Conditional })
      continue
    }
    if (e.Paths.length === 0) continue
    const first = [...new Set(e.Paths.map((p) => `${p.Hops[0]?.MethodId} ${p.Hops[0]?.Method}`))]
    // a path no single policy allows: the policies together are the finding
    const together = e.Paths.every((p) => policiesOf(p).size > 1)
    const used = [...new Set(e.Paths.flatMap((p) => p.Hops.flatMap((h) => h.Permissions.flatMap((x) => x.MatchedStatements.map(located)))))]
    out.push({
      id: `privilege-escalation:${e.PrincipalArn}`,
      severity: e.Conditional ? 'high' : 'critical',
      category: 'privilege-escalation',
      title: `${describe(e.PrincipalArn)} can become admin${together ? ' through its policies together' : ''}`,
      why: `${e.Paths.length}${e.Truncated ? '+' : ''} path${e.Paths.length === 1 ? '' : 's'}, the shortest ${e.Paths[0]?.Hops.length} hop${e.Paths[0]?.Hops.length === 1 ? '' : 's'}: it can gain permissions it was not given, up to full admin.`,
      statements: used,
      principals: [e.PrincipalArn],
      detail: first,
      conditional: e.Conditional,
      paths: e.Paths,
    })
  }

  return out
}

/** Most severe first, then by category and title. */
export function sortFindings(list: Finding[]): Finding[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s)
  return list.sort((a, b) => rank(a.severity) - rank(b.severity) || a.category.localeCompare(b.category) || a.title.localeCompare(b.title))
}

/** The most severe finding naming each principal: the risk column. */
export function riskOf(list: readonly Finding[]): Map<string, Severity> {
  const out = new Map<string, Severity>()
  for (const f of list) {
    for (const p of f.principals) {
      const known = out.get(p)
      if (known === undefined || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(known)) out.set(p, f.severity)
    }
  }
  return out
}

/** The principals a trust statement names, by kind. */
export function trustedPrincipals(st: Statement): Array<{ kind: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*'; id: string }> {
  const p = st.Principal
  if (p === undefined) return []
  if (typeof p === 'string') return [{ kind: '*', id: p }]
  const out: Array<{ kind: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*'; id: string }> = []
  for (const [kind, ids] of Object.entries(p)) for (const id of list(ids)) out.push({ kind: id === '*' ? '*' : (kind as 'AWS'), id })
  return out
}

/** The account id an AWS principal belongs to (`123456789012`, `arn:aws:iam::123456789012:…`). */
export function principalAccount(id: string): string | undefined {
  return /^\d{12}$/.test(id) ? id : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(id)?.[1]
}


/** The values a statement's conditions give a key (any operator; the key ignores case). */
function conditionValues(st: Statement, key: string): string[] | undefined {
  let found: string[] | undefined
  for (const block of Object.values(st.Condition ?? {})) {
    for (const [k, v] of Object.entries(block)) if (k.toLowerCase() === key.toLowerCase()) found = [...(found ?? []), ...list(v as string | string[]).map(String)]
  }
  return found
}

/** The statement pins the caller to an organization (aws:PrincipalOrgID, or aws:PrincipalOrgPaths). */
export const orgGuarded = (st: Statement): boolean => conditionValues(st, 'aws:PrincipalOrgID') !== undefined || conditionValues(st, 'aws:PrincipalOrgPaths') !== undefined

/** An external id that protects: named, and not `*` (a wildcard matches whatever the caller sends). */
export const externalIdGuard = (st: Statement): boolean => {
  const values = conditionValues(st, 'sts:ExternalId')
  return values !== undefined && values.length > 0 && !values.some((v) => /^[*?]*$/.test(v))
}

const GITHUB = 'token.actions.githubusercontent.com'
const COGNITO = 'cognito-identity.amazonaws.com'

/** The OIDC provider a Federated principal names: its host (`token.actions.githubusercontent.com`), or undefined for SAML. */
function oidcHost(id: string): string | undefined {
  const m = /:oidc-provider\/(.+)$/.exec(id)
  if (m) return m[1]
  if (id.includes(':saml-provider/')) return undefined
  return id.includes('.') ? id : undefined
}

function trustFindings(role: RoleDetail, self: string | undefined): Finding[] {
  const out: Finding[] = []
  if (role.Path.startsWith('/aws-service-role/')) return out
  const finding = (key: string, severity: Severity, title: string, why: string, label: string, detail: string, st: Statement): Finding => ({ id: `trust:${role.Arn}:${key}`, severity, category: 'trust', title: `Role ${role.RoleName} ${title}`, why, statements: [label], principals: [role.Arn], detail: [detail], conditional: conditional(st) })
  statements(decodeDocument(role.AssumeRolePolicyDocument)).forEach((st, i) => {
    if (!isAllow(st)) return
    const label = st.Sid ? st.Sid : `#${i + 1}`
    for (const p of trustedPrincipals(st)) {
      if (p.kind === '*') {
        if (orgGuarded(st)) continue
        out.push(finding('*', 'critical', 'trusts anyone (*)', `Any AWS principal anywhere may assume it${conditional(st) ? ', subject to its conditions' : ''}.`, label, '*', st))
      } else if (p.kind === 'AWS') {
        const account = principalAccount(p.id)
        if (account && account !== self && !externalIdGuard(st) && !orgGuarded(st)) {
          const wildcard = conditionValues(st, 'sts:ExternalId') !== undefined
          out.push(finding(p.id, 'high', `trusts account ${account} without ${wildcard ? 'a real' : 'an'} external id`, wildcard ? 'Its sts:ExternalId condition is a wildcard: it matches whatever the caller sends, so it protects nothing.' : 'Another account may assume it with no sts:ExternalId condition: the confused-deputy case when that account is a vendor.', label, p.id, st))
        }
      } else if (p.kind === 'Federated') {
        if (p.id.includes(':saml-provider/')) {
          if (conditionValues(st, 'SAML:aud') === undefined) out.push(finding(p.id, 'high', 'trusts a SAML provider without SAML:aud', 'Without SAML:aud, an assertion the provider issued for any other service provider signs in here too.', label, p.id, st))
          continue
        }
        const host = oidcHost(p.id)
        if (host === undefined) continue
        if (host === GITHUB) {
          const subs = conditionValues(st, `${GITHUB}:sub`)
          if (subs === undefined) out.push(finding(p.id, 'critical', 'trusts every GitHub repository (no sub condition)', 'Any GitHub Actions workflow, in any repository of anyone, can assume it.', label, p.id, st))
          else if (subs.some((v) => /^(\*|repo:\*)/.test(v) || /^repo:[^/]*[*?][^/]*\//.test(v))) out.push(finding(p.id, 'critical', `trusts any GitHub repository (sub ${subs.join(', ')})`, 'Its sub condition leaves the repository owner open: workflows of other organizations match.', label, p.id, st))
        } else if (host === COGNITO) {
          const missing = ['aud', 'amr'].filter((k) => conditionValues(st, `${COGNITO}:${k}`) === undefined)
          if (missing.length > 0) out.push(finding(p.id, 'high', `trusts Cognito without ${missing.map((k) => `${COGNITO}:${k}`).join(' and ')}`, 'Without aud any identity pool can assume it; without amr unauthenticated identities can too.', label, p.id, st))
        } else if (conditionValues(st, `${host}:aud`) === undefined && conditionValues(st, `${host}:azp`) === undefined) {
          out.push(finding(p.id, 'high', `trusts the OIDC provider ${host} without an audience`, 'Without an aud condition, a token the provider issued to any client application can assume it.', label, p.id, st))
        }
      }
    }
  })
  return out
}

function credentialFindings(row: Record<string, string>, now: Date): Finding[] {
  const out: Finding[] = []
  const who = row.user ?? '?'
  const arn = row.arn ?? who
  const old = (value: string | undefined) => {
    const t = Date.parse(value ?? '')
    return Number.isFinite(t) && now.getTime() - t > STALE_DAYS * DAY_MS
  }
  if (row.password_enabled === 'true' && row.mfa_active === 'false') {
    out.push({ id: `credentials:${arn}:mfa`, severity: 'high', category: 'credentials', title: `${who} signs in to the console without MFA`, why: 'A password alone is one phishing page away from the account.', statements: [], principals: [arn], detail: ['password enabled', 'no MFA device'], conditional: false })
  }
  for (const n of ['1', '2']) {
    if (row[`access_key_${n}_active`] !== 'true') continue
    const rotated = row[`access_key_${n}_last_rotated`]
    const used = row[`access_key_${n}_last_used_date`]
    if (old(rotated)) {
      out.push({ id: `credentials:${arn}:key${n}:age`, severity: 'medium', category: 'credentials', title: `${who}'s access key ${n} is older than ${STALE_DAYS} days`, why: 'Long-lived keys leak into laptops, logs and repositories; rotate them.', statements: [], principals: [arn], detail: [`created ${String(rotated).slice(0, 10)}`], conditional: false })
    }
    // the report says N/A (or no_information) for a key never used
    const never = used === undefined || used === 'N/A' || used === 'no_information'
    if (never ? old(rotated) : old(used)) {
      out.push({ id: `credentials:${arn}:key${n}:unused`, severity: 'medium', category: 'credentials', title: `${who}'s access key ${n} unused for ${STALE_DAYS}+ days`, why: 'An active key nobody uses is risk with no benefit: deactivate it.', statements: [], principals: [arn], detail: [never ? 'never used' : `last used ${used.slice(0, 10)}`], conditional: false })
    }
  }
  return out
}
