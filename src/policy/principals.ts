// A principal of the account model as a caller: who it is, the context keys it brings (its name,
// id, ARN, account, type and tags: facts the account holds), and its policy set. On that,
// SimulatePrincipalPolicy offline.
import type { SimulatePolicyResponse, SimulatePrincipalPolicyRequest } from '../iam/generated/types.js'
import { type Account, type AccountPrincipal, boundaryPolicy, identityPolicies } from './account.js'
import { cachedPolicy, callerOf, contextOf, simulate, type SimulationExtensions, SimulationInputError } from './simulate.js'
import type { Caller, ContextValue, ParsedPolicy, PolicySet } from './types.js'

/** The session name a role's simulated session carries. */
export const SESSION_NAME = 'iam-edge'

/** A user calls as itself; a role through a session of it. */
export function callerFor(account: Account, p: AccountPrincipal): Caller {
  if (p.type === 'user') return { arn: p.arn, account: account.id, type: 'user' }
  // Stryker disable next-line StringLiteral: a principal's ARN always has a partition
  const partition = p.arn.split(':')[1] ?? 'aws'
  return { arn: `arn:${partition}:sts::${account.id}:assumed-role/${p.name}/${SESSION_NAME}`, account: account.id, type: 'role-session', roleArn: p.arn }
}

/** Context keys the principal brings, lower-cased (IAM User Guide, "AWS global condition context keys", principal properties). */
export function principalContext(account: Account, p: AccountPrincipal): Map<string, ContextValue> {
  const context = new Map<string, ContextValue>()
  const set = (key: string, value: string | undefined) => {
    // Stryker disable next-line StringLiteral: a single value's type is not read by any operator
    if (value !== undefined) context.set(key.toLowerCase(), { values: [value], type: 'string' })
  }
  set('aws:PrincipalArn', p.arn)
  set('aws:PrincipalAccount', account.id)
  if (p.type === 'user') {
    set('aws:username', p.name)
    set('aws:userid', p.id)
    set('aws:PrincipalType', 'User')
  } else {
    set('aws:userid', p.id === undefined ? undefined : `${p.id}:${SESSION_NAME}`)
    set('aws:PrincipalType', 'AssumedRole')
  }
  for (const [k, v] of p.tags) set(`aws:PrincipalTag/${k}`, v)
  return context
}

/** Keys a principal's context fully describes: absent ones are absent, not unknown. */
export function isPrincipalKey(lookup: string): boolean {
  return lookup.startsWith('aws:principaltag/') || PRINCIPAL_KEYS.has(lookup)
}

/** For `EvaluateOptions.unknown`: a key the context lacks is open unless it is the principal's own (then it is absent). */
export const openUnlessPrincipalKey = (lookup: string): boolean => !isPrincipalKey(lookup)
const PRINCIPAL_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'aws:username', 'aws:userid', 'aws:principaltype'])

/** The principal's policies: identity-based (its own and its groups'), and its boundary. */
export function policySetFor(account: Account, p: AccountPrincipal): PolicySet {
  const set: PolicySet = { identity: identityPolicies(account, p) }
  const boundary = boundaryPolicy(account, p)
  // Stryker disable next-line ConditionalExpression: a boundary of undefined is none
  if (boundary) set.boundary = boundary
  return set
}

/**
 * SimulatePrincipalPolicy, offline: the principal's own policies (a user's groups' included; a
 * group's ARN simulates the group's policies), plus PolicyInputList; its boundary unless
 * PermissionsBoundaryPolicyInputList replaces it. The principal's own context keys are filled in
 * where ContextEntries leaves them out.
 */
export function simulatePrincipalPolicy(account: Account, input: SimulatePrincipalPolicyRequest, extensions: SimulationExtensions = {}): SimulatePolicyResponse {
  const arn = input.PolicySourceArn
  if (typeof arn !== 'string') throw new SimulationInputError('PolicySourceArn is required')
  const extra: ParsedPolicy[] = (input.PolicyInputList ?? []).map((t, i) => cachedPolicy(t, { id: `PolicyInputList.${i + 1}` }))
  const boundaryInput = input.PermissionsBoundaryPolicyInputList?.length ? input.PermissionsBoundaryPolicyInputList.map((t, i) => cachedPolicy(t, { id: `PermissionsBoundaryPolicyInputList.${i + 1}` })) : undefined
  const principal = account.byArn.get(arn)
  const group = principal ? undefined : account.groups.find((g) => g.arn === arn)
  if (!principal && !group) throw new SimulationInputError(`PolicySourceArn ${JSON.stringify(arn)} is not a user, role or group of account ${account.id}`)
  let base: PolicySet
  let caller: Caller
  const context = contextOf(input.ContextEntries)
  if (principal) {
    base = policySetFor(account, principal)
    caller = input.CallerArn ? callerOf(input.CallerArn) : callerFor(account, principal)
    for (const [k, v] of principalContext(account, principal)) if (!context.has(k)) context.set(k, v)
  } else {
    const g = group as NonNullable<typeof group>
    const identity: ParsedPolicy[] = [...g.inline]
    for (const a of g.attached) {
      const doc = account.policies.get(a)?.document
      if (doc) identity.push(doc)
    }
    base = { identity }
    // Stryker disable next-line ObjectLiteral,StringLiteral: no resource policy can name a group, and a group's members are users
    caller = input.CallerArn ? callerOf(input.CallerArn) : { arn: g.arn, account: account.id, type: 'user' }
  }
  const policies: PolicySet = { ...base, identity: [...base.identity, ...extra] }
  if (boundaryInput) policies.boundary = boundaryInput
  return simulate(input, policies, caller, context, extensions)
}
