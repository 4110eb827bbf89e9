// The account model: GetAccountAuthorizationDetails in any of the forms a user has — the
// iam-edge/iam client's typed output (Dates, decoded documents), the proxy's JSON facade (ISO
// dates), or what `aws iam get-account-authorization-details` prints (documents as objects) — and
// in pages or whole. Each principal gets its policy set: a user its inline and attached policies
// and its groups', a role its own, its boundary and its trust policy. Only a managed policy's
// default version grants; the others are kept for the analyses that look at them.
import type { GetAccountAuthorizationDetailsResponse } from '../iam/generated/types.js'
import { PolicyError, readPolicy } from './read.js'
import type { ParsedPolicy, PolicyKind } from './types.js'

export interface ManagedPolicy {
  name: string
  arn: string
  kind: 'aws-managed' | 'user-managed'
  defaultVersionId: string | undefined
  /** the default version, read; undefined when the export carries no document for it */
  document: ParsedPolicy | undefined
  /** every version the export carries, read (non-default ones never grant) */
  versions: Array<{ versionId: string; isDefault: boolean; document: ParsedPolicy }>
  attachmentCount: number | undefined
  boundaryUsageCount: number | undefined
}

export interface AccountGroup {
  name: string
  arn: string
  inline: ParsedPolicy[]
  attached: string[]
}

export interface AccountPrincipal {
  type: 'user' | 'role'
  name: string
  arn: string
  id: string | undefined
  path: string
  tags: ReadonlyMap<string, string>
  /** the principal's own inline policies */
  inline: ParsedPolicy[]
  /** ARNs of the managed policies attached to it directly */
  attached: string[]
  /** users: the groups it belongs to */
  groups: AccountGroup[]
  /** the permissions boundary's ARN */
  boundaryArn: string | undefined
  /** roles: the trust policy */
  trust: ParsedPolicy | undefined
  /** roles: service-linked (path /aws-service-role/) */
  serviceLinked: boolean
  /** roles: instance profiles it is in (EC2 instances can run as it) */
  instanceProfiles: number
}

export interface Account {
  id: string
  users: AccountPrincipal[]
  roles: AccountPrincipal[]
  groups: AccountGroup[]
  policies: ReadonlyMap<string, ManagedPolicy>
  byArn: ReadonlyMap<string, AccountPrincipal>
  /** what the reader noticed: an attached policy the export does not carry, … */
  warnings: string[]
}

/** One page as any of the three forms carries it; fields read loosely and checked one by one. */
type Loose = Record<string, unknown>

/**
 * Reads GetAccountAuthorizationDetails (one answer, or its pages in a list) into the account
 * model. A shape it does not know is an error naming the field, never an empty account.
 */
