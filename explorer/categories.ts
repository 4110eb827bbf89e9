// Cloudsplaining's per-policy categories, read with the evaluator and the action data: what a
// policy allows on every resource (`Resource: "*"`, or a NotResource), after its own Denies, by
// access level — Permissions management is resource exposure, Write and Tagging infrastructure
// modification — plus data exfiltration, credentials exposure and whole-service wildcards. A
// statement that holds only under conditions makes its part of a finding conditional. Only
// the actions a policy's Allow statements name are evaluated, so a narrow policy costs a few
// evaluations and `Action: "*"` one per action of the categories.
import { type ActionData, evaluate, type ParsedPolicy } from '../src/policy/index.js'
import type { Analysis } from './analysis.js'
import { type Finding, grantsAdmin, type PolicyRef, type Severity, serviceLinkedPolicy } from './findings.js'

/** Actions that read data out (Cloudsplaining's list). */
export const DATA_EXFILTRATION = ['s3:GetObject', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'secretsmanager:GetSecretValue']

/** Actions whose answer is a credential: keys, passwords, tokens, sessions (Cloudsplaining's list). */
export const CREDENTIALS_EXPOSURE = [
  'chime:CreateApiKey',
  'codepipeline:PollForJobs',
  'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-identity:GetCredentialsForIdentity',
  'connect:GetFederationToken',
  'connect:GetFederationTokens',
  'ec2:GetPasswordData',
  'ecr:GetAuthorizationToken',
  'gamelift:RequestUploadCredentials',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateAccessKey',
  'lightsail:GetInstanceAccessDetails',
  'lightsail:GetRelationalDatabaseMasterUserPassword',
  'rds-db:Connect',
  'redshift:GetClusterCredentials',
  'sso:GetRoleCredentials',
  'mediapackage:RotateChannelCredentials',
  'mediapackage:RotateIngestEndpointCredentials',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSaml',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
]

export interface PolicyUnderReview {
  ref: PolicyRef
  document: ParsedPolicy
  /** the users, groups and roles that hold it */
  principals: string[]
  account: string
}

interface Category {
  key: 'resource-exposure' | 'infrastructure-modification' | 'data-exfiltration' | 'credentials-exposure'
  severity: Severity
  title: string
  why: string
  actions: (data: ActionData) => ReadonlySet<string>
}

/** A list's actions as the action data spells them (the lists write rds-db:Connect, AWS rds-db:connect). */
const inAwsSpelling = (data: ActionData, list: readonly string[]): Set<string> => new Set(list.map((a) => data.action(a)?.action ?? a))

const union = (...sets: ReadonlyArray<ReadonlySet<string>>): Set<string> => new Set(sets.flatMap((s) => [...s]))

const CATEGORIES: readonly Category[] = [
  {
    key: 'resource-exposure',
    severity: 'high',
    title: 'can change who may reach resources',
    why: 'Permissions management on any resource: resource policies, ACLs, grants and sharing can open it to other accounts or the public.',
    actions: (data) => data.withAccessLevel('Permissions management'),
  },
  {
    key: 'credentials-exposure',
    severity: 'high',
    title: 'can obtain credentials',
    why: 'These actions return keys, passwords, tokens or sessions: whoever holds them acts as someone else.',
    actions: (data) => inAwsSpelling(data, CREDENTIALS_EXPOSURE),
  },
  {
    key: 'data-exfiltration',
    severity: 'medium',
    title: 'can read data out of any resource',
    why: 'Objects, parameters and secrets readable on every resource can leave the account.',
    actions: (data) => inAwsSpelling(data, DATA_EXFILTRATION),
  },
  {
    key: 'infrastructure-modification',
    severity: 'medium',
    title: 'can change infrastructure on any resource',
    why: 'Write and tagging actions without a resource constraint can create, change or delete anything of their kind.',
    actions: (data) => union(data.withAccessLevel('Write'), data.withAccessLevel('Tagging')),
  },
]

/** Each category's actions and their union, once per action data. */
const setsOf = new WeakMap<ActionData, { sets: Array<ReadonlySet<string>>; everything: ReadonlySet<string> }>()
function categorySets(data: ActionData): { sets: Array<ReadonlySet<string>>; everything: ReadonlySet<string> } {
  let found = setsOf.get(data)
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!found) {
    const sets = CATEGORIES.map((c) => c.actions(data))
    found = { sets, everything: union(...sets) }
    setsOf.set(data, found)
  }
  return found
}

/** The actions a policy's Allow statements name (NotAction: every action of `within` none of its patterns names). */
function named(data: ActionData, policy: ParsedPolicy, within: ReadonlySet<string>, expand: (pattern: string) => string[]): Set<string> {
  const out = new Set<string>()
  for (const s of policy.statements) {
    // Stryker disable next-line ConditionalExpression: a Deny's actions, evaluated, are refused and not listed
    if (s.effect !== 'Allow') continue
    if (s.action.not) {
      const excluded = new Set(s.action.patterns.flatMap((p) => expand(p.text)))
      for (const a of within) if (!excluded.has(a)) out.add(a)
    } else for (const p of s.action.patterns) for (const a of expand(p.text)) if (within.has(a)) out.add(a)
  }
  return out
}

