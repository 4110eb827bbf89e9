// Who is admin, who can become admin, and every way how. Admin means effective admin: a set of
// probe actions across services allowed on `*` after every policy of the principal, its boundary
// and every Deny. Everyone else is searched for paths: hops from principal to principal (assuming
// a role, minting another user's credentials, passing a role to a service, taking over a resource
// that runs as a role) ending at an admin, or at a hop that makes the principal admin itself
// (editing its own policies, its group's, a policy attached to it, its boundary). Each hop names its
// method (escalation-methods.ts), the permissions it needs on which resource, and the statements
// that grant them; a hop is conditional when a grant depends on a condition the request could
// carry or not, and so is every path through it.
import type { Statement } from '../iam/generated/types.js'
import { type Account, type AccountGroup, type AccountPrincipal, boundaryPolicy, identityPolicies } from './account.js'
import { evaluate, statementsFor } from './evaluate.js'
import { type EscalationMethod, METHODS, methodLink } from './escalation-methods.js'
import { globMatch, patternGlob } from './match.js'
import { readPolicy } from './read.js'
import { callerFor, openUnlessPrincipalKey, principalContext } from './principals.js'
import { toStatement } from './simulate.js'
import type { Caller, ContextValue, Outcome, ParsedPolicy, PolicySet } from './types.js'

export interface EscalationOptions {
  /** report paths to this principal (an ARN) instead of to admin */
  target?: string
  /** hops in a path at most (default 5) */
  maxDepth?: number
  /** paths kept per principal (default 100); past it the entry says Truncated */
  maxPaths?: number
  /** the time of the requests (default now): aws:CurrentTime, aws:EpochTime, aws:TokenIssueTime */
  now?: Date
}

export interface EscalationPermission {
  Action: string
  Resource: string
  Conditional: boolean
  MatchedStatements: Statement[]
}

export interface EscalationHop {
  MethodId: string
  Method: string
  Link: string
  /** who acts */
  Principal: string
  /** what it acts on: a principal, a group or a policy */
  Target: string
  /** whose permissions the actor holds after the hop */
  Gains: string
  /** the hop ends in admin (the actor's, or the principal it gains, made admin) */
  BecomesAdmin: boolean
  Conditional: boolean
  Permissions: EscalationPermission[]
  /** existing resources: what the hop takes for granted */
  Assumes?: string
}

export interface EscalationPath {
  Hops: EscalationHop[]
  Conditional: boolean
}

export interface EscalationEntry {
  PrincipalArn: string
  PrincipalType: 'user' | 'role'
  IsAdmin: boolean
  /** admin only under conditions (IsAdmin), or every path conditional */
  Conditional: boolean
  /** admins: the statements that make it so */
  AdminStatements?: Statement[]
  Paths: EscalationPath[]
  /** more paths than maxPaths */
  Truncated?: boolean
}

export interface EscalationResult {
  Escalations: EscalationEntry[]
}

/** What every effective admin can do, across services; each on `*`. */
export const ADMIN_PROBES: readonly string[] = [
  'iam:CreateUser',
  'iam:PutRolePolicy',
  'iam:AttachUserPolicy',
  'iam:CreateAccessKey',
  'sts:AssumeRole',
  'organizations:LeaveOrganization',
  'ec2:RunInstances',
  's3:GetObject',
  's3:PutBucketPolicy',
  'lambda:CreateFunction',
  'kms:Decrypt',
  'secretsmanager:GetSecretValue',
  'dynamodb:DeleteTable',
  'cloudtrail:StopLogging',
  'rds:DeleteDBInstance',
]

const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess'
/** What an escalation grants itself: everything (an inline policy, an attachment, a new version). */
const ADMIN_DOCUMENT: ParsedPolicy = readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { id: 'granted by the escalation' })

/** Every principal of the account that is admin or can become admin (or reach `options.target`), with every path. */
export function escalations(account: Account, options: EscalationOptions = {}): EscalationResult {
  const analysis = new Analysis(account, options)
  analysis.prepare()
  const out: EscalationEntry[] = []
  for (const p of [...account.users, ...account.roles]) {
    const entry = analysis.entry(p)
    if (entry.IsAdmin || entry.Paths.length > 0) out.push(entry)
  }
  return { Escalations: out }
}

interface Grant {
  ok: boolean
  conditional: boolean
  statements: Statement[]
}

/** What a principal's policies say of one action before a resource is named; `grants`: when uniform, the answer for every resource, by extra context. */
interface ActionView {
  may: boolean
  uniform: boolean
  grants: Map<string, Grant>
}

/** The one refusal (shared, frozen: a refusal carries no evidence). */
const NO: Grant = { ok: false, conditional: false, statements: [] }
Object.freeze(NO.statements)
Object.freeze(NO)

interface Edge {
  hop: EscalationHop
  /** the principal gained, for the search to go on from */
  to: AccountPrincipal
}

