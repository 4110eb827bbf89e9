// Who can do an action on a resource: every user and role of the account the evaluator allows,
// with the statements that decide it. The request's other context keys are unknown (who-can asks
// about a request nobody has made yet), so an allow that depends on one is reported as
// conditional, with the keys it depends on; the principal's own keys (name, tags, …) are known.
// A role's trust policy is the resource's policy of sts:AssumeRole*, and principals it names
// outside the account are listed too.
import type { ContextEntry, Statement } from '../iam/generated/types.js'
import type { Account, AccountPrincipal } from './account.js'
import { evaluate } from './evaluate.js'
import { readPolicy } from './read.js'
import { callerFor, openUnlessPrincipalKey, policySetFor, principalContext } from './principals.js'
import { contextOf, isTrustAction, toStatement } from './simulate.js'
import type { Caller, ContextValue, Outcome, ParsedPolicy, PolicySet } from './types.js'

export interface WhoCanEntry {
  PrincipalArn: string
  PrincipalType: 'user' | 'role' | 'external'
  /** allowed only while conditions on keys the request may or may not carry hold */
  Conditional: boolean
  /** the keys those conditions read */
  ConditionKeys: string[]
  /** the statements that allow (and, when conditional, the Deny statements that may apply) */
  MatchedStatements: Statement[]
}

export interface WhoCanResult {
  Action: string
  Resource: string
  Principals: WhoCanEntry[]
}

/** Every principal allowed `action` on `resource` (default `*`), definite ones first. */
export function whoCan(account: Account, action: string, resource = '*', context?: readonly ContextEntry[]): WhoCanResult {
  const given = contextOf(context)
  const trustRole = isTrustAction(action) ? account.roles.find((r) => r.arn === resource) : undefined
  const entries: WhoCanEntry[] = []
  for (const p of [...account.users, ...account.roles]) {
    const outcome = decide(account, p, action, resource, given, trustRole)
    if (outcome.decision === 'allowed') entries.push(entry(p.arn, p.type, outcome))
  }
  if (trustRole?.trust) entries.push(...outsiders(account, trustRole.trust, action, resource, given))
  // Stryker disable next-line EqualityOperator: no two entries share an ARN
  entries.sort((a, b) => Number(a.Conditional) - Number(b.Conditional) || (a.PrincipalArn < b.PrincipalArn ? -1 : 1))
  return { Action: action, Resource: resource, Principals: entries }
}

/** One principal's outcome for the request, with the request's other keys unknown. */
export function decide(account: Account, p: AccountPrincipal, action: string, resource: string, given: ReadonlyMap<string, ContextValue>, trustRole?: AccountPrincipal): Outcome {
  const context = principalContext(account, p)
  for (const [k, v] of given) context.set(k, v)
  const policies: PolicySet = policySetFor(account, p)
  if (trustRole?.trust) policies.resource = [trustRole.trust]
  return evaluate(
    { action, resource, caller: callerFor(account, p), context, resourceAccount: account.id },
    policies,
    { unknown: openUnlessPrincipalKey, resourceRequired: trustRole !== undefined },
  )
}

function entry(arn: string, type: WhoCanEntry['PrincipalType'], outcome: Outcome): WhoCanEntry {
  const keys = new Set<string>()
  for (const e of outcome.statements) if (e.conditional) for (const c of e.statement.conditions) keys.add(c.key)
  return { PrincipalArn: arn, PrincipalType: type, Conditional: outcome.conditional, ConditionKeys: outcome.conditional ? [...keys].sort() : [], MatchedStatements: outcome.statements.map(toStatement) }
}

/**
 * Principals outside the account that a role's trust policy names (other accounts, services,
 * identity providers): allowed as far as the trust policy goes, and always conditional on what
 * their own side allows (another account's policies are not in this export).
 */
function outsiders(account: Account, trust: ParsedPolicy, action: string, resource: string, given: ReadonlyMap<string, ContextValue>): WhoCanEntry[] {
  const seen = new Set<string>()
  const out: WhoCanEntry[] = []
  for (const s of trust.statements) {
    // (a fast path: a Deny's or a NotPrincipal's values would be evaluated and refused)
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a fast path; the evaluation refuses the same principals
    if (s.effect !== 'Allow' || !s.principal || s.principal.not) continue
    for (const { kind, value } of s.principal.values) {
      if (seen.has(value)) continue
      // (a caller stands for the value itself, so the statement names it)
      const caller = outsider(kind, value, account.id)
      if (!caller) continue
      seen.add(value)
      // the caller's own side is not in this export: read as allowing, so the trust policy alone decides
      const outcome = evaluate(
        { action, resource, caller, context: new Map(given), resourceAccount: account.id },
        { identity: [THEIR_OWN_SIDE], resource: [trust] },
        // (only keys the request did not give are asked about: each is open)
        { unknown: () => true },
      )
      if (outcome.decision !== 'allowed') continue
      // always conditional (its own side is unknown); the keys are those the trust policy's answer
      // still depends on, as for the account's own principals
      out.push({ ...entry(value, 'external', { ...outcome, statements: outcome.statements.filter((e) => e.layer === 'resource') }), Conditional: true })
    }
  }
  return out
}

/** Stands for an outside principal's own policies, which the export does not hold: it allows, so the trust policy decides. */
const THEIR_OWN_SIDE = readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { id: 'their own policies' })

/** A caller standing for a principal a trust policy names. */
function outsider(kind: string, value: string, accountId: string): Caller | undefined {
  // Stryker disable next-line StringLiteral: a service's account is not read (the resource policy alone decides for it)
  if (kind === 'Service') return { arn: value, account: '', type: 'service', service: value }
  // Stryker disable next-line StringLiteral: an identity provider's account is not read, and any caller of another account whose own side allows is decided by the trust policy alone
  if (kind === 'Federated') return { arn: value, account: '', type: 'anonymous', federatedProvider: value }
  // AWS (a CanonicalUser names no account): an account id, or an ARN with its account
  // Stryker disable next-line Regex: a principal value is an account id, an ARN or a unique id; the anchors change the answer for none
  const account = /^\d{12}$/.test(value) ? value : /^arn:[^:]+:iam::(\d{12}):/.exec(value)?.[1]
  // this account's own principals are evaluated one by one already
  if (!account || account === accountId) return undefined
  // another account, or a principal in it: a caller named by the value itself, whose own side
  // (THEIR_OWN_SIDE) allows, so the trust policy alone decides
  return { arn: value, account, type: 'user' }
}