// Stryker disable next-line StringLiteral: an identity policy evaluated alone does not read the caller's ARN
const reviewer = (account: string) => ({ arn: `arn:aws:iam::${account}:user/policy-review`, account, type: 'user' as const })

/** The actions of `within` a policy alone allows on every resource, after its own Denies: each with whether it rests on conditions, and the statements that grant it. */
function allowedOnEveryResource(data: ActionData, document: ParsedPolicy, account: string, within: ReadonlySet<string>, expand: (pattern: string) => string[]): Map<string, { conditional: boolean; statements: number[] }> {
  const allowed = new Map<string, { conditional: boolean; statements: number[] }>()
  const caller = reviewer(account)
  for (const action of named(data, document, within, expand)) {
    // Stryker disable next-line StringLiteral: a statement's resource pattern matches '' wherever it matches '*'
    const outcome = evaluate({ action, resource: '*', caller, context: new Map(), resourceAccount: account }, { identity: [document] }, { unknown: () => true })
    if (outcome.decision !== 'allowed') continue
    allowed.set(action, { conditional: outcome.conditional, statements: outcome.statements.map((e) => e.statement.index) })
  }
  return allowed
}

const positionLabel = (policy: ParsedPolicy, index: number): string => {
  const s = policy.statements[index]
  // Stryker disable next-line OptionalChaining: the index is one of the policy's statements
  return s?.sid ? s.sid : `#${index + 1}`
}

/** The category findings of each policy, and the services each allows whole (`service:*`). */
const expansions = new WeakMap<ActionData, Map<string, string[]>>()

export function categoryFindings(data: ActionData, policies: readonly PolicyUnderReview[]): Finding[] {
  let expanded = expansions.get(data)
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!expanded) {
    expanded = new Map()
    expansions.set(data, expanded)
  }
  const memo = expanded
  const expand = (pattern: string): string[] => {
    let found = memo.get(pattern)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!found) {
      found = data.expand(pattern)
      memo.set(pattern, found)
    }
    return found
  }
  const { sets, everything } = categorySets(data)
  const out: Finding[] = []
  for (const { ref, document, principals, account } of policies) {
    // a policy that alone grants admin: its holders' admin findings say it all (categories would list every action)
    if (grantsAdmin(document, account)) continue
    // Stryker disable next-line ConditionalExpression: a fast path: a policy without an Allow allows nothing when evaluated
    if (!document.statements.some((s) => s.effect === 'Allow')) continue
    const allowed = allowedOnEveryResource(data, document, account, everything, expand)
    CATEGORIES.forEach((category, i) => {
      const set = sets[i] as ReadonlySet<string>
      const hits = [...allowed].filter(([a]) => set.has(a))
      if (hits.length === 0) return
      const statements = [...new Set(hits.flatMap(([, h]) => h.statements))].sort((a, b) => a - b)
      out.push({
        id: `${category.key}:${ref.arn}:${ref.name}`,
        severity: category.severity,
        category: category.key,
        title: `${ref.name} ${category.title}`,
        why: category.why,
        policy: ref,
        statements: statements.map((n) => positionLabel(document, n)),
        principals,
        detail: hits.map(([a]) => a).sort(),
        conditional: hits.every(([, h]) => h.conditional),
      })
    })
    // whole services: an Allow of `service:*` (or `*`) on every resource, in a policy that denies none of that service's actions
    const wildcards = new Set<string>()
    // statements in document order, so already sorted; conditional while every one has a condition
    const wildcardStatements = new Set<number>()
    let wildcardConditional = true
    const deniesPartOf = (service: string) =>
      document.statements.some((d) => d.effect === 'Deny' && (d.action.not || d.action.patterns.some((dp) => dp.text.startsWith('*') || service === '*' || dp.text.toLowerCase().startsWith(`${service}:`))))
    for (const s of document.statements) {
      if (s.effect !== 'Allow' || s.action.not || !(s.resource === undefined || s.resource.not || s.resource.patterns.some((r) => r.text === '*'))) continue
      for (const p of s.action.patterns) {
        const service = p.text === '*' ? '*' : /^([a-z0-9-]+):\*$/.exec(p.text.toLowerCase())?.[1]
        if (service === undefined || deniesPartOf(service)) continue
        wildcards.add(service === '*' ? 'every service' : service)
        wildcardStatements.add(s.index)
        wildcardConditional &&= s.conditions.length > 0
      }
    }
    if (wildcards.size > 0) {
      out.push({
        id: `service-wildcard:${ref.arn}:${ref.name}`,
        severity: 'medium',
        category: 'service-wildcard',
        title: `${ref.name} allows every action of ${[...wildcards].join(', ')}`,
        why: 'A whole service allowed includes every action it will ever add.',
        policy: ref,
        statements: [...wildcardStatements].map((n) => positionLabel(document, n)),
        principals,
        detail: [...wildcards].sort(),
        conditional: wildcardConditional,
      })
    }
  }
  return out
}

