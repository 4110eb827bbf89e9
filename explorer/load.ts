// One load of the account: the pages of GetAccountAuthorizationDetails and of ListRoles (the
// roles' descriptions, which the details lack) plus four calls. The proxy
// caches each answer, so a reload within its TTL reaches IAM zero times. An action the caller may
// not call is recorded, not fatal: the views that need it say which action is missing.
import { ages, ApiError, call } from './api.js'
import { type Account, type AuthorizationDetails, type CredentialRow, fromBase64, parseCsv } from './model.js'

export interface Loaded {
  account: Account
  /** when IAM gave the oldest of these answers (the proxy's cached copies are older than the load) */
  asOf: Date
  /** the proxy's page cap cut the account short */
  truncated: boolean
  /** action → why it could not be read (AccessDenied: the caller's action list) */
  missing: Map<string, string>
}

export async function loadAccount(): Promise<Loaded> {
  const missing = new Map<string, string>()
  const soft = async <T>(action: string, params: Record<string, string> = {}, absent: readonly string[] = []): Promise<T | undefined | null> => {
    try {
      return await call<T>(action, params)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.unauthenticated) throw error
      // "nothing there" is an answer, not a gap
      if (absent.includes(error.code)) return null
      missing.set(action, `${error.code}: ${error.message}`)
      return undefined
    }
  }
  const [details, roles, summary, aliases, passwordPolicy, report] = await Promise.all([
    soft<AuthorizationDetails & { IsTruncated?: boolean }>('GetAccountAuthorizationDetails', { all: '1', MaxItems: '1000' }),
    soft<{ Roles?: Array<{ RoleName: string; Description?: string }> }>('ListRoles', { all: '1', MaxItems: '1000' }),
    soft<{ SummaryMap?: Record<string, number> }>('GetAccountSummary'),
    soft<{ AccountAliases?: string[] }>('ListAccountAliases', { all: '1' }),
    soft<{ PasswordPolicy?: Record<string, unknown> }>('GetAccountPasswordPolicy', {}, ['NoSuchEntity']),
    soft<{ Content?: string }>('GetCredentialReport', {}, ['ReportNotPresent', 'ReportExpired', 'ReportInProgress']),
  ])
  // descriptions: GetAccountAuthorizationDetails has none
  const described = new Map((roles?.Roles ?? []).map((r) => [r.RoleName, r.Description]))
  for (const r of details?.RoleDetailList ?? []) {
    const description = described.get(r.RoleName)
    if (description !== undefined) r.Description = description
  }
  // a managed policy's name is the end of its ARN (some IAM stand-ins leave PolicyName out)
  for (const p of details?.Policies ?? []) p.PolicyName ??= p.Arn.split('/').pop() ?? p.Arn
  // nothing at all: the caller itself is refused (an Access identity outside ACCESS_POLICIES)
  if (details === undefined && summary === undefined && aliases === undefined && passwordPolicy === undefined && report === undefined) throw new Error(`the proxy lets this caller read none of what the explorer needs (${[...missing.values()][0]})`)
  let credentialReport: CredentialRow[] | null | undefined
  if (report === null) credentialReport = null
  else if (report?.Content) credentialReport = parseCsv(fromBase64(report.Content))
  const account: Account = {
    details: details ?? {},
    ...(summary?.SummaryMap ? { summary: summary.SummaryMap } : {}),
    ...(aliases?.AccountAliases ? { aliases: aliases.AccountAliases } : {}),
    ...(passwordPolicy === undefined ? {} : { passwordPolicy: passwordPolicy?.PasswordPolicy ?? null }),
    ...(credentialReport === undefined ? {} : { credentialReport }),
  }
  const age = Math.max(0, ...['GetAccountAuthorizationDetails', 'ListRoles'].map((a) => ages.get(a) ?? 0))
  return { account, missing, asOf: new Date(Date.now() - age * 1000), truncated: details?.IsTruncated === true }
}
