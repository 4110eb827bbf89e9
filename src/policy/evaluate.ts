// The decision (IAM User Guide, "Policy evaluation logic", "Cross-account policy evaluation
// logic", "Permissions boundaries for IAM entities"):
//   1. an applicable Deny in any policy — identity, boundary, session, SCP, RCP, resource — decides;
//   2. every level of SCPs, and of RCPs, must allow (the guide calls a missing allow there an
//      explicit deny, "even if the denial is implicit");
//   3. within one account, a resource-based policy that names the caller itself (an IAM user, a
//      role session, a federated user session) grants regardless of the caller's identity-based
//      policies, boundary and session policy; one that names the caller's role (or, for a
//      federated user, the user who federated) is limited by the boundary and the session policy;
//      one that names the account delegates to the identity-based policies;
//   4. otherwise the identity-based policies must allow, and so must the boundary and the session
//      policies where there are any (a federated user session needs a session policy);
//   5. across accounts, both sides must allow: the caller's identity-based policies (with its
//      boundary and session policies) and the resource's policy, naming the caller or its account.
// Role trust policies must allow in any case (they are the resource's policy of sts:AssumeRole*).
import { type ConditionOptions, conditionsHold, FALSE, TRUE, type Truth, UNKNOWN } from './conditions.js'
import { arnGlobs, arnMatchesParts, globMatch, patternArn, patternGlob, splitArn } from './match.js'
import type { Caller, Decision, Evidence, Layer, Outcome, ParsedPolicy, ParsedStatement, Pattern, PolicySet, PrincipalMatcher, Request, ResourceMatcher } from './types.js'
import { resolveVariables } from './variables.js'

export interface EvaluateOptions {
  /** an absent context key for which this answers true may hold any value (who-can): its conditions are UNKNOWN */
  unknown?: (lookup: string) => boolean
  /** the resource's policy must allow whatever the identity side says (role trust policies, KMS key policies) */
  resourceRequired?: boolean
}

/** How a resource-based policy's Principal names the caller. */
type Grant = 'direct' | 'parent' | 'account'

interface Hit {
  evidence: Evidence
  truth: Truth
  grant?: Grant
}

/** The request as every statement reads it: the action lower-cased, the resource's ARN parts, once. */
interface Prepared {
  request: Request
  action: string
  /** the resource's six ARN parts, or undefined when it is not an ARN */
  parts: string[] | undefined
}

