// Carries out a credential plan: each source becomes a provider that caches and refreshes before
// expiry (one shared refresh for concurrent callers). Platform-neutral: files, processes and the
// clock come from a ConfigHost; HTTP sources (container, IMDS, SSO) use fetch.
import { assumeRole } from '../credentials/assume-role.js'
import { refreshingProvider } from '../credentials/refreshing.js'
import { staticCredentials } from '../query/credentials.js'
import type { CredentialProvider, TemporaryCredentials } from '../credentials/types.js'
import { StsClient } from '../sts/client.js'
import { AssumeRoleWithWebIdentity } from '../sts/generated/index.js'
import { toHex, utf8 } from '../sigv4/crypto.js'
import { ConfigError, type CredentialPlan, type Env, type Resolved } from './resolve.js'

export interface ConfigHost {
  env: Env
  /** a file's text; undefined when it does not exist */
  readFile(path: string): Promise<string | undefined>
  writeFile?(path: string, text: string): Promise<void>
  /** runs a credential_process command line (not through a shell) */
  run?(command: string): Promise<{ code: number | null; stdout: string; stderr: string }>
  fetch?: typeof fetch
  now?: () => number
  /** home directory: the SSO token cache is under it */
  home?: string
  /** region and endpoint of the STS calls role sources make */
  sts?: { region?: string | undefined; endpoint?: string | undefined }
  /** endpoint of a service the SSO sources call (`sso`, `sso_oidc`), if configured */
  endpointFor?: (service: string) => string | undefined
  /** per-request timeout of the container and instance-metadata sources, ms (default 1000) */
  metadataTimeoutMs?: number
}

/** What a resolved profile gives a client: spread it into IamClient or StsClient config. */
export interface ClientSettings {
  credentials: CredentialProvider
  region?: string
  endpoint?: string
  /** set when the configured endpoint is http (moto, a local proxy): the profile asked for it */
  allowHttp?: boolean
  /** from AWS_MAX_ATTEMPTS or max_attempts: retries after the first attempt */
  retries?: number
}

/**
 * Credentials, region and endpoint of one service from a resolved profile (`overrides`: the CLI's
 * --region and --endpoint-url). The role sources call STS in the same region, at its endpoint.
 */
export function clientSettings(
  resolved: Resolved,
  /** the service whose endpoint to give; none when undefined */
  service: 'iam' | 'sts' | undefined,
  host: Omit<ConfigHost, 'sts' | 'endpointFor'>,
  overrides: { region?: string | undefined; endpoint?: string | undefined } = {},
): ClientSettings {
  const plan = resolved.credentials
  if (!plan) {
    throw new ConfigError(
      `Unable to locate credentials for profile ${JSON.stringify(resolved.profile)}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure the profile (aws configure, aws sso login), or run where a container or instance role is available`,
    )
  }
  const endpoint = overrides.endpoint ?? (service && resolved.endpointFor(service))
  const region = overrides.region ?? resolved.region
  const credentials = providerFor(plan, {
    ...host,
    sts: { region, endpoint: service === 'sts' ? endpoint : resolved.endpointFor('sts') },
    endpointFor: (name) => resolved.endpointFor(name),
  })
  return {
    credentials,
    ...(region ? { region } : {}),
    ...(resolved.maxAttempts ? { retries: resolved.maxAttempts - 1 } : {}),
    ...(endpoint ? { endpoint, ...(endpoint.startsWith('http:') ? { allowHttp: true } : {}) } : {}),
  }
}