class Analysis {
  readonly #account: Account
  readonly #options: EscalationOptions
  readonly #time: Map<string, ContextValue>
  readonly #sets = new Map<AccountPrincipal, { caller: Caller; policies: PolicySet; context: Map<string, ContextValue> }>()
  readonly #admin = new Map<AccountPrincipal, Grant>()
  readonly #self = new Map<AccountPrincipal, EscalationHop[]>()
  readonly #edges = new Map<AccountPrincipal, Map<AccountPrincipal, Edge[]>>()
  readonly #candidateSets = new Map<AccountPrincipal, Set<AccountPrincipal>>()
  readonly #services = new Map<string, Array<[string, string, Grant]> | undefined>()
  #useful: Set<AccountPrincipal> | undefined
  readonly #trusts = new Map<AccountPrincipal, Set<AccountPrincipal>>()
  /** each principal's hops once the worth-reaching set is final (after prepare) */
  readonly #final = new Map<AccountPrincipal, Edge[]>()
  readonly #may = new Map<AccountPrincipal, Map<string, ActionView>>()
  /** roles by the services their trust policy names */
  readonly #byService = new Map<string, AccountPrincipal[]>()
  /** the services each role's trust policy names */
  readonly #servicesOf = new Map<AccountPrincipal, Set<string>>()
  #trustIndex: { named: Map<string, Set<AccountPrincipal>>; wide: Set<AccountPrincipal> } | undefined
  readonly #boundaries = new Map<AccountPrincipal, { caps: false; removal?: [string, string, Grant] } | { caps: true }>()
  /** whether a principal would be admin with an admin policy of its own added (its Denies and boundary still apply) */
  readonly #promotable = new Map<AccountPrincipal, boolean>()