/** Evaluates one request against the policies that apply to it. Pure and synchronous. */
export function evaluate(request: Request, policies: PolicySet, options: EvaluateOptions = {}): Outcome {
  const missing = new Set<string>()
  const hits: Hit[] = []
  const prepared: Prepared = { request, action: request.action.toLowerCase(), parts: splitArn(request.resource) }
  const collect = (layer: Layer, list: readonly ParsedPolicy[] | undefined) => {
    if (!list) return
    for (const policy of list) {
      // Stryker disable next-line ConditionalExpression: read.ts marks no pattern of a 2008 policy as holding variables, so the version is read twice
      const conditionOptions: ConditionOptions = { version2012: policy.version === '2012-10-17', missing }
      // Stryker disable next-line ConditionalExpression: setting it to undefined is the same as leaving it out
      if (options.unknown) conditionOptions.unknown = options.unknown
      for (const statement of candidates(policy, prepared)) {
        const result = applies(statement, prepared, conditionOptions)
        const truth = typeof result === 'object' ? result.truth : result
        if (truth === FALSE) continue
        const hit: Hit = { evidence: { layer, policy, statement, missing: missingOf(statement, request.context), conditional: truth === UNKNOWN }, truth }
        // Stryker disable next-line ConditionalExpression: a number's grant is undefined, the same as none
        if (typeof result === 'object') hit.grant = result.grant
        hits.push(hit)
      }
    }
  }
  collect('identity', policies.identity)
  collect('boundary', policies.boundary)
  collect('session', policies.session)
  policies.scps?.forEach((level) => collect('scp', level))
  policies.rcps?.forEach((level) => collect('rcp', level))
  collect('resource', policies.resource)

  const denies = hits.filter((h) => h.evidence.statement.effect === 'Deny')
  const denied = any(denies)
  const layers: Outcome['layers'] = {}
  const layerOf = (layer: Layer, present: boolean) => {
    if (!present) return
    const mine = hits.filter((h) => h.evidence.layer === layer)
    layers[layer] = any(mine.filter((h) => h.evidence.statement.effect === 'Deny')) === TRUE ? 'explicitDeny' : any(mine.filter((h) => h.evidence.statement.effect === 'Allow')) !== FALSE ? 'allowed' : 'implicitDeny'
  }
  layerOf('identity', true)
  layerOf('boundary', policies.boundary !== undefined)
  layerOf('session', policies.session !== undefined)
  layerOf('scp', policies.scps !== undefined)
  layerOf('rcp', policies.rcps !== undefined)
  layerOf('resource', policies.resource !== undefined)
  const done = (decision: Decision, statements: Hit[], conditional: boolean): Outcome => ({
    decision,
    statements: statements.map((h) => h.evidence),
    layers,
    missing: [...missing].sort(),
    conditional,
  })
  const allows = (layer: Layer, grant?: Grant) => hits.filter((h) => h.evidence.layer === layer && h.evidence.statement.effect === 'Allow' && (grant === undefined || h.grant === grant))
  // every level of SCPs, then of RCPs, must allow
  const levels = (list: ReadonlyArray<readonly ParsedPolicy[]> | undefined, layer: Layer): Truth => {
    if (!list) return TRUE
    let all: Truth = TRUE
    for (const level of list) {
      const ids = new Set(level)
      all = and(all, any(allows(layer).filter((h) => ids.has(h.evidence.policy))))
    }
    return all
  }
  // an organization's layer allows only when every one of its levels does
  const scp = levels(policies.scps, 'scp')
  const rcp = levels(policies.rcps, 'rcp')
  if (layers.scp === 'allowed' && scp === FALSE) layers.scp = 'implicitDeny'
  if (layers.rcp === 'allowed' && rcp === FALSE) layers.rcp = 'implicitDeny'
  if (denied === TRUE) return done('explicitDeny', denies.filter((h) => h.truth === TRUE), false)

  const organizations = and(scp, rcp)
  if (organizations === FALSE) return done('explicitDeny', [], false)

  const caller = request.caller
  const identity = caller.type === 'root' ? TRUE : any(allows('identity'))
  const boundary = policies.boundary ? any(allows('boundary')) : TRUE
  // a federated user's session needs a session policy; a role session without one is not limited
  const session = policies.session ? any(allows('session')) : caller.type === 'federated-user' ? FALSE : TRUE
  const direct = any(allows('resource', 'direct'))
  const parent = any(allows('resource', 'parent'))
  const account = any(allows('resource', 'account'))
  const limits = and(boundary, session)
  const sameAccount = (request.resourceAccount ?? caller.account) === caller.account
  let allow: Truth
  let granting: Hit[]
  if (caller.type === 'service' || caller.type === 'anonymous') {
    // an AWS service or an anonymous (or web-identity) caller has no identity-based policies of
    // its own: the resource-based policy that names it decides
    allow = direct
    granting = allows('resource', 'direct')
  } else if (sameAccount) {
    const viaParent = and(parent, limits)
    const viaIdentity = and(identity, limits)
    allow = or(direct, viaParent, viaIdentity)
    if (options.resourceRequired) allow = and(allow, or(direct, parent, account))
    // the evidence: the statements of every way that grants (or may grant)
    // (a way that is FALSE has no statements of its own: each hit kept holds or may)
    granting = [...allows('resource', 'direct')]
    if (viaParent !== FALSE) granting.push(...allows('resource', 'parent'))
    if (viaIdentity !== FALSE) granting.push(...allows('identity'), ...(options.resourceRequired ? allows('resource', 'account') : []))
    if (viaParent !== FALSE || viaIdentity !== FALSE) granting.push(...allows('boundary'), ...allows('session'))
  } else {
    allow = and(identity, limits, or(direct, parent, account))
    granting = [...allows('identity'), ...allows('boundary'), ...allows('session'), ...allows('resource')]
  }
  const final = and(allow, organizations)
  if (final === FALSE) {
    // what granted on some side, so the answer shows what a missing layer left ungranted
    return done('implicitDeny', hits.filter((h) => h.evidence.statement.effect === 'Allow' && h.truth === TRUE && h.evidence.layer !== 'scp' && h.evidence.layer !== 'rcp'), false)
  }
  const conditional = final === UNKNOWN || denied === UNKNOWN
  // a Deny that holds has returned above, so any Deny left may hold: it is evidence of a conditional answer
  return done('allowed', [...granting, ...denies], conditional)
}