/**
 * The policies to review, from the evaluator's reading of the account: managed policies someone
 * holds (not service-linked roles' AWS managed ones, which the customer cannot change, nor a
 * policy used only as a boundary, which grants nothing), every inline policy, and — apart —
 * customer managed policies no one holds.
 */
export function policiesToReview(analysis: Analysis, attached: ReadonlyMap<string, readonly string[]>, bounds: ReadonlyMap<string, readonly string[]>): { live: PolicyUnderReview[]; unattached: PolicyUnderReview[] } {
  const model = analysis.model
  const live: PolicyUnderReview[] = []
  const unattached: PolicyUnderReview[] = []
  const slr = new Set(model.roles.filter((r) => r.serviceLinked).map((r) => r.arn))
  for (const p of model.policies.values()) {
    if (!p.document || serviceLinkedPolicy(p.arn)) continue
    const holders = (attached.get(p.arn) ?? []).filter((a) => !slr.has(a))
    const review = { ref: { name: p.name, kind: 'managed' as const, arn: p.arn }, document: p.document, principals: [...holders], account: model.id }
    if (holders.length > 0) live.push(review)
    else if (p.kind === 'user-managed' && (attached.get(p.arn) ?? []).length === 0 && !bounds.has(p.arn)) unattached.push(review)
  }
  const groupMembers = new Map<string, string[]>()
  for (const u of model.users) for (const g of u.groups) groupMembers.set(g.arn, [...(groupMembers.get(g.arn) ?? []), u.arn])
  for (const p of [...model.users, ...model.roles]) {
    if (p.serviceLinked) continue
    for (const doc of p.inline) live.push({ ref: { name: doc.id, kind: 'inline', arn: p.arn }, document: doc, principals: [p.arn], account: model.id })
  }
  for (const g of model.groups) for (const doc of g.inline) live.push({ ref: { name: doc.id, kind: 'inline', arn: g.arn }, document: doc, principals: [g.arn, ...(groupMembers.get(g.arn) ?? [])], account: model.id })
  return { live, unattached }
}

/**
 * Non-default versions that grant more than the default (on every resource, among the actions of
 * the categories): one iam:SetDefaultPolicyVersion away. Versions that grant admin are reported
 * without the action data; these are the rest.
 */
export function versionFindings(data: ActionData, analysis: Analysis, attached: ReadonlyMap<string, readonly string[]>): Finding[] {
  const out: Finding[] = []
  const { everything } = categorySets(data)
  const expand = (pattern: string) => data.expand(pattern)
  for (const p of analysis.model.policies.values()) {
    if (p.kind === 'aws-managed' || !p.document || p.versions.length < 2) continue
    const base = allowedOnEveryResource(data, p.document, analysis.model.id, everything, expand)
    for (const v of p.versions) {
      if (v.isDefault || grantsAdmin(v.document, analysis.model.id)) continue
      const more = [...allowedOnEveryResource(data, v.document, analysis.model.id, everything, expand).keys()].filter((a) => !base.has(a)).sort()
      if (more.length === 0) continue
      out.push({
        id: `policy-version:${p.arn}:${v.versionId}`,
        severity: 'medium',
        category: 'policy-version',
        title: `${p.name} ${v.versionId} grants ${more.length} action${more.length === 1 ? '' : 's'} the default ${p.defaultVersionId ?? ''} does not`,
        why: 'One iam:SetDefaultPolicyVersion gives every holder of this policy these too: delete versions you do not mean to go back to.',
        policy: { name: p.name, kind: 'managed', arn: p.arn },
        statements: [],
        principals: [...(attached.get(p.arn) ?? [])],
        detail: more,
        conditional: false,
      })
    }
  }
  return out
}

/** Every finding that needs the action data: the categories of live policies, and unattached policies apart (one finding each). */
export function actionDataFindings(data: ActionData, analysis: Analysis, attached: ReadonlyMap<string, readonly string[]>, bounds: ReadonlyMap<string, readonly string[]>): Finding[] {
  const { live, unattached } = policiesToReview(analysis, attached, bounds)
  const out = [...categoryFindings(data, live), ...versionFindings(data, analysis, attached)]
  for (const review of unattached) {
    // (one that grants admin is reported with the findings that need no action data; categoryFindings skips it)
    const found = categoryFindings(data, [review])
    if (found.length === 0) continue
    out.push({
      id: `unattached-policy:${review.ref.arn}`,
      severity: 'low',
      category: 'unattached-policy',
      title: `${review.ref.name}, attached to no one, would allow ${found.map((f) => f.category.replace(/-/g, ' ')).join(', ')}`,
      why: 'Not a live grant: one attachment away from these permissions.',
      policy: review.ref,
      statements: [...new Set(found.flatMap((f) => f.statements))],
      principals: [],
      detail: [...new Set(found.flatMap((f) => f.detail))].slice(0, 50),
      conditional: found.every((f) => f.conditional),
    })
  }
  return out
}