export function providerFor(plan: CredentialPlan, host: ConfigHost): CredentialProvider {
  const now = host.now ?? Date.now
  const fetchFn = host.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))
  const refreshing = (load: () => Promise<TemporaryCredentials>): CredentialProvider => refreshingProvider(load, { now })
  const sessionName = (): string => `iam-edge-session-${Math.floor(now() / 1000)}`
  switch (plan.source) {
    case 'env':
    case 'shared-credentials-file':
    case 'config-file': {
      const { accessKeyId, secretAccessKey, sessionToken } = plan
      return staticCredentials({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) })
    }
    case 'custom-process':
      return refreshing(() => runProcess(plan.command, plan.profile, host))
    case 'assume-role':
      return assumeRole({
        client: providerFor(plan.base, host),
        RoleArn: plan.roleArn,
        RoleSessionName: plan.sessionName ?? sessionName(),
        ...(plan.durationSeconds === undefined ? {} : { DurationSeconds: plan.durationSeconds }),
        ...(plan.externalId === undefined ? {} : { ExternalId: plan.externalId }),
        sts: stsConfig(host, fetchFn),
        now,
      })
    case 'assume-role-with-web-identity': {
      const sts = new StsClient({
        ...stsConfig(host, fetchFn),
        // AssumeRoleWithWebIdentity is sent unsigned: these are never asked for
        credentials: () => Promise.reject(new ConfigError('web identity: no credentials needed')),
      })
      return refreshing(async () => {
        const token = await host.readFile(plan.tokenFile)
        if (token === undefined) throw new ConfigError(`web identity token file ${plan.tokenFile} does not exist`)
        const out = await sts.send(AssumeRoleWithWebIdentity, { RoleArn: plan.roleArn, RoleSessionName: plan.sessionName ?? sessionName(), WebIdentityToken: token })
        const c = out.Credentials
        if (!c) throw new ConfigError(`sts:AssumeRoleWithWebIdentity for ${plan.roleArn} answered without Credentials`)
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }
      })
    }
    case 'container-role':
      return refreshing(() => containerCredentials(plan, host, fetchFn))
    case 'iam-role':
      return refreshing(() => instanceCredentials(plan.endpoint, host, fetchFn))
    case 'sso':
      return refreshing(() => ssoCredentials(plan, host, fetchFn, now))
  }
}

function stsConfig(host: ConfigHost, fetchFn: typeof fetch): { region?: string; endpoint?: string; fetch: typeof fetch; allowHttp?: boolean } {
  const { region, endpoint } = host.sts ?? {}
  return { ...(region ? { region } : {}), ...(endpoint ? { endpoint, allowHttp: endpoint.startsWith('http:') } : {}), fetch: fetchFn }
}

/** credential_process: JSON on stdout, Version 1 (the AWS CLI's contract). */
async function runProcess(command: string, profile: string, host: ConfigHost): Promise<TemporaryCredentials> {
  if (!host.run) throw new ConfigError(`profile ${JSON.stringify(profile)} uses credential_process, which this runtime cannot run`)
  const { code, stdout, stderr } = await host.run(command)
  if (code !== 0) {
    throw new ConfigError(`credential_process for profile ${JSON.stringify(profile)} exited ${code ?? 'on a signal'}: ${stderr.trim().split('\n')[0] ?? ''}`)
  }
  let out: Record<string, unknown>
  try {
    out = JSON.parse(stdout) as Record<string, unknown>
  } catch {
    throw new ConfigError(`credential_process for profile ${JSON.stringify(profile)} printed no JSON: ${JSON.stringify(stdout.slice(0, 80))}`)
  }
  if (out.Version !== 1) throw new ConfigError(`credential_process for profile ${JSON.stringify(profile)}: Version is ${JSON.stringify(out.Version)}, expected 1`)
  return keysFrom(out, { key: 'AccessKeyId', secret: 'SecretAccessKey', token: 'SessionToken', expiration: 'Expiration' }, `credential_process for profile ${JSON.stringify(profile)}`)
}

