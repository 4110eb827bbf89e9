// What an IAM ARN names, read from its resource part (`user/…`, `role/…`, `group/…`,
// `policy/…`), never by searching the whole ARN for a marker: a user whose path is `/:group/`
// is still a user, and a role named alice under the path `/:user/` is a role.

export type EntityKind = 'user' | 'role' | 'group' | 'policy'

export interface Entity {
  kind: EntityKind
  /** the entity's name: the resource part's last `/` segment */
  name: string
  /** the account id, or `aws` for an AWS managed policy */
  account: string
}

const KINDS: ReadonlySet<string> = new Set(['user', 'role', 'group', 'policy'])

/** The IAM entity an ARN names, or undefined when it names none (another service, a malformed ARN). */
export function entityOf(arn: string): Entity | undefined {
  // arn:partition:iam::account:resource — the resource may itself hold colons (a path may)
  const parts = arn.split(':')
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'iam' || parts[3] !== '') return undefined
  // Stryker disable next-line StringLiteral: the kind is before the first slash and the name after the last; a colon between them is read by neither
  const resource = parts.slice(5).join(':')
  const slash = resource.indexOf('/')
  if (slash <= 0) return undefined
  const kind = resource.slice(0, slash)
  const name = resource.slice(resource.lastIndexOf('/') + 1)
  if (!KINDS.has(kind) || name === '') return undefined
  // Stryker disable next-line StringLiteral: an ARN of six parts or more has its fifth
  return { kind: kind as EntityKind, name, account: parts[4] ?? '' }
}

/** The explorer's view of each kind of entity. */
export const VIEW_OF: Readonly<Record<EntityKind, string>> = { user: 'users', role: 'roles', group: 'groups', policy: 'policies' }