export function readAccount(details: GetAccountAuthorizationDetailsResponse | Loose | ReadonlyArray<GetAccountAuthorizationDetailsResponse | Loose>): Account {
  const pages = (Array.isArray(details) ? details : [details]) as Loose[]
  if (pages.length === 0) throw new AccountError('no pages: pass the answer of GetAccountAuthorizationDetails')
  const users: Loose[] = []
  const groups: Loose[] = []
  const roles: Loose[] = []
  const managed: Loose[] = []
  for (const [n, page] of pages.entries()) {
    if (page === null || typeof page !== 'object' || Array.isArray(page)) throw new AccountError(`page ${n + 1} is not an object`)
    const known = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'].filter((k) => k in page)
    if (known.length === 0) throw new AccountError(`page ${n + 1} has none of UserDetailList, GroupDetailList, RoleDetailList and Policies: is it GetAccountAuthorizationDetails' answer?`)
    users.push(...list(page, 'UserDetailList'))
    groups.push(...list(page, 'GroupDetailList'))
    roles.push(...list(page, 'RoleDetailList'))
    managed.push(...list(page, 'Policies'))
  }
  const warnings: string[] = []
  const policies = new Map<string, ManagedPolicy>()
  for (const p of managed) {
    const arn = str(p, 'Arn', 'a policy')
    const name = str(p, 'PolicyName', arn, arn.slice(arn.lastIndexOf('/') + 1))
    // Stryker disable next-line Regex: an ARN starts with arn:, so the anchor changes nothing
    const kind = /^arn:[^:]+:iam::aws:policy\//.test(arn) ? 'aws-managed' : 'user-managed'
    const defaultVersionId = optStr(p, 'DefaultVersionId', arn)
    const versions = list(p, 'PolicyVersionList').map((v) => {
      const versionId = str(v, 'VersionId', `${arn} version`)
      return { versionId, isDefault: v.IsDefaultVersion === true || versionId === defaultVersionId, document: read(v.Document, { id: name, kind, arn }, `${arn} ${versionId}`) }
    })
    const def = versions.find((v) => v.isDefault)
    if (!def) warnings.push(`${arn}: the export carries no default version: it grants nothing here`)
    policies.set(arn, { name, arn, kind, defaultVersionId, document: def?.document, versions, attachmentCount: optNum(p, 'AttachmentCount'), boundaryUsageCount: optNum(p, 'PermissionsBoundaryUsageCount') })
  }
  const groupList: AccountGroup[] = groups.map((g) => {
    const arn = str(g, 'Arn', 'a group')
    return { name: str(g, 'GroupName', arn), arn, inline: inlinePolicies(g, 'GroupPolicyList', 'group', arn), attached: attachedArns(g, arn) }
  })
  const groupsByName = new Map(groupList.map((g) => [g.name, g]))
  const principal = (p: Loose, type: 'user' | 'role'): AccountPrincipal => {
    const arn = str(p, 'Arn', `a ${type}`)
    const name = str(p, type === 'user' ? 'UserName' : 'RoleName', arn)
    const path = optStr(p, 'Path', arn) ?? '/'
    // Stryker disable next-line ConditionalExpression: a role's entry has no GroupList
    const memberOf = type === 'user' ? list(p, 'GroupList').map((g) => (typeof g === 'string' ? g : '')) : []
    const userGroups: AccountGroup[] = []
    for (const g of memberOf) {
      const group = groupsByName.get(g)
      if (group) userGroups.push(group)
      else warnings.push(`${arn}: member of group ${JSON.stringify(g)}, which the export does not carry`)
    }
    const boundary = p.PermissionsBoundary as Loose | undefined
    // Stryker disable next-line LogicalOperator,ConditionalExpression: a boundary that is not an object has no PermissionsBoundaryArn either way
    const boundaryArn = boundary && typeof boundary === 'object' ? optStr(boundary, 'PermissionsBoundaryArn', `${arn} boundary`) : undefined
    // Stryker disable next-line ConditionalExpression: a user's entry has no AssumeRolePolicyDocument
    const trustDoc = type === 'role' ? p.AssumeRolePolicyDocument : undefined
    return {
      type,
      name,
      arn,
      id: optStr(p, type === 'user' ? 'UserId' : 'RoleId', arn),
      path,
      tags: new Map(list(p, 'Tags').map((t) => [str(t, 'Key', `${arn} tag`), typeof t.Value === 'string' ? t.Value : ''])),
      inline: inlinePolicies(p, type === 'user' ? 'UserPolicyList' : 'RolePolicyList', type, arn),
      attached: attachedArns(p, arn),
      groups: userGroups,
      boundaryArn,
      trust: trustDoc === undefined ? undefined : read(trustDoc, { id: 'AssumeRolePolicyDocument', kind: 'resource', arn, role: 'trust' }, `${arn} trust policy`),
      serviceLinked: path.startsWith('/aws-service-role/'),
      // Stryker disable next-line ConditionalExpression: a user's entry has no InstanceProfileList
      instanceProfiles: type === 'role' ? list(p, 'InstanceProfileList').length : 0,
    }
  }
  const userList = users.map((u) => principal(u, 'user'))
  const roleList = roles.map((r) => principal(r, 'role'))
  for (const p of [...userList, ...roleList, ...groupList]) {
    for (const arn of p.attached) if (!policies.has(arn)) warnings.push(`${p.arn}: attached policy ${arn} is not in the export: it grants nothing here`)
  }
  for (const p of [...userList, ...roleList]) {
    if (p.boundaryArn !== undefined && !policies.has(p.boundaryArn)) warnings.push(`${p.arn}: permissions boundary ${p.boundaryArn} is not in the export: it allows nothing here`)
  }
  const byArn = new Map<string, AccountPrincipal>()
  for (const p of [...userList, ...roleList]) byArn.set(p.arn, p)
  // Stryker disable next-line Regex: an ARN starts with arn:, so the anchor changes nothing
  const id = [...byArn.keys(), ...groupList.map((g) => g.arn)].map((a) => /^arn:[^:]+:iam::(\d{12}):/.exec(a)?.[1]).find(Boolean) ?? 'unknown'
  return { id, users: userList, roles: roleList, groups: groupList, policies, byArn, warnings }
}