function keysFrom(
  out: Record<string, unknown>,
  names: { key: string; secret: string; token: string; expiration: string },
  what: string,
): TemporaryCredentials {
  const accessKeyId = out[names.key]
  const secretAccessKey = out[names.secret]
  if (typeof accessKeyId !== 'string' || !accessKeyId || typeof secretAccessKey !== 'string' || !secretAccessKey) {
    throw new ConfigError(`${what} answered without ${names.key} and ${names.secret}`)
  }
  const token = out[names.token]
  const expires = out[names.expiration]
  let expiration: Date | undefined
  if (expires !== undefined && expires !== null) {
    expiration = new Date(typeof expires === 'number' ? expires : String(expires))
    if (Number.isNaN(expiration.getTime())) throw new ConfigError(`${what}: ${names.expiration} ${JSON.stringify(expires)} is not a date`)
  }
  return { accessKeyId, secretAccessKey, ...(typeof token === 'string' && token ? { sessionToken: token } : {}), ...(expiration ? { expiration } : {}) }
}

async function getJson(fetchFn: typeof fetch, url: string, init: RequestInit, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
  const text = await getText(fetchFn, url, init, timeoutMs, what)
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object') return value as Record<string, unknown>
  } catch {}
  throw new ConfigError(`${what}: the answer is not a JSON object: ${JSON.stringify(text.slice(0, 80))}`)
}

async function getText(fetchFn: typeof fetch, url: string, init: RequestInit, timeoutMs: number, what: string): Promise<string> {
  let res: Response
  try {
    res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError'
    throw new ConfigError(`${what}: ${timedOut ? `no answer from ${url} within ${timeoutMs} ms` : `cannot reach ${url}`}`, { cause })
  }
  const text = await res.text()
  if (!res.ok) throw new ConfigError(`${what}: ${url} answered HTTP ${res.status}: ${text.slice(0, 120)}`)
  return text
}

const CONTAINER_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]'])

/** ECS task roles and EKS Pod Identity. */
async function containerCredentials(plan: Extract<CredentialPlan, { source: 'container-role' }>, host: ConfigHost, fetchFn: typeof fetch): Promise<TemporaryCredentials> {
  const url = plan.relativeUri ? `http://169.254.170.2${plan.relativeUri}` : (plan.fullUri as string)
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (!parsed) throw new ConfigError(`container credentials: ${url} is not a URL`)
  if (parsed.protocol !== 'https:' && !(CONTAINER_HOSTS.has(parsed.hostname) || parsed.hostname.startsWith('127.'))) {
    throw new ConfigError(`container credentials: ${url} must be https, or http on a loopback or the ECS/EKS link-local address`)
  }
  let auth = plan.authToken
  if (plan.authTokenFile) {
    auth = (await host.readFile(plan.authTokenFile))?.trim()
    if (auth === undefined) throw new ConfigError(`container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${plan.authTokenFile} does not exist`)
  }
  if (auth !== undefined && /[\r\n]/.test(auth)) throw new ConfigError('container credentials: the authorization token has a line break')
  const out = await getJson(fetchFn, url, auth ? { headers: { authorization: auth } } : {}, host.metadataTimeoutMs ?? 1000, 'container credentials')
  return keysFrom(out, { key: 'AccessKeyId', secret: 'SecretAccessKey', token: 'Token', expiration: 'Expiration' }, `container credentials from ${url}`)
}

