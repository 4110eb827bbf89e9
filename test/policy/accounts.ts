// Small accounts for tests, written as the AWS CLI prints GetAccountAuthorizationDetails.
import { type Account, readAccount } from '../../src/policy/account.js'

export const ACCOUNT = '111122223333'
type Doc = { Version?: string; Statement: unknown }
export const allow = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}): Doc => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource, ...extra }] })
export const deny = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}): Doc => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action, Resource, ...extra }] })
export const trusts = (principal: object, extra: object = {}): Doc => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }] })

export interface Spec {
  users?: Record<string, { inline?: Doc[]; attached?: string[]; groups?: string[]; boundary?: string; tags?: Record<string, string>; path?: string }>
  roles?: Record<string, { trust: Doc; inline?: Doc[]; attached?: string[]; boundary?: string; instanceProfile?: boolean; path?: string }>
  groups?: Record<string, { inline?: Doc[]; attached?: string[] }>
  /** name → the default version's document, or every version with the default first */
  policies?: Record<string, Doc | { versions: Doc[]; defaultIndex: number }>
}

export const policyArn = (name: string) => (name === 'AdministratorAccess' ? 'arn:aws:iam::aws:policy/AdministratorAccess' : `arn:aws:iam::${ACCOUNT}:policy/${name}`)
export const userArn = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:user${path}${name}`
export const roleArn = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:role${path}${name}`

export function details(spec: Spec) {
  const inline = (docs: Doc[] | undefined) => (docs ?? []).map((PolicyDocument, i) => ({ PolicyName: `inline-${i + 1}`, PolicyDocument }))
  const attached = (names: string[] | undefined) => (names ?? []).map((n) => ({ PolicyName: n, PolicyArn: policyArn(n) }))
  const policies = { AdministratorAccess: allow('*'), ...spec.policies }
  return {
    UserDetailList: Object.entries(spec.users ?? {}).map(([name, u]) => ({
      UserName: name,
      Path: u.path ?? '/',
      Arn: userArn(name, u.path),
      UserId: `AIDA${name.toUpperCase()}`,
      CreateDate: '2026-01-01T00:00:00Z',
      UserPolicyList: inline(u.inline),
      GroupList: u.groups ?? [],
      AttachedManagedPolicies: attached(u.attached),
      ...(u.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: policyArn(u.boundary) } } : {}),
      Tags: Object.entries(u.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    })),
    GroupDetailList: Object.entries(spec.groups ?? {}).map(([name, g]) => ({ GroupName: name, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`, GroupId: `AGPA${name}`, CreateDate: '2026-01-01T00:00:00Z', GroupPolicyList: inline(g.inline), AttachedManagedPolicies: attached(g.attached) })),
    RoleDetailList: Object.entries(spec.roles ?? {}).map(([name, r]) => ({
      RoleName: name,
      Path: r.path ?? '/',
      Arn: roleArn(name, r.path),
      RoleId: `AROA${name.toUpperCase()}`,
      CreateDate: '2026-01-01T00:00:00Z',
      AssumeRolePolicyDocument: r.trust,
      InstanceProfileList: r.instanceProfile ? [{ InstanceProfileName: name }] : [],
      RolePolicyList: inline(r.inline),
      AttachedManagedPolicies: attached(r.attached),
      ...(r.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: policyArn(r.boundary) } } : {}),
      Tags: [],
    })),
    Policies: Object.entries(policies).map(([name, p]) => {
      const multi = (p as { versions?: unknown }).versions !== undefined ? (p as unknown as { versions: Doc[]; defaultIndex: number }) : undefined
      const versions = multi ? multi.versions : [p as Doc]
      const def = multi ? multi.defaultIndex : 0
      return { PolicyName: name, Arn: policyArn(name), Path: '/', DefaultVersionId: `v${def + 1}`, AttachmentCount: 1, PolicyVersionList: versions.map((Document, i) => ({ Document, VersionId: `v${i + 1}`, IsDefaultVersion: i === def })) }
    }),
  }
}

export const account = (spec: Spec): Account => readAccount(details(spec))