/** The identity-based policies that apply to a principal: its own, its groups', each managed policy's default version. */
export function identityPolicies(account: Account, p: AccountPrincipal): ParsedPolicy[] {
  const out: ParsedPolicy[] = [...p.inline]
  const add = (arn: string) => {
    const doc = account.policies.get(arn)?.document
    if (doc) out.push(doc)
  }
  for (const arn of p.attached) add(arn)
  for (const g of p.groups) {
    out.push(...g.inline)
    for (const arn of g.attached) add(arn)
  }
  return out
}

/** The principal's permissions boundary (default version), or undefined when none is set. */
export function boundaryPolicy(account: Account, p: AccountPrincipal): ParsedPolicy[] | undefined {
  if (p.boundaryArn === undefined) return undefined
  const doc = account.policies.get(p.boundaryArn)?.document
  // a boundary the export does not carry allows nothing we can see: an empty boundary
  return doc ? [doc] : []
}

export class AccountError extends Error {
  override name = 'AccountError' as const
}

function list(o: Loose, key: string): Loose[] {
  const v = o[key]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw new AccountError(`${key} is ${typeof v}, not a list`)
  return v as Loose[]
}

function str(o: Loose, key: string, where: string, fallback?: string): string {
  const v = o?.[key]
  if (typeof v === 'string' && v !== '') return v
  if (fallback !== undefined) return fallback
  throw new AccountError(`${where}: ${key} is missing or not a string`)
}

function optStr(o: Loose, key: string, where: string): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new AccountError(`${where}: ${key} is not a string`)
  return v
}

function optNum(o: Loose, key: string): number | undefined {
  return typeof o[key] === 'number' ? (o[key] as number) : undefined
}

function inlinePolicies(o: Loose, key: string, kind: PolicyKind, owner: string): ParsedPolicy[] {
  return list(o, key).map((p) => {
    const name = str(p, 'PolicyName', `${owner} inline policy`)
    return read(p.PolicyDocument, { id: name, kind }, `${owner} inline policy ${name}`)
  })
}

function attachedArns(o: Loose, owner: string): string[] {
  return list(o, 'AttachedManagedPolicies').map((a) => str(a, 'PolicyArn', `${owner} attached policy`))
}

/** A document in any of the forms: JSON text, URL-encoded text, or an object; anything else is an error. */
function read(document: unknown, options: Parameters<typeof readPolicy>[1], where: string): ParsedPolicy {
  if (typeof document !== 'string' && (document === null || typeof document !== 'object' || Array.isArray(document))) {
    throw new AccountError(`${where}: the policy document is ${document === undefined ? 'missing' : document === null ? 'null' : Array.isArray(document) ? 'an array' : typeof document}, not JSON text or an object`)
  }
  try {
    return readPolicy(document as string | object, options)
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: readPolicy throws only PolicyErrors
    if (error instanceof PolicyError) throw new AccountError(`${where}: ${error.message}`)
    throw error
  }
}
