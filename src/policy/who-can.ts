// Who can do an action on a resource: every user and role of the account the evaluator allows,
// with the statements that decide it. The request's other context keys are unknown (who-can asks
// about a request nobody has made yet), so an allow that depends on one is reported as
// conditional, with the keys it depends on; the principal's own keys (name, tags, …) are known.
// A role's trust policy is the resource's policy of sts:AssumeRole*, and principals it names
// outside the account are listed too.
import type { ContextEntry, Statement } from '../iam/generated/types.js'
import type { Account, AccountPrincipal } from './account.js'
import { evaluate, principalMatches } from './evaluate.js'
import { readPolicy } from './read.js'
import { callerFor, isPrincipalKey, policySetFor, principalContext } from './principals.js'
import { contextOf, isTrustAction, toStatement } from './simulate.js'
import type { Caller, ContextValue, Outcome, PolicySet } from './types.js'

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
  if (trustRole?.trust) entries.push(...outsiders(account, trustRole, action, resource, given))
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
    { unknown: (lookup) => !isPrincipalKey(lookup), resourceRequired: trustRole !== undefined },
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
function outsiders(account: Account, role: AccountPrincipal, action: string, resource: string, given: ReadonlyMap<string, ContextValue>): WhoCanEntry[] {
  const trust = role.trust
  if (!trust) return []
  const seen = new Set<string>()
  const out: WhoCanEntry[] = []
  for (const s of trust.statements) {
    if (s.effect !== 'Allow' || !s.principal || s.principal.not) continue
    for (const { kind, value } of s.principal.values) {
      if (seen.has(value)) continue
      const caller = outsider(kind, value, account.id)
      if (!caller || (kind === 'AWS' && account.byArn.has(value))) continue
      if (!principalMatches(s.principal, caller)) continue
      seen.add(value)
      // the caller's own side is not in this export: read as allowing, so the trust policy alone decides
      const outcome = evaluate(
        { action, resource, caller, context: new Map(given), resourceAccount: account.id },
        { identity: [THEIR_OWN_SIDE], resource: [trust] },
        { unknown: (lookup) => !given.has(lookup) },
      )
      if (outcome.decision !== 'allowed') continue
      const granted = outcome.statements.filter((e) => e.layer === 'resource' && e.statement.effect === 'Allow')
      // the keys still open: what the request did not give
      const keys = new Set<string>()
      for (const e of granted) for (const c of e.statement.conditions) if (!given.has(c.lookup)) keys.add(c.key)
      out.push({ PrincipalArn: value, PrincipalType: 'external', Conditional: true, ConditionKeys: [...keys].sort(), MatchedStatements: granted.map(toStatement) })
    }
  }
  return out
}

/** Stands for an outside principal's own policies, which the export does not hold: it allows, so the trust policy decides. */
const THEIR_OWN_SIDE = readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { id: 'their own policies' })

/** A caller standing for a principal a trust policy names. */
function outsider(kind: string, value: string, accountId: string): Caller | undefined {
  if (kind === 'Service') return { arn: value, account: '', type: 'service', service: value }
  if (kind === 'Federated') return { arn: value, account: '', type: 'anonymous', federatedProvider: value }
  if (kind !== 'AWS') return undefined
  const account = /^\d{12}$/.test(value) ? value : /^arn:[^:]+:iam::(\d{12}):/.exec(value)?.[1]
  // this account's own principals are evaluated one by one already
  if (!account || account === accountId) return undefined
  // another account: a caller standing for it
  if (/^\d{12}$/.test(value) || /:root$/.test(value)) return { arn: `arn:aws:iam::${account}:root`, account, type: 'root' }
  return { arn: value, account, type: value.includes(':role/') ? 'role-session' : 'user', ...(value.includes(':role/') ? { roleArn: value } : {}) }
}
