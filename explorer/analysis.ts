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
  /** principals that are admin or can become admin, by ARN */
  escalations: Map<string, EscalationEntry>
  /** what the account reader noticed (an attached policy the export lacks, …) */
  warnings: string[]
  /** when the evaluation could not read the export at all: why */
  error?: string
}

/** Reads the export and finds every path to admin; never throws (an export it cannot read is `error`). */
export function analyse(details: AuthorizationDetails, now: Date = new Date()): Analysis {
  let model: PolicyAccount
  try {
    model = readAccount(details as Record<string, unknown>)
  } catch (error) {
    model = readAccount({ UserDetailList: [], RoleDetailList: [], GroupDetailList: [], Policies: [] })
    return { model, escalations: new Map(), warnings: [], error: error instanceof Error ? error.message : String(error) }
  }
  const result = escalations(model, { now })
  return { model, escalations: new Map(result.Escalations.map((e) => [e.PrincipalArn, e])), warnings: model.warnings }
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

/**
 * Where a statement the evaluator matched for `principal` lives: a managed policy (its view, at
 * the statement), or an inline policy of the principal, of one of its groups, or the role's trust
 * policy (the holder's view).
 */
export function locate(model: PolicyAccount, principal: string | undefined, m: Matched): Located {
  const name = m.SourcePolicyId ?? '?'
  const type = m.SourcePolicyType
  if (type === 'aws-managed' || type === 'user-managed') {
    const policy = [...model.policies.values()].find((p: ModelPolicy) => p.name === name && p.kind === type)
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
