// IAM's policy simulator, offline: SimulateCustomPolicy's request and SimulatePolicyResponse, as
// the iam-edge/iam types describe them, answered by the evaluator. Extensions that IAM's API lacks
// (SCPs, RCPs, session policies) come as a second argument, so no name can collide with IAM's.
import type { ContextEntry, EvaluationResult, SimulateCustomPolicyRequest, SimulatePolicyResponse, Statement } from '../iam/generated/types.js'
import { evaluate } from './evaluate.js'
import { splitArn } from './match.js'
import { PolicyError, type ReadOptions, readPolicy } from './read.js'
import type { Caller, ContextType, ContextValue, Evidence, Outcome, ParsedPolicy, PolicySet } from './types.js'

/** What IAM's simulator API cannot express; each list of SCPs and RCPs is one level of the organization. */
export interface SimulationExtensions {
  /** Organizations service control policies, one list per level (root, OUs, account): each level must allow */
  serviceControlPolicies?: ReadonlyArray<readonly string[]>
  /** Organizations resource control policies, likewise */
  resourceControlPolicies?: ReadonlyArray<readonly string[]>
  /** session policies passed when the caller's session was created */
  sessionPolicies?: readonly string[]
}

/** IAM's InvalidInput: the request itself is wrong (not a policy in it). */
export class SimulationInputError extends Error {
  override name = 'SimulationInputError' as const
  readonly code = 'InvalidInput'
}

const DEFAULT_ACCOUNT = '123456789012'
const TYPES = new Set<ContextType>(['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'])
// bounded: a cached policy is found by its text (then by how it is read); a flood of distinct
// texts evicts the oldest. Keyed by the text itself, not a key built from it: the same string
// object comes back on every call with the same input, and its hash is computed once
const CACHE_ENTRIES = 2000
const CACHE_CHARS = 8 * 1024 * 1024
const cache = new Map<string, ParsedPolicy[]>()
let cachedChars = 0
const roles = new WeakMap<ParsedPolicy, string>()

/**
 * A policy read once and kept, by its text and how it is used: simulations repeat the same
 * documents, and reading is most of a simulation's cost.
 */
export function cachedPolicy(text: string, options: ReadOptions): ParsedPolicy {
  // Stryker disable next-line StringLiteral: any name for the default role keeps readings apart
  const role = options.role ?? 'identity'
  const readings = cache.get(text)
  // Stryker disable next-line StringLiteral: the kind follows from the role in every use here, so its default is never compared
  const hit = readings?.find((p) => p.id === (options.id ?? 'policy') && p.kind === (options.kind ?? 'none') && p.arn === options.arn && roles.get(p) === role)
  if (hit) return hit
  const policy = readPolicy(text, options)
  roles.set(policy, role)
  if (readings) readings.push(policy)
  else {
    cache.set(text, [policy])
    cachedChars += text.length
  }
  for (const [oldest] of cache) {
    // Stryker disable next-line EqualityOperator: the bound's edge; evicting at it or one past gives the same answers
    if (cache.size <= CACHE_ENTRIES && cachedChars <= CACHE_CHARS) break
    cache.delete(oldest)
    cachedChars -= oldest.length
  }
  return policy
}

/** What the policy cache holds (its bounds: CACHE_ENTRIES texts, CACHE_CHARS characters). */
export function policyCacheSize(): { entries: number; chars: number } {
  return { entries: cache.size, chars: cachedChars }
}

/** SimulateCustomPolicy, offline: every action against every resource (default `*`). */
export function simulateCustomPolicy(input: SimulateCustomPolicyRequest, extensions: SimulationExtensions = {}): SimulatePolicyResponse {
  if (!Array.isArray(input.PolicyInputList)) throw new SimulationInputError('PolicyInputList is required: a list of policy documents')
  if (input.ResourcePolicy !== undefined && input.CallerArn === undefined) throw new SimulationInputError('CallerArn is required with a ResourcePolicy: its Principal needs a caller to match')
  const identity = input.PolicyInputList.map((text, i) => cachedPolicy(text, { id: `PolicyInputList.${i + 1}` }))
  const caller = callerOf(input.CallerArn, accountOf(input.ResourceOwner))
  return simulate(input, { identity, ...(input.PermissionsBoundaryPolicyInputList?.length ? { boundary: boundaryOf(input.PermissionsBoundaryPolicyInputList) } : {}) }, caller, contextOf(input.ContextEntries), extensions)
}