/** EC2 instance metadata, IMDSv2 only: a session token by PUT, then the role's credentials. */
async function instanceCredentials(endpoint: string, host: ConfigHost, fetchFn: typeof fetch): Promise<TemporaryCredentials> {
  const base = endpoint.replace(/\/+$/, '')
  const timeout = host.metadataTimeoutMs ?? 1000
  const what = 'instance metadata (IMDSv2)'
  const token = await getText(fetchFn, `${base}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } }, timeout, what)
  const headers = { 'x-aws-ec2-metadata-token': token }
  const roles = await getText(fetchFn, `${base}/latest/meta-data/iam/security-credentials/`, { headers }, timeout, what)
  const role = roles.split('\n')[0]?.trim()
  if (!role) throw new ConfigError(`${what}: this instance has no IAM role`)
  const out = await getJson(fetchFn, `${base}/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`, { headers }, timeout, what)
  if (out.Code !== undefined && out.Code !== 'Success') throw new ConfigError(`${what}: role ${role} answered Code ${JSON.stringify(out.Code)}`)
  return keysFrom(out, { key: 'AccessKeyId', secret: 'SecretAccessKey', token: 'Token', expiration: 'Expiration' }, `${what} role ${role}`)
}

async function sha1Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-1', utf8(text)))
}

/**
 * IAM Identity Center: the token `aws sso login` cached (refreshed with its refresh token and
 * written back when expired, for sso-session profiles), then the portal's role credentials.
 */
async function ssoCredentials(plan: Extract<CredentialPlan, { source: 'sso' }>, host: ConfigHost, fetchFn: typeof fetch, now: () => number): Promise<TemporaryCredentials> {
  const who = plan.session ? `SSO session ${JSON.stringify(plan.session)}` : `SSO profile ${JSON.stringify(plan.profile)}`
  const login = `run aws sso login${plan.session ? ` --sso-session ${plan.session}` : ` --profile ${plan.profile}`}`
  if (!host.home) throw new ConfigError(`${who}: no home directory to find the SSO token cache in`)
  const path = `${host.home}/.aws/sso/cache/${await sha1Hex(plan.session ?? plan.startUrl)}.json`
  const text = await host.readFile(path)
  if (text === undefined) throw new ConfigError(`${who}: no cached SSO token (${path}): ${login}`)
  let cache: Record<string, unknown>
  try {
    cache = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new ConfigError(`${who}: the SSO token cache ${path} is not JSON: ${login}`)
  }
  const expired = (at: unknown): boolean => typeof at !== 'string' || !(Date.parse(at) > now())
  let accessToken = cache.accessToken
  if (typeof accessToken !== 'string' || expired(cache.expiresAt)) {
    const { refreshToken, clientId, clientSecret, registrationExpiresAt } = cache
    const canRefresh = plan.session && typeof refreshToken === 'string' && typeof clientId === 'string' && typeof clientSecret === 'string' && !expired(registrationExpiresAt)
    if (!canRefresh) throw new ConfigError(`${who}: the SSO token expired: ${login}`)
    const oidc = host.endpointFor?.('sso_oidc') ?? `https://oidc.${plan.ssoRegion}.amazonaws.com`
    const out = await getJson(
      fetchFn,
      `${oidc.replace(/\/+$/, '')}/token`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grantType: 'refresh_token', clientId, clientSecret, refreshToken }) },
      10_000,
      `${who}: refreshing the SSO token (${login} if this persists)`,
    )
    if (typeof out.accessToken !== 'string' || typeof out.expiresIn !== 'number') throw new ConfigError(`${who}: the SSO token refresh answered without accessToken and expiresIn: ${login}`)
    accessToken = out.accessToken
    cache = {
      ...cache,
      accessToken,
      expiresAt: new Date(now() + out.expiresIn * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(typeof out.refreshToken === 'string' ? { refreshToken: out.refreshToken } : {}),
    }
    await host.writeFile?.(path, JSON.stringify(cache))
  }
  const portal = host.endpointFor?.('sso') ?? `https://portal.sso.${plan.ssoRegion}.amazonaws.com`
  const query = `account_id=${encodeURIComponent(plan.accountId)}&role_name=${encodeURIComponent(plan.roleName)}`
  const out = await getJson(fetchFn, `${portal.replace(/\/+$/, '')}/federation/credentials?${query}`, { headers: { 'x-amz-sso_bearer_token': accessToken as string } }, 10_000, `${who}: GetRoleCredentials`)
  const role = out.roleCredentials
  if (role === null || typeof role !== 'object') throw new ConfigError(`${who}: GetRoleCredentials answered without roleCredentials`)
  return keysFrom(role as Record<string, unknown>, { key: 'accessKeyId', secret: 'secretAccessKey', token: 'sessionToken', expiration: 'expiration' }, `${who}: GetRoleCredentials`)
}