/**
 * A policy's statements whose action matches the request's: remembered per policy by action,
 * since the same actions come back (one action asked of every principal sharing a managed
 * policy; a simulation repeated). Bounded per policy.
 */
const candidateMemo = new WeakMap<ParsedPolicy, Map<string, ParsedStatement[]>>()
const MEMO_ACTIONS = 256

function candidates(policy: ParsedPolicy, prepared: Prepared): readonly ParsedStatement[] {
  return statementsFor(policy, prepared.action)
}

/** The statements of `policy` whose Action (or NotAction) covers `action` (lowercase). */
export function statementsFor(policy: ParsedPolicy, action: string): readonly ParsedStatement[] {
  let memo = candidateMemo.get(policy)
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!memo) {
    memo = new Map()
    candidateMemo.set(policy, memo)
  }
  let found = memo.get(action)
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!found) {
    found = policy.statements.filter((s) => actionMatches(s, action))
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the memo's bound; clearing sooner or later gives the same answers
    if (memo.size >= MEMO_ACTIONS) memo.clear()
    memo.set(action, found)
  }
  return found
}

/**
 * Whether a candidate statement applies to the request: resources holding variables, the
 * principal, then conditions. A resource-side statement that applies says how it names the caller.
 */
function applies(statement: ParsedStatement, prepared: Prepared, conditionOptions: ConditionOptions): Truth | { truth: Truth; grant: Grant } {
  const { request } = prepared
  if (statement.resource && !resourceMatches(statement.resource, prepared, conditionOptions)) return FALSE
  let grant: Grant | undefined
  if (statement.principal) {
    const named = principalMatches(statement.principal, request.caller)
    if (!named) return FALSE
    // (only resource-side statements name principals; an RCP's grant is not read)
    grant = named
  }
  const truth = conditionsHold(statement.conditions, request.context, conditionOptions)
  return grant ? { truth, grant } : truth
}

/** The keys a statement's conditions read that the request lacks (its evidence). */
const NONE: readonly string[] = Object.freeze([])

function missingOf(statement: ParsedStatement, context: Request['context']): readonly string[] {
  // Stryker disable next-line ConditionalExpression: a fast path (one shared empty list); the loop finds none too
  if (statement.conditions.length === 0) return NONE
  const out: string[] = []
  for (const c of statement.conditions) if (c.operator !== 'Null' && !context.has(c.lookup)) out.push(c.key)
  return out
}

/**
 * A statement's actions by service: exact names in a set, globs by the service they name, and
 * globs whose service part is itself a wildcard. Built once per statement: most statements name
 * other services than the request's, and most actions are written out in full.
 */
interface ActionIndex {
  exact: Set<string>
  globs: Map<string, Pattern[]>
  anyService: Pattern[]
}
const actionIndexes = new WeakMap<ParsedStatement, ActionIndex>()

function actionIndex(statement: ParsedStatement): ActionIndex {
  let index = actionIndexes.get(statement)
  // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
  if (!index) {
    index = { exact: new Set(), globs: new Map(), anyService: [] }
    // The index only narrows which patterns are tried: a pattern filed in a wider place (any
    // service, or as a glob) still matches the same actions, so mutants that file it elsewhere
    // are equivalent; one that drops a pattern is not, and is not disabled.
    // Stryker disable ConditionalExpression,EqualityOperator,LogicalOperator,MethodExpression,Regex
    for (const p of statement.action.patterns) {
      const colon = p.text.indexOf(':')
      const service = colon < 0 ? p.text : p.text.slice(0, colon)
      if (!/[*?]/.test(p.text)) index.exact.add(p.text)
      else if (colon < 0 || /[*?]/.test(service)) index.anyService.push(p)
      else {
        const list = index.globs.get(service) ?? []
        list.push(p)
        index.globs.set(service, list)
      }
    }
    // Stryker restore ConditionalExpression,EqualityOperator,LogicalOperator,MethodExpression,Regex
    actionIndexes.set(statement, index)
  }
  return index
}