/** The shared part of both simulations: the policy sets are known, the caller too. */
export function simulate(
  input: Pick<SimulateCustomPolicyRequest, 'ActionNames' | 'ResourceArns' | 'ResourcePolicy' | 'ResourceOwner' | 'MaxItems' | 'Marker'>,
  base: PolicySet,
  caller: Caller,
  context: Map<string, ContextValue>,
  extensions: SimulationExtensions,
): SimulatePolicyResponse {
  if (!Array.isArray(input.ActionNames) || input.ActionNames.length === 0) throw new SimulationInputError('ActionNames is required: at least one action')
  // (a value that is not a string fails the pattern as its text)
  for (const a of input.ActionNames) if (!/^[^:\s]+:[^\s:]+$/.test(a)) throw new SimulationInputError(`ActionNames: ${JSON.stringify(a)} is not service:Action`)
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*']
  const owner = accountOf(input.ResourceOwner)
  const policies: PolicySet = { ...base }
  if (input.ResourcePolicy !== undefined) policies.resource = [cachedPolicy(input.ResourcePolicy, { id: 'ResourcePolicy', kind: 'resource', role: 'resource' })]
  if (extensions.sessionPolicies?.length) policies.session = extensions.sessionPolicies.map((t, i) => cachedPolicy(t, { id: `SessionPolicy.${i + 1}` }))
  if (extensions.serviceControlPolicies?.length) policies.scps = extensions.serviceControlPolicies.map((level, l) => level.map((t, i) => cachedPolicy(t, { id: `ServiceControlPolicy.${l + 1}.${i + 1}`, role: 'organization' })))
  if (extensions.resourceControlPolicies?.length) policies.rcps = extensions.resourceControlPolicies.map((level, l) => level.map((t, i) => cachedPolicy(t, { id: `ResourceControlPolicy.${l + 1}.${i + 1}`, role: 'organization' })))
  const results: EvaluationResult[] = []
  for (const action of input.ActionNames) {
    for (const resource of resources) {
      // a resource ARN that names its account owns it; else ResourceOwner; else the caller's account
      const named = splitArn(resource)?.[4]
      const resourceAccount = named || owner || caller.account
      const outcome = evaluate({ action, resource, caller, context, resourceAccount }, policies, { resourceRequired: isTrustAction(action) && input.ResourcePolicy !== undefined })
      results.push(toResult(action, resource, outcome, policies))
    }
  }
  return page(results, input.MaxItems, input.Marker)
}

/** sts:AssumeRole* against a role: the role's trust policy must allow whatever the caller's policies say. */
export function isTrustAction(action: string): boolean {
  return /^sts:assumerole(withsaml|withwebidentity)?$/i.test(action)
}

function toResult(action: string, resource: string, outcome: Outcome, policies: PolicySet): EvaluationResult {
  const matched = outcome.statements.filter((e) => e.layer !== 'scp' && e.layer !== 'rcp').map(toStatement)
  const result: EvaluationResult = { EvalActionName: action, EvalResourceName: resource, EvalDecision: outcome.decision, MatchedStatements: matched, MissingContextValues: outcome.missing }
  if (policies.scps) result.OrganizationsDecisionDetail = { AllowedByOrganizations: outcome.layers.scp === 'allowed' }
  if (policies.boundary) result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: outcome.layers.boundary === 'allowed' }
  if (resource !== '*') {
    result.ResourceSpecificResults = [{ EvalResourceName: resource, EvalResourceDecision: outcome.decision, MatchedStatements: matched, MissingContextValues: outcome.missing }]
  }
  return result
}

export function toStatement(e: Evidence): Statement {
  const s: Statement = { SourcePolicyId: e.policy.id }
  if (e.policy.kind !== 'none') s.SourcePolicyType = e.policy.kind
  s.StartPosition = { ...e.statement.start }
  s.EndPosition = { ...e.statement.end }
  return s
}