  constructor(account: Account, options: EscalationOptions) {
    this.#account = account
    this.#options = options
    const now = options.now ?? new Date()
    const iso = now.toISOString().replace(/\.\d{3}Z$/, 'Z')
    this.#time = new Map([
      ['aws:currenttime', { values: [iso], type: 'date' }],
      ['aws:tokenissuetime', { values: [iso], type: 'date' }],
      ['aws:epochtime', { values: [String(Math.floor(now.getTime() / 1000))], type: 'numeric' }],
    ])
    for (const role of account.roles) {
      const services = new Set<string>()
      // Stryker disable next-line ArrayDeclaration: a stray non-statement is skipped as not an Allow
      for (const s of role.trust?.statements ?? []) {
        if (s.effect !== 'Allow' || !s.principal || s.principal.not) continue
        // Stryker disable next-line ConditionalExpression: an AWS principal's ARN is never the service name a method looks up
        for (const v of s.principal.values) if (v.kind === 'Service') services.add(v.value)
      }
      this.#servicesOf.set(role, services)
      for (const service of services) {
        // Stryker disable next-line ArrayDeclaration: a stray non-role in the list matches no method's checks
        const list = this.#byService.get(service) ?? []
        list.push(role)
        this.#byService.set(service, list)
      }
    }
  }

  entry(p: AccountPrincipal): EscalationEntry {
    const admin = this.admin(p)
    const entry: EscalationEntry = { PrincipalArn: p.arn, PrincipalType: p.type, IsAdmin: admin.ok, Conditional: admin.conditional, Paths: [] }
    if (admin.ok) {
      entry.AdminStatements = admin.statements
      if (!admin.conditional && this.#options.target === undefined) return entry
    }
    const max = this.#options.maxPaths ?? 100
    const paths: EscalationPath[] = []
    let truncated = false
    const record = (hops: EscalationHop[]) => {
      if (paths.length >= max) {
        truncated = true
        return
      }
      paths.push({ Hops: hops, Conditional: hops.some((h) => h.Conditional) })
    }
    // shortest paths first: each depth in turn, so a cap keeps the shortest
    const depth = this.#options.maxDepth ?? 5
    for (let d = 1; d <= depth && !truncated; d++) this.#search(p, [], new Set([p]), d, record)
    entry.Paths = paths
    if (truncated) entry.Truncated = true
    if (!admin.ok) entry.Conditional = paths.length > 0 && paths.every((x) => x.Conditional)
    return entry
  }

  /** Paths of exactly `length` hops from `node` on (the ones so far in `hops`), each recorded once. */
  #search(node: AccountPrincipal, hops: EscalationHop[], seen: Set<AccountPrincipal>, length: number, record: (hops: EscalationHop[]) => void): void {
    const target = this.#options.target
    const last = hops.length + 1 === length
    if (target === undefined && last) for (const hop of this.selfHops(node)) record([...hops, hop])
    for (const { hop, to } of this.edges(node)) {
      if (seen.has(to)) continue
      const path = [...hops, hop]
      const ends = target !== undefined ? to.arn === target : hop.BecomesAdmin || this.admin(to).ok
      if (ends) {
        if (last) record(path)
        continue
      }
      if (last) continue
      seen.add(to)
      this.#search(to, path, seen, length, record)
      seen.delete(to)
    }
  }

  /** Effective admin: every probe allowed on `*`. */
  admin(p: AccountPrincipal): Grant {
    const known = this.#admin.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (known) return known
    let conditional = false
    const statements = new Map<string, Statement>()
    // (a refusal is NO: no statements, not conditional)
    const ok = ADMIN_PROBES.every((action) => {
      // Stryker disable next-line StringLiteral: a statement's resource pattern matches '' wherever it matches '*'
      const g = this.can(p, action, '*')
      if (g.conditional) conditional = true
      for (const s of g.statements) statements.set(JSON.stringify(s), s)
      return g.ok
    })
    const result: Grant = ok ? { ok, conditional, statements: [...statements.values()] } : NO
    this.#admin.set(p, result)
    return result
  }

  /** Whether `p` may do `action` on `resource`: the evaluator with p's policies, its own context keys, the time, and `extra`. */
  can(p: AccountPrincipal, action: string, resource: string, extra?: ReadonlyMap<string, ContextValue>, resourcePolicy?: ParsedPolicy, identity?: ParsedPolicy[]): Grant {
    // a resource's policy may grant without any identity permission (a trust policy naming p)
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a fast path; evaluating every time gives the same answer
    if (resourcePolicy || identity) return this.#evaluate(p, action, resource, extra, resourcePolicy, identity)
    const view = this.#view(p, action)
    // Stryker disable next-line ConditionalExpression: a fast path (no Allow names the action: the evaluator would deny)
    if (!view.may) return NO
    // Stryker disable next-line ConditionalExpression: a fast path; evaluating every time gives the same answer
    if (!view.uniform) return this.#evaluate(p, action, resource, extra)
    // every statement that names the action covers every resource: one answer for all of them (per extra context)
    // Stryker disable next-line StringLiteral: any fixed key for "no extra context" will do
    const key = extra ? contextKey(extra) : ''
    let grant = view.grants.get(key)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!grant) {
      grant = this.#evaluate(p, action, resource, extra)
      view.grants.set(key, grant)
    }
    return grant
  }

  #evaluate(p: AccountPrincipal, action: string, resource: string, extra?: ReadonlyMap<string, ContextValue>, resourcePolicy?: ParsedPolicy, identity?: ParsedPolicy[]): Grant {
    const set = this.#set(p)
    let context = set.context
    if (extra) {
      context = new Map(context)
      for (const [k, v] of extra) context.set(k, v)
    }
    const policies: PolicySet = identity ? { ...set.policies, identity } : set.policies
    const outcome: Outcome = evaluate(
      { action, resource, caller: set.caller, context, resourceAccount: this.#account.id },
      resourcePolicy ? { ...policies, resource: [resourcePolicy] } : policies,
      // (only a key the context lacks is asked about)
      { unknown: openUnlessPrincipalKey, resourceRequired: resourcePolicy !== undefined },
    )
    // a refusal's statements are never shown: only a grant's become evidence
    if (outcome.decision !== 'allowed') return NO
    return { ok: true, conditional: outcome.conditional, statements: outcome.statements.map(toStatement) }
  }

  /** Cheap test before evaluating: some Allow statement of p's identity policies names the action (resources and conditions aside). */
  #mayAllow(p: AccountPrincipal, action: string): boolean {
    return this.#view(p, action).may
  }

  /**
   * What p's own policies say of an action before a resource is named (once per principal and
   * action): whether an Allow names it, and whether every statement naming it, in the identity
   * policies and the boundary, covers every resource (`Resource: "*"`), so that the answer is
   * the same for every resource of the account.
   */
  #view(p: AccountPrincipal, action: string): ActionView {
    let mine = this.#may.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!mine) {
      mine = new Map()
      this.#may.set(p, mine)
    }
    let view = mine.get(action)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (view) return view
    const lower = action.toLowerCase()
    const { identity, boundary } = this.#set(p).policies
    // (a fast path only: "may" wrongly true, or "uniform" wrongly false, evaluates in full and
    // answers the same; the other way round answers wrongly, and the tests see it)
    // Stryker disable next-line ConditionalExpression: may always true evaluates in full
    const may = identity.some((policy) => statementsFor(policy, lower).some((s) => s.effect === 'Allow'))
    // Stryker disable next-line ArrowFunction: not uniform evaluates per resource
    const everywhere = (policy: ParsedPolicy) => statementsFor(policy, lower).every((s) => s.resource !== undefined && !s.resource.not && s.resource.patterns.some((pt) => pt.text === '*'))
    // Stryker disable next-line ConditionalExpression: not uniform evaluates per resource
    view = { may, uniform: may && identity.every(everywhere) && (boundary ?? []).every(everywhere), grants: new Map() }
    mine.set(action, view)
    return view
  }

  #set(p: AccountPrincipal) {
    let set = this.#sets.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!set) {
      const context = principalContext(this.#account, p)
      for (const [k, v] of this.#time) context.set(k, v)
      const policies: PolicySet = { identity: identityPolicies(this.#account, p) }
      const boundary = boundaryPolicy(this.#account, p)
      // Stryker disable next-line ConditionalExpression: a boundary of undefined is none
      if (boundary) policies.boundary = boundary
      set = { caller: callerFor(this.#account, p), policies, context }
      this.#sets.set(p, set)
    }
    return set
  }

  /**
   * How p's permissions boundary stands between it and admin rights: not at all (none, or one
   * that allows every probe), or p can take it off (the grant, for the hop's evidence), or it caps p.
   */
  #boundary(p: AccountPrincipal): { caps: false; removal?: [string, string, Grant] } | { caps: true } {
    // Stryker disable next-line ObjectLiteral: caps undefined reads as false
    if (p.boundaryArn === undefined) return { caps: false }
    const known = this.#boundaries.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (known) return known
    const found = this.#boundaryOf(p)
    this.#boundaries.set(p, found)
    return found
  }

  #boundaryOf(p: AccountPrincipal): { caps: false; removal?: [string, string, Grant] } | { caps: true } {
    const set = this.#set(p)
    const boundary = set.policies.boundary ?? []
    if (ADMIN_PROBES.every((action) => evaluate({ action, resource: '*', caller: set.caller, context: set.context }, { identity: boundary }).decision === 'allowed')) return { caps: false }
    const remove = p.type === 'user' ? 'iam:DeleteUserPermissionsBoundary' : 'iam:DeleteRolePermissionsBoundary'
    const g = this.can(p, remove, p.arn)
    return g.ok ? { caps: false, removal: [remove, p.arn, g] } : { caps: true }
  }

  /**
   * Whether p would be admin holding these identity policies: its Denies stay (they are among
   * them), and so does its boundary unless p can take it off.
   */
  #adminHolding(p: AccountPrincipal, identity: ParsedPolicy[]): boolean {
    const b = this.#boundary(p)
    if (b.caps) return false
    // quick answer: an unconditional Allow of everything, no Deny anywhere, no boundary in the way
    // Stryker disable next-line EqualityOperator: a boundary that neither caps nor can be removed allows every probe: the full evaluation answers the same
    if ((b.removal || p.boundaryArn === undefined) && identity.includes(ADMIN_DOCUMENT) && identity.every((d) => d.statements.every((st) => st.effect === 'Allow'))) return true
    const set = this.#set(p)
    // Stryker disable next-line ObjectLiteral,ConditionalExpression,LogicalOperator,BooleanLiteral: a boundary kept here allows every probe (one that does not caps, returned above): dropping it answers the same
    const policies: PolicySet = { identity, ...(b.removal || !set.policies.boundary ? {} : { boundary: set.policies.boundary }) }
    // Stryker disable next-line StringLiteral: a statement's resource pattern matches '' wherever it matches '*'
    return ADMIN_PROBES.every((action) => evaluate({ action, resource: '*', caller: set.caller, context: set.context }, policies, { unknown: openUnlessPrincipalKey }).decision === 'allowed')
  }

  /** Admin holding these policies, or one self-grant away from it (an inline or attached admin policy of its own). */
  #adminAfter(p: AccountPrincipal, identity: ParsedPolicy[]): boolean {
    if (this.#adminHolding(p, identity)) return true
    const [put, attach] = p.type === 'user' ? ['iam:PutUserPolicy', 'iam:AttachUserPolicy'] : ['iam:PutRolePolicy', 'iam:AttachRolePolicy']
    const grants = this.can(p, put, p.arn, undefined, undefined, identity).ok || this.can(p, attach, p.arn, policyArn(ADMIN_POLICY), undefined, identity).ok
    return grants && this.#adminHolding(p, [...identity, ADMIN_DOCUMENT])
  }

  /** Hops by which p makes itself admin. */
  selfHops(p: AccountPrincipal): EscalationHop[] {
    const known = this.#self.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (known) return known
    const hops: EscalationHop[] = []
    const boundary = this.#boundary(p)
    const own = identityPolicies(this.#account, p)
    const method = (id: string) => METHODS.find((m) => m.id === id) as EscalationMethod
    // a grant of admin rights to p: the hop counts when p is then admin (its Denies and boundary
    // still apply; a boundary p can take off is taken off, and the hop says so)
    const add = (m: EscalationMethod, target: string, grants: Array<[string, string, Grant]>, holding: ParsedPolicy[]) => {
      // Stryker disable next-line MethodExpression: every self-grant is one permission: every and some agree
      if (!grants.every(([, , g]) => g.ok) || !this.#adminHolding(p, holding)) return
      hops.push(this.#hop(m, p, target, p.arn, true, !boundary.caps && boundary.removal ? [...grants, boundary.removal] : grants))
    }
    // Stryker disable next-line ConditionalExpression: a capped principal is never admin holding anything (adminHolding says so): trying answers the same
    if (!boundary.caps) {
      const plus = [...own, ADMIN_DOCUMENT]
      if (p.type === 'user') {
        add(method('iam-007'), p.arn, [['iam:PutUserPolicy', p.arn, this.can(p, 'iam:PutUserPolicy', p.arn)]], plus)
        add(method('iam-008'), p.arn, [['iam:AttachUserPolicy', p.arn, this.can(p, 'iam:AttachUserPolicy', p.arn, policyArn(ADMIN_POLICY))]], plus)
        for (const g of p.groups) {
          add(method('iam-010'), g.arn, [['iam:AttachGroupPolicy', g.arn, this.can(p, 'iam:AttachGroupPolicy', g.arn, policyArn(ADMIN_POLICY))]], plus)
          add(method('iam-011'), g.arn, [['iam:PutGroupPolicy', g.arn, this.can(p, 'iam:PutGroupPolicy', g.arn)]], plus)
        }
      } else {
        add(method('iam-005'), p.arn, [['iam:PutRolePolicy', p.arn, this.can(p, 'iam:PutRolePolicy', p.arn)]], plus)
        add(method('iam-009'), p.arn, [['iam:AttachRolePolicy', p.arn, this.can(p, 'iam:AttachRolePolicy', p.arn, policyArn(ADMIN_POLICY))]], plus)
      }
      // a customer managed policy attached to p or its groups: a new default version with anything
      for (const arn of this.#attachedTo(p)) {
        const policy = this.#account.policies.get(arn)
        if (!policy || policy.kind === 'aws-managed') continue
        add(method('iam-001'), arn, [['iam:CreatePolicyVersion', arn, this.can(p, 'iam:CreatePolicyVersion', arn)]], own.map((d) => (d === policy.document ? ADMIN_DOCUMENT : d)))
      }
    }
    // another version of an attached policy made the default
    // Stryker disable next-line ArrayDeclaration: an ARN that is no policy of the account is skipped
    for (const arn of this.#mayAllow(p, 'iam:SetDefaultPolicyVersion') ? this.#attachedTo(p) : []) {
      const policy = this.#account.policies.get(arn)
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a fast path: a policy of one version has only its default, skipped below
      if (!policy || policy.versions.length < 2) continue
      const g = this.can(p, 'iam:SetDefaultPolicyVersion', arn)
      if (!g.ok) continue
      for (const v of policy.versions) {
        if (v.isDefault || !this.#adminAfter(p, own.map((d) => (d === policy.document ? v.document : d)))) continue
        hops.push(this.#hop(SET_DEFAULT, p, `${arn} (${v.versionId})`, p.arn, true, [['iam:SetDefaultPolicyVersion', arn, g]]))
      }
    }
    // joining a group whose policies make p admin (or able to make itself admin)
    if (p.type === 'user' && this.#mayAllow(p, 'iam:AddUserToGroup')) {
      for (const g of this.#account.groups) {
        if (p.groups.includes(g) || !this.#adminAfter(p, [...own, ...groupPolicies(this.#account, g)])) continue
        const grant = this.can(p, 'iam:AddUserToGroup', g.arn)
        if (grant.ok) hops.push(this.#hop(method('iam-013'), p, g.arn, p.arn, true, [['iam:AddUserToGroup', g.arn, grant]]))
      }
    }
    // a boundary taken off, when p's own policies are admin without it
    if (!boundary.caps && boundary.removal && this.#adminHolding(p, own)) hops.push(this.#hop(DELETE_BOUNDARY, p, p.arn, p.arn, true, [boundary.removal]))
    this.#self.set(p, hops)
    return hops
  }

  #attachedTo(p: AccountPrincipal): string[] {
    return [...new Set([...p.attached, ...p.groups.flatMap((g) => g.attached)])]
  }

  /**
   * The principals worth a hop from p: every principal p could reach, restricted, unless p can
   * also edit policies (then any principal it reaches may be made admin), to those from which
   * admin (or the target) is reachable. Found backwards, a round a hop (see `prepare`), so that a
   * principal is never tried against every other one for nothing.
   */
  *#worthReaching(p: AccountPrincipal): Iterable<AccountPrincipal> {
    const edits = ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:PutUserPolicy', 'iam:AttachUserPolicy'].some((a) => this.#mayAllow(p, a))
    const useful = this.#useful
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: pruning: yielding more principals only searches more
    for (const q of this.#candidates(p)) if (edits || !useful || useful.has(q)) yield q
  }

  /** Whom p could reach at all, by any method it holds any permission for (no resource or condition read yet). */
  #candidates(p: AccountPrincipal): Set<AccountPrincipal> {
    let known = this.#candidateSets.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (known) return known
    known = new Set(this.#trusting(p))
    // Stryker disable next-line ConditionalExpression: pruning: more candidates only search more (each hop is evaluated)
    if (this.#mayAllow(p, 'iam:UpdateAssumeRolePolicy')) for (const q of this.#account.roles) if (!q.serviceLinked) known.add(q)
    // Stryker disable next-line ConditionalExpression: pruning: more candidates only search more (each hop is evaluated)
    if (['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].some((a) => this.#mayAllow(p, a))) for (const q of this.#account.users) known.add(q)
    for (const m of METHODS) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: pruning: more candidates only search more (each hop is evaluated)
      if ((m.kind !== 'passrole' && m.kind !== 'existing') || !m.service || !m.actions.every((a) => this.#mayAllow(p, a))) continue
      // Stryker disable next-line ConditionalExpression: pruning: more candidates only search more (each hop is evaluated)
      for (const q of this.#byService.get(m.service) ?? []) if (!m.instanceProfile || hasInstanceProfile(q)) known.add(q)
    }
    known.delete(p)
    this.#candidateSets.set(p, known)
    return known
  }

  /**
   * Finds, backwards from the goal (admins and who can make itself admin, or the target), every
   * principal that can reach it in at most maxDepth hops; the search then only follows hops into
   * that set.
   */
  // Stryker disable next-line BlockStatement: pruning: without it every principal is searched, with the same paths
  prepare(): void {
    const all = [...this.#account.users, ...this.#account.roles]
    const target = this.#options.target
    const useful = new Set(all.filter((q) => (target !== undefined ? q.arn === target : this.admin(q).ok || this.selfHops(q).length > 0)))
    this.#useful = useful
    const depth = this.#options.maxDepth ?? 5
    // Stryker disable next-line EqualityOperator,UpdateOperator: more rounds only grow the set searched
    for (let round = 0; round < depth; round++) {
      // Stryker disable next-line BooleanLiteral: more rounds only grow the set searched
      let grew = false
      for (const p of all) {
        if (useful.has(p) || !this.#reachesSome(p, useful, target === undefined)) continue
        useful.add(p)
        grew = true
      }
      // Stryker disable next-line ConditionalExpression,BooleanLiteral: more rounds only grow the set searched
      if (!grew) break
    }
  }

  /** Whether p has a hop into `useful`, or (toward admin) one that makes someone admin. */
  #reachesSome(p: AccountPrincipal, useful: Set<AccountPrincipal>, toAdmin: boolean): boolean {
    for (const q of this.#worthReaching(p)) {
      // Stryker disable next-line LogicalOperator: pruning: a wider test only grows the set searched
      for (const e of this.#edgesTo(p, q)) if ((toAdmin && e.hop.BecomesAdmin) || useful.has(q)) return true
    }
    // Stryker disable next-line BooleanLiteral: pruning: every principal kept only searches more
    return false
  }

  /** Hops from p to other principals worth reaching: their credentials or sessions, or them made admin and then reached. */
  edges(p: AccountPrincipal): Edge[] {
    const known = this.#final.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (known) return known
    const edges: Edge[] = []
    for (const q of this.#worthReaching(p)) edges.push(...this.#edgesTo(p, q))
    this.#final.set(p, edges)
    return edges
  }

  /** Every hop from p to q (remembered per pair). */
  #edgesTo(p: AccountPrincipal, q: AccountPrincipal): Edge[] {
    let byTarget = this.#edges.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!byTarget) {
      byTarget = new Map()
      this.#edges.set(p, byTarget)
    }
    const known = byTarget.get(q)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (known) return known
    const edges: Edge[] = []
    const byId = (id: string) => METHODS.find((m) => m.id === id) as EscalationMethod
    if (q.type === 'role') {
      // sts:AssumeRole, through q's trust policy
      // Stryker disable next-line ConditionalExpression,LogicalOperator: pruning: the trust policy is evaluated for the hop either way
      if (q.trust && this.#trusting(p).has(q)) {
        const grant = this.can(p, 'sts:AssumeRole', q.arn, undefined, q.trust)
        if (grant.ok) {
          edges.push({ hop: this.#hop(byId('sts-001'), p, q.arn, q.arn, false, [['sts:AssumeRole', q.arn, grant]]), to: q })
          this.#makeAdmin(p, q, 'assume', ['sts:AssumeRole', q.arn, grant], edges)
        }
      }
      // rewriting the trust policy, then assuming (the new trust names p itself: no identity permission needed)
      // Stryker disable next-line LogicalOperator: mayAllow is a fast path; a service-linked role stays out either way below
      if (!q.serviceLinked && this.#mayAllow(p, 'iam:UpdateAssumeRolePolicy')) {
        const update = this.can(p, 'iam:UpdateAssumeRolePolicy', q.arn)
        if (update.ok) {
          edges.push({ hop: this.#hop(byId('iam-012'), p, q.arn, q.arn, false, [['iam:UpdateAssumeRolePolicy', q.arn, update]]), to: q })
          // Stryker disable next-line StringLiteral: any route but assume and keys reads as the trust route
          this.#makeAdmin(p, q, 'trust', ['iam:UpdateAssumeRolePolicy', q.arn, update], edges)
        }
      }
      // a role passed to a new resource, or an existing resource taken over
      for (const m of METHODS) {
        if ((m.kind !== 'passrole' && m.kind !== 'existing') || !m.service || (m.instanceProfile && !hasInstanceProfile(q))) continue
        // Stryker disable next-line OptionalChaining: every role of the account has its services
        if (!this.#servicesOf.get(q)?.has(m.service)) continue
        const others = this.#serviceGrants(p, m)
        if (!others) continue
        const grants = [...others]
        if (m.kind === 'passrole') {
          const pass = this.can(p, 'iam:PassRole', q.arn, new Map([['iam:passedtoservice', { values: [m.service], type: 'string' }]]))
          if (!pass.ok) continue
          grants.unshift(['iam:PassRole', q.arn, pass])
        }
        const hop = this.#hop(m, p, q.arn, q.arn, false, grants)
        if (m.kind === 'existing') hop.Assumes = `an existing resource of ${m.service} runs as ${q.arn}`
        edges.push({ hop, to: q })
      }
    // Stryker disable next-line ConditionalExpression: a fast path; each credential hop is evaluated
    } else if (['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].some((a) => this.#mayAllow(p, a))) {
      // another user's credentials
      const key = this.can(p, 'iam:CreateAccessKey', q.arn)
      if (key.ok) {
        edges.push({ hop: this.#hop(byId('iam-002'), p, q.arn, q.arn, false, [['iam:CreateAccessKey', q.arn, key]]), to: q })
        const del = this.can(p, 'iam:DeleteAccessKey', q.arn)
        if (del.ok) edges.push({ hop: this.#hop(byId('iam-003'), p, q.arn, q.arn, false, [['iam:CreateAccessKey', q.arn, key], ['iam:DeleteAccessKey', q.arn, del]]), to: q })
        this.#makeAdmin(p, q, 'keys', ['iam:CreateAccessKey', q.arn, key], edges)
      }
      for (const [id, action] of [['iam-004', 'iam:CreateLoginProfile'], ['iam-006', 'iam:UpdateLoginProfile']] as const) {
        const g = this.can(p, action, q.arn)
        if (g.ok) edges.push({ hop: this.#hop(byId(id), p, q.arn, q.arn, false, [[action, q.arn, g]]), to: q })
      }
    }
    byTarget.set(q, edges)
    return edges
  }

  /** A passrole or existing method's own actions (not PassRole), on `*`: their grants, or undefined when one is missing (per principal and method, once). */
  #serviceGrants(p: AccountPrincipal, m: EscalationMethod): Array<[string, string, Grant]> | undefined {
    const key = `${p.arn}\n${m.id}`
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (this.#services.has(key)) return this.#services.get(key)
    let out: Array<[string, string, Grant]> | undefined = []
    for (const a of m.actions) {
      if (a === 'iam:PassRole') continue
      // Stryker disable next-line StringLiteral: a statement's resource pattern matches '' wherever it matches '*'
      const g = this.can(p, a, '*')
      if (!g.ok) {
        out = undefined
        break
      }
      out.push([a, '*', g])
    }
    this.#services.set(key, out)
    return out
  }

  /**
   * The roles whose trust policy could let p in: naming p (or, for a role session, p's role), its
   * account (then p needs sts:AssumeRole itself), anyone, or with a NotPrincipal. An index built
   * once, so no principal is tried against every role.
   */
  #trusting(p: AccountPrincipal): Set<AccountPrincipal> {
    let known = this.#trusts.get(p)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!known) {
      known = this.#trustingOf(p)
      this.#trusts.set(p, known)
    }
    return known
  }

  #trustingOf(p: AccountPrincipal): Set<AccountPrincipal> {
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!this.#trustIndex) {
      const named = new Map<string, Set<AccountPrincipal>>()
      const wide = new Set<AccountPrincipal>()
      for (const q of this.#account.roles) {
        // Stryker disable next-line ArrayDeclaration: a stray non-statement is skipped as not an Allow
        for (const s of q.trust?.statements ?? []) {
          // Stryker disable next-line ConditionalExpression,LogicalOperator: pruning: more candidates only search more (the trust policy is evaluated)
          if (s.effect !== 'Allow' || !s.principal) continue
          if (s.principal.any || s.principal.not) {
            wide.add(q)
            continue
          }
          for (const v of s.principal.values) {
            // Stryker disable next-line ConditionalExpression: pruning: more candidates only search more
            if (v.kind !== 'AWS') continue
            const set = named.get(v.value) ?? new Set()
            set.add(q)
            named.set(v.value, set)
          }
        }
      }
      this.#trustIndex = { named, wide }
    }
    const { named, wide } = this.#trustIndex
    const caller = callerFor(this.#account, p)
    const out = new Set<AccountPrincipal>(wide)
    // Stryker disable next-line ConditionalExpression: no principal is named undefined
    for (const key of [caller.arn, caller.roleArn, p.arn]) if (key) for (const q of named.get(key) ?? []) out.add(q)
    // Stryker disable next-line ConditionalExpression: pruning: more candidates only search more
    if (this.#mayAllow(p, 'sts:AssumeRole')) {
      for (const key of [this.#account.id, `arn:aws:iam::${this.#account.id}:root`]) for (const q of named.get(key) ?? []) out.add(q)
    }
    out.delete(p)
    return out
  }

  /**
   * p reaches q (by `via`) and can also make q admin: q's policies (iam-014/017/019/021 for a
   * role, 015/018 for a user) or a customer managed policy attached to q (016/020). q's boundary
   * must let admin rights through.
   */
  #makeAdmin(p: AccountPrincipal, q: AccountPrincipal, via: 'assume' | 'trust' | 'keys', reach: [string, string, Grant], edges: Edge[]): void {
    const edits = q.type === 'role' ? ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion'] : ['iam:PutUserPolicy', 'iam:AttachUserPolicy']
    // Stryker disable next-line ConditionalExpression: a fast path; each edit is evaluated below
    if (!edits.some((a) => this.#mayAllow(p, a))) return
    // q made admin: an admin policy added to its own (its Denies and boundary still apply)
    let promotable = this.#promotable.get(q)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (promotable === undefined) {
      promotable = this.#adminHolding(q, [...identityPolicies(this.#account, q), ADMIN_DOCUMENT])
      this.#promotable.set(q, promotable)
    }
    if (!promotable) return
    const byId = (id: string) => METHODS.find((m) => m.id === id) as EscalationMethod
    const pairs: Array<[string, string, ParsedPolicy | undefined]> =
      q.type === 'role'
        ? [
            [via === 'assume' ? 'iam-017' : 'iam-021', 'iam:PutRolePolicy', undefined],
            [via === 'assume' ? 'iam-014' : 'iam-019', 'iam:AttachRolePolicy', undefined],
          ]
        // Stryker disable next-line ConditionalExpression: a user is reached only by its keys
        : via === 'keys'
          ? [
              ['iam-018', 'iam:PutUserPolicy', undefined],
              ['iam-015', 'iam:AttachUserPolicy', undefined],
            ]
          // Stryker disable next-line ArrayDeclaration: a user is reached only by its keys
          : []
    for (const [id, action] of pairs) {
      // Stryker disable next-line StringLiteral: iam:PolicyARN is not in a Put action's request, and no policy reads it there
      const g = this.can(p, action, q.arn, action.includes('Attach') ? policyArn(ADMIN_POLICY) : undefined)
      if (g.ok) edges.push({ hop: this.#hop(byId(id), p, q.arn, q.arn, true, [[action, q.arn, g], reach]), to: q })
    }
    if (q.type === 'role' && via !== 'keys') {
      for (const arn of q.attached) {
        const policy = this.#account.policies.get(arn)
        if (!policy || policy.kind === 'aws-managed') continue
        const g = this.can(p, 'iam:CreatePolicyVersion', arn)
        if (g.ok) edges.push({ hop: this.#hop(byId(via === 'assume' ? 'iam-016' : 'iam-020'), p, arn, q.arn, true, [['iam:CreatePolicyVersion', arn, g], reach]), to: q })
      }
    }
  }

  #hop(m: EscalationMethod, p: AccountPrincipal, target: string, gains: string, becomesAdmin: boolean, grants: Array<[string, string, Grant]>): EscalationHop {
    const permissions = grants.map(([action, resource, g]) => ({ Action: action, Resource: resource, Conditional: g.conditional, MatchedStatements: g.statements }))
    return { MethodId: m.id, Method: m.name, Link: methodLink(m.id), Principal: p.arn, Target: target, Gains: gains, BecomesAdmin: becomesAdmin, Conditional: permissions.some((x) => x.Conditional), Permissions: permissions }
  }
}

/** Self-escalation methods pathfinding.cloud does not list as their own. */
const SET_DEFAULT: EscalationMethod = { id: 'iam-edge-setdefaultpolicyversion', name: 'iam:SetDefaultPolicyVersion', kind: 'self', actions: ['iam:SetDefaultPolicyVersion'] }
const DELETE_BOUNDARY: EscalationMethod = { id: 'iam-edge-deletepermissionsboundary', name: 'iam:Delete*PermissionsBoundary', kind: 'self', actions: ['iam:DeleteUserPermissionsBoundary', 'iam:DeleteRolePermissionsBoundary'] }

/** A few extra context keys as one string (keys and values cannot hold a newline or NUL here: they are ARNs and service names). */
function contextKey(extra: ReadonlyMap<string, ContextValue>): string {
  // Stryker disable next-line StringLiteral: any common start keeps keys apart
  let key = ''
  for (const [k, v] of extra) key += `${k}\0${v.type}\0${v.values.join('\0')}\n`
  return key
}

function policyArn(arn: string): Map<string, ContextValue> {
  return new Map([['iam:policyarn', { values: [arn], type: 'string' }]])
}

function groupPolicies(account: Account, g: AccountGroup): ParsedPolicy[] {
  const out = [...g.inline]
  for (const arn of g.attached) {
    const doc = account.policies.get(arn)?.document
    if (doc) out.push(doc)
  }
  return out
}

function hasInstanceProfile(role: AccountPrincipal): boolean {
  return role.instanceProfiles > 0
}
