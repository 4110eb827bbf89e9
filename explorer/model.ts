// The account as the explorer holds it: GetAccountAuthorizationDetails and the account-level
// reads, with policy documents decoded. Types carry only what the views and findings read.

export interface Tag {
  Key: string
  Value: string
}

export interface InlinePolicy {
  PolicyName: string
  PolicyDocument: string
}

export interface AttachedPolicy {
  PolicyName: string
  PolicyArn: string
}

export interface UserDetail {
  UserName: string
  Arn: string
  Path: string
  CreateDate: string
  UserPolicyList?: InlinePolicy[]
  GroupList?: string[]
  AttachedManagedPolicies?: AttachedPolicy[]
  PermissionsBoundary?: Boundary
  Tags?: Tag[]
}

/** A user's or role's permissions boundary. */
export interface Boundary {
  PermissionsBoundaryArn?: string
  PermissionsBoundaryType?: string
}

export interface GroupDetail {
  GroupName: string
  Arn: string
  Path: string
  CreateDate: string
  GroupPolicyList?: InlinePolicy[]
  AttachedManagedPolicies?: AttachedPolicy[]
}

export interface RoleDetail {
  RoleName: string
  Arn: string
  Path: string
  CreateDate: string
  Description?: string
  AssumeRolePolicyDocument?: string
  RolePolicyList?: InlinePolicy[]
  AttachedManagedPolicies?: AttachedPolicy[]
  PermissionsBoundary?: Boundary
  Tags?: Tag[]
  RoleLastUsed?: { LastUsedDate?: string; Region?: string }
}

export interface PolicyVersion {
  Document?: string
  VersionId: string
  IsDefaultVersion: boolean
}

export interface ManagedPolicy {
  PolicyName: string
  Arn: string
  Path: string
  DefaultVersionId?: string
  AttachmentCount?: number
  PermissionsBoundaryUsageCount?: number
  Description?: string
  CreateDate?: string
  UpdateDate?: string
  PolicyVersionList?: PolicyVersion[]
}

export interface AuthorizationDetails {
  UserDetailList?: UserDetail[]
  GroupDetailList?: GroupDetail[]
  RoleDetailList?: RoleDetail[]
  Policies?: ManagedPolicy[]
}

/** One row of the credential report (its CSV columns, as strings). */
export type CredentialRow = Record<string, string>

export interface Account {
  details: AuthorizationDetails
  summary?: Record<string, number>
  aliases?: string[]
  passwordPolicy?: Record<string, unknown> | null
  /** undefined when it could not be read; `null` when none has been generated */
  credentialReport?: CredentialRow[] | null
}

/** A policy statement as IAM reads it (single values and lists both allowed). */
export interface Statement {
  Sid?: string
  Effect?: string
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Principal?: string | Record<string, string | string[]>
  NotPrincipal?: string | Record<string, string | string[]>
  Condition?: Record<string, Record<string, unknown>>
}

export interface PolicyDocument {
  Version?: string
  Statement?: Statement | Statement[]
}

/**
 * A policy document as IAM returns it: URL-encoded JSON (AWS) or plain JSON (moto). Undefined
 * when it is neither; the views then show the text as it came.
 */
export function decodeDocument(text: string | PolicyDocument | undefined): PolicyDocument | undefined {
  // Stryker disable next-line ConditionalExpression: empty text is no JSON either way
  if (!text) return undefined
  // an export as the AWS CLI prints it carries documents as objects
  if (typeof text === 'object') return Array.isArray(text) ? undefined : text
  for (const candidate of [text, safeDecode(text)]) {
    // Stryker disable next-line ConditionalExpression: JSON.parse(undefined) throws, and the throw is caught
    if (candidate === undefined) continue
    try {
      const parsed: unknown = JSON.parse(candidate)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as PolicyDocument
    // Stryker disable next-line BlockStatement: an empty catch goes on to the next reading as well
    } catch {
      // try the next reading
    }
  }
  return undefined
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

export const statements = (doc: PolicyDocument | undefined): Statement[] => (doc?.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement])

export const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** The default version's document of a managed policy. */
export function defaultDocument(policy: ManagedPolicy): PolicyDocument | undefined {
  const version = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? policy.PolicyVersionList?.find((v) => v.VersionId === policy.DefaultVersionId)
  return decodeDocument(version?.Document)
}

/** RFC 4180 CSV (the credential report) into rows keyed by the header line. */
export function parseCsv(text: string): CredentialRow[] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral,ArithmeticOperator: a CR and an LF read as two line ends leave an empty line, which is skipped
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,StringLiteral: a last empty row is skipped as empty lines are
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  const [header, ...body] = rows
  // Stryker disable next-line ConditionalExpression: no header means no rows: the body is empty
  if (!header) return []
  return body.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])))
}

/** Base64 (how the JSON facade carries bytes) to text. */
export function fromBase64(b64: string): string {
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  // Stryker disable next-line EqualityOperator: a typed array ignores a write past its end
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new TextDecoder().decode(bytes)
}
