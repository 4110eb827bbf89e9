// What is risky in an account, read from GetAccountAuthorizationDetails and the credential
// report: Cloudsplaining's categories (privilege escalation, resource exposure, data
// exfiltration, infrastructure modification) per policy, and beyond them full admin, risky
// trust, console users without MFA, stale access keys, unused roles, inline policies, and
// escalations that only a principal's policies together allow. Deny statements and NotAction are
// honoured; a statement with conditions makes its finding conditional, never drops it.
import { type Account, decodeDocument, defaultDocument, list, type PolicyDocument, type RoleDetail, type Statement, statements } from './model.js'

export type Severity = 'critical' | 'high' | 'medium' | 'low'
export type Category =
  | 'full-admin'
  | 'privilege-escalation'
  | 'resource-exposure'
  | 'data-exfiltration'
  | 'infrastructure-modification'
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
  /** the statements involved: their Sid, or their position (#1 is the first) */
  statements: string[]
  /** ARNs of the users, groups and roles it reaches */
  principals: string[]
  /** the actions (or escalation methods) found */
  detail: string[]
  conditional: boolean
}

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']

/** Known privilege-escalation methods: each needs every action listed (Rhino Security Labs' list, as Cloudsplaining uses it, and a few more). */
export const ESCALATIONS: ReadonlyArray<readonly [method: string, actions: readonly string[]]> = [
  ['CreateNewPolicyVersion', ['iam:CreatePolicyVersion']],
  ['SetExistingDefaultPolicyVersion', ['iam:SetDefaultPolicyVersion']],
  ['CreateAccessKey', ['iam:CreateAccessKey']],
  ['CreateLoginProfile', ['iam:CreateLoginProfile']],
  ['UpdateLoginProfile', ['iam:UpdateLoginProfile']],
  ['AttachUserPolicy', ['iam:AttachUserPolicy']],
  ['AttachGroupPolicy', ['iam:AttachGroupPolicy']],
  ['AttachRolePolicy', ['iam:AttachRolePolicy', 'sts:AssumeRole']],
  ['PutUserPolicy', ['iam:PutUserPolicy']],
  ['PutGroupPolicy', ['iam:PutGroupPolicy']],
  ['PutRolePolicy', ['iam:PutRolePolicy', 'sts:AssumeRole']],
  ['AddUserToGroup', ['iam:AddUserToGroup']],
  ['UpdateRolePolicyToAssumeIt', ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole']],
  ['PassExistingRoleToNewEc2Instance', ['iam:PassRole', 'ec2:RunInstances']],
  ['PassExistingRoleToNewLambdaThenInvoke', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']],
  ['PassExistingRoleToNewLambdaThenTriggerWithEventSource', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping']],
  ['EditExistingLambdaFunctionWithRole', ['lambda:UpdateFunctionCode']],
  ['PassExistingRoleToNewGlueDevEndpoint', ['iam:PassRole', 'glue:CreateDevEndpoint']],
  ['UpdateExistingGlueDevEndpoint', ['glue:UpdateDevEndpoint']],
  ['PassExistingRoleToCloudFormation', ['iam:PassRole', 'cloudformation:CreateStack']],
  ['PassExistingRoleToNewDataPipeline', ['iam:PassRole', 'datapipeline:CreatePipeline']],
  ['PassExistingRoleToNewSageMakerNotebook', ['iam:PassRole', 'sagemaker:CreateNotebookInstance']],
  ['PassExistingRoleToNewCodeBuildProject', ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild']],
]

/** Actions that change who may reach a resource (its resource policy, ACL or sharing). */
export const RESOURCE_EXPOSURE = [
  'iam:UpdateAssumeRolePolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:PutObjectAcl', 's3:PutAccessPointPolicy',
  'kms:PutKeyPolicy', 'kms:CreateGrant', 'lambda:AddPermission', 'lambda:AddLayerVersionPermission', 'sns:AddPermission', 'sns:SetTopicAttributes',
  'sqs:AddPermission', 'sqs:SetQueueAttributes', 'ecr:SetRepositoryPolicy', 'secretsmanager:PutResourcePolicy', 'glacier:SetVaultAccessPolicy',
  'elasticfilesystem:PutFileSystemPolicy', 'logs:PutResourcePolicy', 'events:PutPermission', 'backup:PutBackupVaultAccessPolicy', 'glue:PutResourcePolicy',
  'ram:CreateResourceShare', 'ec2:ModifySnapshotAttribute', 'ec2:ModifyImageAttribute', 'rds:ModifyDBSnapshotAttribute', 'apigateway:UpdateRestApiPolicy',
] as const

/** Actions that read data out: objects, parameters, secrets. */
export const DATA_EXFILTRATION = ['s3:GetObject', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'secretsmanager:GetSecretValue'] as const

// an action name that writes or changes something
const WRITE_VERB = /^(Create|Delete|Put|Update|Attach|Detach|Modify|Run|Terminate|Start|Stop|Reboot|Add|Remove|Set|Replace|Associate|Disassociate|Enable|Disable|Import|Register|Deregister|Revoke|Authorize|Tag|Untag|Upload|Restore|Reset|Change|Cancel|Invoke|Publish|Send|Write|Execute|Deploy|Copy|Rotate|Accept|Reject|Apply|Pass)/

const DAY_MS = 86_400_000
/** Keys, passwords and roles older (or unused for longer) than this are flagged. */
export const STALE_DAYS = 90

interface Sourced {
  st: Statement
  /** Sid, or #n */
  label: string
  policy: PolicyRef
}

// a pattern with * and ? (IAM's wildcards), compared without case
const patterns = new Map<string, RegExp>()
function matches(pattern: string, action: string): boolean {
  let re = patterns.get(pattern)
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')
    patterns.set(pattern, re)
  }
  return re.test(action)
}

/** Whether a statement's Action (or its NotAction) covers `action`. */
function coversAction(st: Statement, action: string): boolean {
  if (st.NotAction !== undefined) return !list(st.NotAction).some((p) => matches(p, action))
  return list(st.Action).some((p) => matches(p, action))
}

/** Resource "*" (or a NotResource): not narrowed to named resources. */
const anyResource = (st: Statement): boolean => (st.NotResource !== undefined ? true : list(st.Resource).some((r) => r === '*'))

const conditional = (st: Statement): boolean => st.Condition !== undefined && Object.keys(st.Condition).length > 0

const isAllow = (st: Statement): boolean => st.Effect === 'Allow'

/** An unconditional Deny on every resource covers `action`. */
const denied = (set: readonly Sourced[], action: string): boolean => set.some((s) => s.st.Effect === 'Deny' && !conditional(s.st) && anyResource(s.st) && coversAction(s.st, action))

/**
 * The statement allowing `action`, unless an unconditional Deny on every resource takes it away;
 * an unconditional allow is preferred. `anywhere`: only an allow on every resource counts.
 */
function allowing(set: readonly Sourced[], action: string, anywhere: boolean): Sourced | undefined {
  if (denied(set, action)) return undefined
  let found: Sourced | undefined
  for (const s of set) {
    if (!isAllow(s.st) || !coversAction(s.st, action) || (anywhere && !anyResource(s.st))) continue
    if (!conditional(s.st)) return s
    found ??= s
  }
  return found
}

function sourced(doc: PolicyDocument | undefined, policy: PolicyRef): Sourced[] {
  return statements(doc).map((st, i) => ({ st, label: st.Sid ? st.Sid : `#${i + 1}`, policy }))
}

/** Every escalation method the statements allow, with the statements used. */
function escalations(set: readonly Sourced[]): Array<{ method: string; used: Sourced[] }> {
  const out: Array<{ method: string; used: Sourced[] }> = []
  for (const [method, actions] of ESCALATIONS) {
    const used: Sourced[] = []
    for (const action of actions) {
      const s = allowing(set, action, false)
      if (!s) break
      used.push(s)
    }
    if (used.length === actions.length) out.push({ method, used })
  }
  // assuming any role at all: every role whose trust allows this account
  const assume = allowing(set, 'sts:AssumeRole', true)
  if (assume) out.push({ method: 'AssumeAnyRole', used: [assume] })
  return out
}

const labels = (used: readonly Sourced[]): string[] => [...new Set(used.map((s) => s.label))]

/** The account id the details belong to, read from their ARNs. */
export function accountIdOf(account: Account): string | undefined {
  const d = account.details
  const arn = d.UserDetailList?.[0]?.Arn ?? d.RoleDetailList?.[0]?.Arn ?? d.GroupDetailList?.[0]?.Arn ?? d.Policies?.find((p) => !p.Arn.includes('::aws:'))?.Arn
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

/** Every finding of the account, most severe first. */
export function findings(account: Account, now: Date = new Date()): Finding[] {
  const d = account.details
  const out: Finding[] = []
  const groupUsers = members(account)
  const attached = attachments(account, groupUsers)

  // policy by policy, as Cloudsplaining reads them
  const policyFindings = (doc: PolicyDocument | undefined, policy: PolicyRef, principals: string[]) => {
    const set = sourced(doc, policy)
    const admin = set.find((s) => isAllow(s.st) && list(s.st.Action).includes('*') && anyResource(s.st))
    if (admin && allowing(set, '*', true)) {
      out.push({ id: `full-admin:${policy.arn}:${policy.name}`, severity: 'critical', category: 'full-admin', title: `${policy.name} allows every action on every resource`, why: 'Whoever holds it can do anything in the account, including granting themselves and others more.', policy, statements: [admin.label], principals, detail: ['*'], conditional: conditional(admin.st) })
    }
    const esc = escalations(set)
    if (esc.length > 0) {
      const used = esc.flatMap((e) => e.used)
      out.push({ id: `privilege-escalation:${policy.arn}:${policy.name}`, severity: 'high', category: 'privilege-escalation', title: `${policy.name} allows privilege escalation`, why: 'These actions let a principal gain permissions it was not given, up to full admin.', policy, statements: labels(used), principals, detail: esc.map((e) => e.method), conditional: used.every((s) => conditional(s.st)) })
    }
    const group = (category: Category, actions: readonly string[], severity: Severity, title: string, why: string) => {
      const hits = actions.map((a) => [a, allowing(set, a, true)] as const).filter((h): h is readonly [string, Sourced] => h[1] !== undefined)
      if (hits.length === 0) return
      out.push({ id: `${category}:${policy.arn}:${policy.name}`, severity, category, title: `${policy.name} ${title}`, why, policy, statements: labels(hits.map((h) => h[1])), principals, detail: hits.map((h) => h[0]), conditional: hits.every((h) => conditional(h[1].st)) })
    }
    group('resource-exposure', RESOURCE_EXPOSURE, 'high', 'can change who may reach resources', 'Resource policies, ACLs and grants changed on any resource can open it to other accounts or the public.')
    group('data-exfiltration', DATA_EXFILTRATION, 'medium', 'can read data out of any resource', 'Objects, parameters and secrets readable on every resource can leave the account.')
    const writes = new Set<string>()
    const writeStatements: Sourced[] = []
    for (const s of set) {
      if (!isAllow(s.st) || !anyResource(s.st)) continue
      const names = s.st.NotAction !== undefined ? ['NotAction'] : list(s.st.Action).filter((a) => a !== '*' && (/:\*$/.test(a) || WRITE_VERB.test(a.split(':')[1] ?? '')))
      for (const a of names) {
        if (a !== 'NotAction' && denied(set, a)) continue
        writes.add(a === 'NotAction' ? `all but ${list(s.st.NotAction).join(', ')}` : a)
        writeStatements.push(s)
      }
    }
    if (writes.size > 0 && !admin) {
      out.push({ id: `infrastructure-modification:${policy.arn}:${policy.name}`, severity: 'medium', category: 'infrastructure-modification', title: `${policy.name} can change infrastructure on any resource`, why: 'Write actions without a resource constraint can create, change or delete anything of their kind.', policy, statements: labels(writeStatements), principals, detail: [...writes], conditional: writeStatements.every((s) => conditional(s.st)) })
    }
    return set
  }

  const principalSets = new Map<string, Sourced[]>()
  const addTo = (principal: string, set: Sourced[]) => principalSets.set(principal, [...(principalSets.get(principal) ?? []), ...set])

  const managedSets = new Map<string, Sourced[]>()
  for (const p of d.Policies ?? []) {
    const principals = attached.get(p.Arn) ?? []
    // AWS managed policies nobody holds are not the account's risk
    if (principals.length === 0 && p.Arn.includes(':aws:policy/')) continue
    managedSets.set(p.Arn, policyFindings(defaultDocument(p), { name: p.PolicyName, kind: 'managed', arn: p.Arn }, principals))
  }
  const inline = (owner: { arn: string; name: string }, list_: { PolicyName: string; PolicyDocument: string }[] | undefined, principals: string[], kind: string) => {
    for (const ip of list_ ?? []) {
      const ref: PolicyRef = { name: ip.PolicyName, kind: 'inline', arn: owner.arn }
      const set = policyFindings(decodeDocument(ip.PolicyDocument), ref, principals)
      for (const p of principals) addTo(p, set)
      out.push({ id: `inline-policy:${owner.arn}:${ip.PolicyName}`, severity: 'low', category: 'inline-policy', title: `Inline policy ${ip.PolicyName} on ${kind} ${owner.name}`, why: 'Inline policies live with one principal: they are not reused, versioned or reviewed with managed policies.', policy: ref, statements: [], principals, detail: [], conditional: false })
    }
  }
  for (const u of d.UserDetailList ?? []) inline({ arn: u.Arn, name: u.UserName }, u.UserPolicyList, [u.Arn], 'user')
  for (const g of d.GroupDetailList ?? []) inline({ arn: g.Arn, name: g.GroupName }, g.GroupPolicyList, [g.Arn, ...(groupUsers.get(g.GroupName) ?? [])], 'group')
  for (const r of d.RoleDetailList ?? []) inline({ arn: r.Arn, name: r.RoleName }, r.RolePolicyList, [r.Arn], 'role')
  for (const [arn, principals] of attached) {
    // (an attached policy the details do not list has no document to read)
    const set = managedSets.get(arn) ?? []
    for (const p of principals) addTo(p, set)
  }

  // escalations only a principal's policies together allow
  for (const [principal, set] of principalSets) {
    if (principal.includes(':group/')) continue
    const combined = escalations(set).filter((e) => new Set(e.used.map((s) => `${s.policy.arn}:${s.policy.name}`)).size > 1)
    if (combined.length === 0) continue
    const used = combined.flatMap((e) => e.used)
    out.push({ id: `privilege-escalation:${principal}:combined`, severity: 'high', category: 'privilege-escalation', title: `${nameOf(principal)} can escalate through its policies together`, why: 'No single policy allows it, but the policies this principal holds add up to an escalation path.', statements: labels(used), principals: [principal], detail: combined.map((e) => `${e.method} (${[...new Set(e.used.map((s) => s.policy.name))].join(' + ')})`), conditional: used.every((s) => conditional(s.st)) })
  }

  const self = accountIdOf(account)
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
  const rank = (s: Severity) => SEVERITIES.indexOf(s)
  return out.sort((a, b) => rank(a.severity) - rank(b.severity) || a.category.localeCompare(b.category) || a.title.localeCompare(b.title))
}

const nameOf = (arn: string): string => arn.split('/').pop() ?? arn

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

/** The statement's conditions name sts:ExternalId (under any operator). */
export const hasExternalId = (st: Statement): boolean => Object.values(st.Condition ?? {}).some((block) => Object.keys(block).some((k) => k.toLowerCase() === 'sts:externalid'))

function trustFindings(role: RoleDetail, self: string | undefined): Finding[] {
  const out: Finding[] = []
  statements(decodeDocument(role.AssumeRolePolicyDocument)).forEach((st, i) => {
    if (!isAllow(st)) return
    const label = st.Sid ? st.Sid : `#${i + 1}`
    for (const p of trustedPrincipals(st)) {
      if (p.kind === '*') {
        out.push({ id: `trust:${role.Arn}:*`, severity: 'critical', category: 'trust', title: `Role ${role.RoleName} trusts anyone (*)`, why: 'Any AWS principal anywhere may assume it' + (conditional(st) ? ', subject to its conditions.' : '.'), statements: [label], principals: [role.Arn], detail: ['*'], conditional: conditional(st) })
        continue
      }
      if (p.kind !== 'AWS') continue
      const account = principalAccount(p.id)
      if (account && account !== self && !hasExternalId(st)) {
        out.push({ id: `trust:${role.Arn}:${p.id}`, severity: 'high', category: 'trust', title: `Role ${role.RoleName} trusts account ${account} without an external id`, why: 'Another account may assume it with no sts:ExternalId condition: the confused-deputy case when that account is a vendor.', statements: [label], principals: [role.Arn], detail: [p.id], conditional: conditional(st) })
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