// (action patterns are lower-cased when read, as the action asked is)
function actionMatches(statement: ParsedStatement, action: string): boolean {
  const index = actionIndex(statement)
  let matched = index.exact.has(action)
  if (!matched) {
    const colon = action.indexOf(':')
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an action without a colon is in no service's list either way
    const globs = index.globs.get(colon < 0 ? action : action.slice(0, colon))
    matched = (globs !== undefined && globs.some((p) => globMatch(patternGlob(p), action))) || index.anyService.some((p) => globMatch(patternGlob(p), action))
  }
  return matched !== statement.action.not
}

function resourceMatches(matcher: ResourceMatcher, prepared: Prepared, conditionOptions: ConditionOptions): boolean {
  let matched = false
  for (const p of matcher.patterns) {
    let globs
    // Stryker disable next-line LogicalOperator: a pattern without variables resolves to its own text
    if (p.variables && conditionOptions.version2012) {
      const tokens = resolveVariables(p.text, prepared.request.context, conditionOptions.missing)
      // a variable without a value: this pattern matches no resource
      if (!tokens) continue
      globs = arnGlobs(tokens)
    } else globs = patternArn(p)
    if (arnMatchesParts(globs, prepared.request.resource, prepared.parts)) {
      matched = true
      break
    }
  }
  return matched !== matcher.not
}

/**
 * How a Principal (or NotPrincipal) names the caller: the caller itself (or every principal),
 * the caller's role or federating user, its account; undefined when it does not. Principals are
 * compared exactly: IAM reads no wildcard inside one.
 */
export function principalMatches(matcher: PrincipalMatcher, caller: Caller): Grant | undefined {
  let best: Grant | undefined = matcher.any ? 'direct' : undefined
  for (const { kind, value } of matcher.values) {
    const grant = namedBy(kind, value, caller)
    if (grant === 'direct') best = 'direct'
    else if (grant === 'parent' && best !== 'direct') best = 'parent'
    else if (grant === 'account' && best === undefined) best = 'account'
  }
  if (!matcher.not) return best
  // NotPrincipal applies to everyone it does not name. The guide has the excepted principal listed
  // with its account: the account's ARN alone excepts no one but the root user, so only the
  // caller itself (or its role, or the user who federated) excepts the caller
  return best === 'direct' || best === 'parent' ? undefined : 'direct'
}

const ACCOUNT_ID = /^\d{12}$/
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/

function namedBy(kind: string, value: string, caller: Caller): Grant | undefined {
  if (kind === 'Service') return caller.service === value ? 'direct' : undefined
  if (kind === 'Federated') return caller.federatedProvider === value ? 'direct' : undefined
  // AWS (a CanonicalUser names no caller here)
  const account = ACCOUNT_ID.test(value) ? value : ROOT_ARN.exec(value)?.[1]
  if (account !== undefined) return caller.account === account ? (caller.type === 'root' ? 'direct' : 'account') : undefined
  if (value === caller.arn) return 'direct'
  return value === caller.roleArn || value === caller.userArn ? 'parent' : undefined
}

function any(hits: readonly Hit[]): Truth {
  let t: Truth = FALSE
  for (const h of hits) {
    if (h.truth === TRUE) return TRUE
    // (a hit is kept only when it holds or may)
    t = UNKNOWN
  }
  return t
}

function and(...xs: Truth[]): Truth {
  let t: Truth = TRUE
  for (const x of xs) {
    if (x === FALSE) return FALSE
    if (x === UNKNOWN) t = UNKNOWN
  }
  return t
}

function or(...xs: Truth[]): Truth {
  let t: Truth = FALSE
  for (const x of xs) {
    if (x === TRUE) return TRUE
    if (x === UNKNOWN) t = UNKNOWN
  }
  return t
}