function page(results: EvaluationResult[], maxItems: number | undefined, marker: string | undefined): SimulatePolicyResponse {
  const from = marker === undefined ? 0 : Number(marker)
  if (!Number.isInteger(from) || from < 0 || from > results.length) throw new SimulationInputError(`Marker ${JSON.stringify(marker)} is not one this simulation gave`)
  const size = maxItems ?? 100
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new SimulationInputError('MaxItems is 1..1000')
  const slice = results.slice(from, from + size)
  const truncated = from + size < results.length
  return { EvaluationResults: slice, IsTruncated: truncated, ...(truncated ? { Marker: String(from + size) } : {}) }
}

function boundaryOf(texts: readonly string[]): ParsedPolicy[] {
  return texts.map((t, i) => cachedPolicy(t, { id: `PermissionsBoundaryPolicyInputList.${i + 1}` }))
}

/** `arn:aws:iam::123456789012:root` (or a bare id) → the account id. */
function accountOf(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined
  if (/^\d{12}$/.test(arn)) return arn
  const account = splitArn(arn)?.[4]
  if (!account || !/^\d{12}$/.test(account)) throw new SimulationInputError(`ResourceOwner ${JSON.stringify(arn)} is not an account (arn:aws:iam::<12 digits>:root)`)
  return account
}

/** The caller a simulation assumes: CallerArn (a user, a role, a role session, a federated user, the root user). */
export function callerOf(arn: string | undefined, fallbackAccount = DEFAULT_ACCOUNT): Caller {
  if (arn === undefined) return { arn: `arn:aws:iam::${fallbackAccount}:user/simulated`, account: fallbackAccount, type: 'user' }
  const parts = splitArn(arn)
  const account = parts?.[4]
  if (!parts || !account || !/^\d{12}$/.test(account)) throw new SimulationInputError(`CallerArn ${JSON.stringify(arn)} is not an IAM principal's ARN`)
  const [, partition, service, , , resource = ''] = parts
  if (service === 'iam' && resource === 'root') return { arn, account, type: 'root' }
  if (service === 'iam' && resource.startsWith('user/')) return { arn, account, type: 'user' }
  if (service === 'iam' && resource.startsWith('role/')) {
    const name = resource.slice(resource.lastIndexOf('/') + 1)
    return { arn: `arn:${partition}:sts::${account}:assumed-role/${name}/simulated`, account, type: 'role-session', roleArn: arn }
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const [, role] = resource.split('/')
    return { arn, account, type: 'role-session', roleArn: `arn:${partition}:iam::${account}:role/${role}` }
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) return { arn, account, type: 'federated-user' }
  throw new SimulationInputError(`CallerArn ${JSON.stringify(arn)} is not a user, role, role session, federated user or root ARN`)
}

/** ContextEntries → the request context (keys lower-cased). */
export function contextOf(entries: readonly ContextEntry[] | undefined): Map<string, ContextValue> {
  const context = new Map<string, ContextValue>()
  for (const e of entries ?? []) {
    if (typeof e.ContextKeyName !== 'string' || e.ContextKeyName.length === 0) throw new SimulationInputError('ContextEntries: every entry needs a ContextKeyName')
    const type = (e.ContextKeyType ?? 'string') as ContextType
    if (!TYPES.has(type)) throw new SimulationInputError(`ContextEntries ${e.ContextKeyName}: ContextKeyType ${JSON.stringify(e.ContextKeyType)} is not one of ${[...TYPES].join(', ')}`)
    const values = e.ContextKeyValues ?? []
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) throw new SimulationInputError(`ContextEntries ${e.ContextKeyName}: ContextKeyValues is a list of strings`)
    if (!type.endsWith('List') && values.length > 1) throw new SimulationInputError(`ContextEntries ${e.ContextKeyName}: a ${type} key takes one value; use ${type}List for several`)
    const lookup = e.ContextKeyName.toLowerCase()
    const existing = context.get(lookup)
    context.set(lookup, { values: [...(existing?.values ?? []), ...values], type })
  }
  return context
}

export { PolicyError }
