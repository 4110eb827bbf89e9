// What one principal can actually do, by service and access level: every action its Allow
// statements name, evaluated with all of its policies, its boundary and every Deny — on every
// resource, or else on the resources the granting statements name. Only named actions are
// evaluated, so a narrow principal costs a handful of evaluations and an admin one per action.
import { type AccessLevel, type Account, type AccountPrincipal, type ActionData, callerFor, evaluate, type Evidence, policySetFor, principalContext } from '../src/policy/index.js'
import { openUnlessPrincipalKey } from '../src/policy/principals.js'

export interface EffectiveRow {
  service: string
  level: AccessLevel
  /** allowed on every resource */
  everywhere: string[]
  /** allowed only on some resources: action → the resource patterns */
  somewhere: Map<string, string[]>
  /** of those, allowed only while conditions hold */
  conditional: Set<string>
  /** the Allow statements that grant them */
  evidence: Evidence[]
}

export const LEVELS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Permissions management', 'Tagging']

/** One service: per access level, how many of its actions are allowed (everywhere or somewhere) of how many it has. */
export interface ServiceRow {
  service: string
  levels: Map<AccessLevel, { allowed: number; somewhere: number; conditional: number; of: number }>
  evidence: Evidence[]
  rows: EffectiveRow[]
}

/** The rows by service, with each level's totals from the action data. */
export function byService(data: ActionData, rows: readonly EffectiveRow[]): ServiceRow[] {
  const out = new Map<string, ServiceRow>()
  for (const r of rows) {
    let s = out.get(r.service)
    if (!s) {
      s = { service: r.service, levels: new Map(), evidence: [], rows: [] }
      out.set(r.service, s)
    }
    s.rows.push(r)
    // Stryker disable next-line ArrayDeclaration,OptionalChaining,LogicalOperator: every row's service and actions come from the action data, in its spelling
    const total = (data.service(r.service)?.actions ?? []).filter((a) => data.withAccessLevel(r.level).has(data.action(a)?.action ?? a)).length
    s.levels.set(r.level, { allowed: r.everywhere.length + r.somewhere.size, somewhere: r.somewhere.size, conditional: r.conditional.size, of: total })
    for (const e of r.evidence) if (!s.evidence.includes(e)) s.evidence.push(e)
  }
  return [...out.values()]
}

export function effectivePermissions(data: ActionData, account: Account, p: AccountPrincipal): EffectiveRow[] {
  const policies = policySetFor(account, p)
  const caller = callerFor(account, p)
  const context = principalContext(account, p)
  // a key the context lacks is open, unless it is the principal's own (its tags, name, ARN…),
  // which the account holds: then it is absent, as whoCan reads it
  const unknown = openUnlessPrincipalKey
  const all = LEVELS.map((l) => data.withAccessLevel(l))
  // the actions the Allow statements name, with the resource patterns they name them on
  const named = new Map<string, Set<string>>()
  const add = (action: string, resources: readonly string[]) => {
    const set = named.get(action) ?? new Set<string>()
    for (const r of resources) set.add(r)
    named.set(action, set)
  }
  for (const policy of policies.identity) {
    for (const s of policy.statements) {
      // Stryker disable next-line ConditionalExpression: a Deny's actions, evaluated, are refused and not listed
      if (s.effect !== 'Allow') continue
      // Stryker disable next-line ConditionalExpression,LogicalOperator,ArrayDeclaration,StringLiteral: equivalent: a NotResource statement never grants on the patterns it excludes, and '*' is asked first whatever the set holds
      const resources = s.resource && !s.resource.not ? s.resource.patterns.map((r) => r.text) : ['*']
      if (s.action.not) {
        // Stryker disable next-line ArrowFunction: equivalent: an action NotAction excludes, evaluated, is refused and not listed
        const excluded = new Set(s.action.patterns.flatMap((x) => data.expand(x.text)))
        // Stryker disable next-line ConditionalExpression: equivalent, as above
        for (const level of all) for (const a of level) if (!excluded.has(a)) add(a, resources)
      } else for (const x of s.action.patterns) for (const a of data.expand(x.text)) add(a, resources)
    }
  }
  const rows = new Map<string, EffectiveRow>()
  const rowOf = (action: string, level: AccessLevel): EffectiveRow => {
    const service = action.slice(0, action.indexOf(':'))
    const key = `${service}\n${level}`
    let row = rows.get(key)
    if (!row) {
      row = { service, level, everywhere: [], somewhere: new Map(), conditional: new Set(), evidence: [] }
      rows.set(key, row)
    }
    return row
  }
  const ask = (action: string, resource: string) => evaluate({ action, resource, caller, context, resourceAccount: account.id }, policies, { unknown })
  for (const [action, resources] of named) {
    const info = data.action(action)
    // Stryker disable next-line ConditionalExpression: every named action comes from the action data
    if (!info) continue
    // Stryker disable next-line StringLiteral: a statement's resource pattern matches '' wherever it matches '*'
    let outcome = ask(action, '*')
    let on: string[] | undefined
    if (outcome.decision !== 'allowed') {
      // on the resources its statements name (a pattern read as the resource it stands for)
      on = []
      let last = outcome
      for (const r of resources) {
        // Stryker disable next-line ConditionalExpression,StringLiteral: '*' was asked first and refused: asking again refuses again
        if (r === '*') continue
        const o = ask(action, r)
        if (o.decision === 'allowed') {
          on.push(r)
          last = o
        }
      }
      if (on.length === 0) continue
      outcome = last
    }
    for (const level of info.accessLevels) {
      const row = rowOf(info.action, level)
      if (on) row.somewhere.set(info.action, on)
      else row.everywhere.push(info.action)
      if (outcome.conditional) row.conditional.add(info.action)
      for (const e of outcome.statements) if (e.statement.effect === 'Allow' && !row.evidence.some((x) => sameStatement(x, e))) row.evidence.push(e)
    }
  }
  return [...rows.values()].sort((a, b) => a.service.localeCompare(b.service) || LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level))
}

const sameStatement = (x: Evidence, e: Evidence): boolean =>
  x.statement === e.statement &&
  // Stryker disable next-line ConditionalExpression: equivalent: each policy's statements are objects of its own, even for the same text
  x.policy === e.policy
