// The account as iam-edge/policy reads it, and what the views ask of the evaluator: who is admin
// or can become admin (every path), who can do an action, what one principal can do. Built once
// per load; the evaluator's answers carry the statements that decided them, which `locate` turns
// into links to the policy and statement.
import {
  type Account as PolicyAccount,
  type AccountPrincipal,
  type EscalationEntry,
  escalations,
  type Evidence,
  type ManagedPolicy as ModelPolicy,
  type ParsedPolicy,
  readAccount,
} from '../src/policy/index.js'
import type { AuthorizationDetails } from './model.js'
import { link } from './route.js'

export interface Analysis {
  model: PolicyAccount
  /** principals that are admin or can become admin, by ARN (empty while `pending`) */
  escalations: Map<string, EscalationEntry>
  /** the search for paths to admin has not run yet: the page draws first, then searches */
  pending: boolean
  /** what the account reader noticed (an attached policy the export lacks, …) */
  warnings: string[]
  /** when the evaluation could not read the export at all: why */
  error?: string
}

/** Reads the export; never throws (an export it cannot read is `error`). The search for paths to admin is `searchPaths`. */
export function readModel(details: AuthorizationDetails): Analysis {
  try {
    const model = readAccount(details as Record<string, unknown>)
    return { model, escalations: new Map(), pending: true, warnings: model.warnings }
  } catch (error) {
    const model = readAccount({ UserDetailList: [], RoleDetailList: [], GroupDetailList: [], Policies: [] })
    return { model, escalations: new Map(), pending: false, warnings: [], error: error instanceof Error ? error.message : String(error) }
  }
}

/** Every path to admin, into `analysis` (once). */
export function searchPaths(analysis: Analysis, now: Date = new Date()): Analysis {
  if (!analysis.pending) return analysis
  const result = escalations(analysis.model, { now })
  analysis.escalations = new Map(result.Escalations.map((e) => [e.PrincipalArn, e]))
  analysis.pending = false
  return analysis
}

/** Both at once (tests, and callers that need no first paint). */
export function analyse(details: AuthorizationDetails, now: Date = new Date()): Analysis {
  return searchPaths(readModel(details), now)
}

/** A matched statement as the evaluator reports it. */
export interface Matched {
  SourcePolicyId?: string
  SourcePolicyType?: string
  StartPosition?: { Line?: number; Column?: number }
}

export interface Located {
  /** the policy's name and the statement's Sid, or its position (#1 is the first) */
  label: string
  /** the policy view at that statement, or the holder's view for an inline policy */
  href: string | undefined
}

const labelOf = (policy: ParsedPolicy, start: Matched['StartPosition']): { index: number; text: string } => {
  const index = start === undefined ? -1 : policy.statements.findIndex((s) => s.start.Line === start.Line && s.start.Column === start.Column)
  const s = policy.statements[index]
  return { index, text: s ? (s.sid ? s.sid : `#${index + 1}`) : '?' }
}

const byName = new WeakMap<PolicyAccount, Map<string, ModelPolicy>>()
/** Managed policies by kind and name (what a matched statement names), indexed once per account. */
function managedByName(model: PolicyAccount): Map<string, ModelPolicy> {
  let index = byName.get(model)
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!index) {
    index = new Map()
    for (const p of model.policies.values()) if (!index.has(`${p.kind}\n${p.name}`)) index.set(`${p.kind}\n${p.name}`, p)
    byName.set(model, index)
  }
  return index
}

/**
 * Where a statement the evaluator matched for `principal` lives: a managed policy (its view, at
 * the statement), or an inline policy of the principal, of one of its groups, or the role's trust
 * policy (the holder's view).
 */
export function locate(model: PolicyAccount, principal: string | undefined, m: Matched): Located {
  const name = m.SourcePolicyId ?? '?'
  const type = m.SourcePolicyType
  if (type === 'aws-managed' || type === 'user-managed') {
    const policy = managedByName(model).get(`${type}\n${name}`)
    if (policy?.document) {
      const { index, text } = labelOf(policy.document, m.StartPosition)
      return { label: `${name} ${text}`, href: link('policies', policy.arn, index >= 0 ? { statement: String(index + 1) } : undefined) }
    }
    return { label: name, href: policy ? link('policies', policy.arn) : undefined }
  }
  const p: AccountPrincipal | undefined = principal === undefined ? undefined : model.byArn.get(principal)
  if (!p) return { label: name, href: undefined }
  const holders: Array<{ policies: ParsedPolicy[]; view: string; id: string }> = []
  if (type === 'group') for (const g of p.groups) holders.push({ policies: g.inline, view: 'groups', id: g.name })
  else if (name === 'AssumeRolePolicyDocument' && p.trust) holders.push({ policies: [p.trust], view: 'roles', id: p.name })
  else holders.push({ policies: p.inline, view: p.type === 'user' ? 'users' : 'roles', id: p.name })
  for (const h of holders) {
    const policy = h.policies.find((x) => x.id === name)
    if (policy) return { label: `${name} ${labelOf(policy, m.StartPosition).text}`, href: link(h.view, h.id) }
  }
  return { label: name, href: undefined }
}

/** The same, for the evaluator's own evidence (effective permissions). */
export function locateEvidence(model: PolicyAccount, principal: string | undefined, e: Evidence): Located {
  return locate(model, principal, { SourcePolicyId: e.policy.id, SourcePolicyType: e.policy.kind, StartPosition: e.statement.start })
}
