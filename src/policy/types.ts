// The types the evaluator's files share: policies in normal form, the request, and answers with
// their evidence. IAM's simulator shapes (the API's request and response) come from src/iam.

export type Effect = 'Allow' | 'Deny'

/** IAM's three decisions, spelled as its simulator spells them. */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny'

/** Where a policy came from, as IAM's simulator names it (SourcePolicyType), plus the kinds IAM's API lacks. */
export type PolicyKind = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none'

/** A line and column in a policy's text, as IAM's simulator counts them (both from 1). */
export interface TextPosition {
  Line: number
  Column: number
}

/** A run of a glob between two `*`s: literal text and `?`s (the number 1). */
export interface Segment {
  parts: Array<string | 1>
  length: number
}

/**
 * A glob compiled once: the segment anchored at the start, those between `*`s, and the one
 * anchored at the end (undefined when the glob has no `*`).
 */
export interface Glob {
  first: Segment
  middle: Segment[]
  last: Segment | undefined
}

/** A pattern as read from a policy: its text, and what it compiles to when it holds no policy variables. */
export interface Pattern {
  /** as written */
  text: string
  /** holds `${…}` and the policy's Version reads variables: compiled per request */
  variables: boolean
  /** compiled on first use */
  glob?: Glob
  /** ARN patterns: the six parts, or one glob when not ARN-shaped; compiled on first use */
  arn?: Glob[]
}

export interface ActionMatcher {
  /** NotAction */
  not: boolean
  /** lower-cased `service:action` globs */
  patterns: Pattern[]
}

export interface ResourceMatcher {
  not: boolean
  patterns: Pattern[]
}

export type PrincipalKind = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser'

export interface PrincipalMatcher {
  /** NotPrincipal */
  not: boolean
  /** `"Principal": "*"` (or `{"AWS": "*"}`): every principal */
  any: boolean
  values: Array<{ kind: PrincipalKind; value: string }>
}

/** IAM's condition operators, as named without a set qualifier or IfExists. */
export type OperatorName =
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase'
  | 'StringLike'
  | 'StringNotLike'
  | 'NumericEquals'
  | 'NumericNotEquals'
  | 'NumericLessThan'
  | 'NumericLessThanEquals'
  | 'NumericGreaterThan'
  | 'NumericGreaterThanEquals'
  | 'DateEquals'
  | 'DateNotEquals'
  | 'DateLessThan'
  | 'DateLessThanEquals'
  | 'DateGreaterThan'
  | 'DateGreaterThanEquals'
  | 'Bool'
  | 'BinaryEquals'
  | 'IpAddress'
  | 'NotIpAddress'
  | 'ArnEquals'
  | 'ArnLike'
  | 'ArnNotEquals'
  | 'ArnNotLike'
  | 'Null'

export interface Condition {
  /** as written, e.g. `ForAnyValue:StringLikeIfExists` */
  written: string
  operator: OperatorName
  qualifier: 'ForAllValues' | 'ForAnyValue' | undefined
  ifExists: boolean
  /** the context key as written */
  key: string
  /** lower-cased: context keys are not case-sensitive */
  lookup: string
  values: Pattern[]
}

export interface ParsedStatement {
  /** position in the policy's Statement list, from 0 */
  index: number
  sid: string | undefined
  effect: Effect
  /** undefined only where the policy kind allows it to be left out (never, for IAM: kept for clarity) */
  action: ActionMatcher
  /** undefined: no Resource element (a resource-based or trust policy: the resource it is attached to) */
  resource: ResourceMatcher | undefined
  /** resource-based and trust policies only */
  principal: PrincipalMatcher | undefined
  conditions: Condition[]
  start: TextPosition
  end: TextPosition
}

/** A policy document read once into normal form. */
export interface ParsedPolicy {
  /** SourcePolicyId: `PolicyInputList.1`, a policy's name, `ResourcePolicy`, … */
  id: string
  kind: PolicyKind
  /** the policy's ARN (managed policies), for evidence */
  arn?: string
  /** `2012-10-17` (policy variables), `2008-10-17` or undefined */
  version: string | undefined
  statements: ParsedStatement[]
  /** what the reader noticed without refusing the policy (a wildcard inside a principal, …) */
  warnings: string[]
}

/** A context key's values in a request, and its type as IAM's simulator names it. */
export interface ContextValue {
  values: string[]
  type: ContextType
}

export type ContextType = 'string' | 'stringList' | 'numeric' | 'numericList' | 'boolean' | 'booleanList' | 'ip' | 'ipList' | 'binary' | 'binaryList' | 'date' | 'dateList'

/** Request context: lower-cased key → values. */
export type RequestContext = ReadonlyMap<string, ContextValue>

/** Who makes the request. */
export interface Caller {
  /** the principal's ARN: a user, a role session (`arn:aws:sts::…:assumed-role/R/s`), a federated user, the root user, … */
  arn: string
  account: string
  type: 'user' | 'role-session' | 'federated-user' | 'root' | 'service' | 'anonymous'
  /** role sessions: the role's ARN (with its path) */
  roleArn?: string
  /** federated user sessions: the IAM user who federated */
  userArn?: string
  /** a service principal's name (`ec2.amazonaws.com`), or a federated (web identity, SAML) provider */
  service?: string
  federatedProvider?: string
}

export interface Request {
  /** `service:Action` */
  action: string
  /** an ARN, or `*` */
  resource: string
  caller: Caller
  context: RequestContext
  /** the account that owns the resource (default: the caller's) */
  resourceAccount?: string
}

/** The policies that apply to one request, by type. */
export interface PolicySet {
  identity: readonly ParsedPolicy[]
  /** a permissions boundary; undefined: none set */
  boundary?: readonly ParsedPolicy[]
  /** session policies; undefined: none passed */
  session?: readonly ParsedPolicy[]
  /** Organizations SCPs, one list per level (root, each OU, the account): every level must allow */
  scps?: ReadonlyArray<readonly ParsedPolicy[]>
  /** Organizations RCPs, likewise */
  rcps?: ReadonlyArray<readonly ParsedPolicy[]>
  /** the resource's policy (a bucket policy, a role's trust policy, …) */
  resource?: readonly ParsedPolicy[]
}

export type Layer = 'identity' | 'boundary' | 'session' | 'scp' | 'rcp' | 'resource'

/** One statement that took part in a decision: the evidence. */
export interface Evidence {
  layer: Layer
  policy: ParsedPolicy
  statement: ParsedStatement
  /** context keys its conditions read that the request lacked */
  missing: readonly string[]
  /** decided by conditions that read keys the request lacked (who-can's open context) */
  conditional: boolean
}

/** The evaluator's answer to one request. */
export interface Outcome {
  decision: Decision
  /** explicitDeny: the Deny statements; allowed: the Allow statements that granted; implicitDeny: the Allow statements a missing layer left ungranted */
  statements: Evidence[]
  /** which layers allowed, for the ones present */
  layers: Partial<Record<Layer, Decision>>
  /** context keys read by applicable statements and absent from the request */
  missing: string[]
  /** allowed only while conditions on absent keys hold (who-can's open context) */
  conditional: boolean
}
