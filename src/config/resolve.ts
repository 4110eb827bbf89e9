// Which credential source, region and endpoints a profile and an environment name, decided as
// botocore's default chain decides them (its documented precedence is the spec). Platform-neutral:
// it takes the parsed files and an env object and returns a plan; providers.ts carries it out.
import { type IniSection } from './ini.js'
import { setting, type SharedConfig } from './shared.js'

export type Env = Readonly<Record<string, string | undefined>>

/** A credential source, in botocore's method names. */
export type CredentialPlan =
  | { source: 'env'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { source: 'shared-credentials-file' | 'config-file'; profile: string; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { source: 'custom-process'; profile: string; command: string }
  | {
      source: 'assume-role'
      profile: string
      roleArn: string
      sessionName?: string
      externalId?: string
      durationSeconds?: number
      /** where the credentials that call AssumeRole come from */
      base: CredentialPlan
    }
  | { source: 'assume-role-with-web-identity'; roleArn: string; tokenFile: string; sessionName?: string }
  | { source: 'sso'; profile: string; startUrl: string; ssoRegion: string; accountId: string; roleName: string; session?: string }
  | { source: 'container-role'; relativeUri?: string; fullUri?: string; authToken?: string; authTokenFile?: string }
  | { source: 'iam-role'; endpoint: string }

export interface Resolved {
  profile: string
  region: string | undefined
  /** AWS_MAX_ATTEMPTS, else the profile's max_attempts: attempts per request, the first included */
  maxAttempts: number | undefined
  credentials: CredentialPlan | undefined
  /** the endpoint URL configured for a service (`iam`, `sts`), if any */
  endpointFor(service: string): string | undefined
}

/** A profile the config names but cannot use (missing, incomplete, looping), with what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export interface ResolveOptions {
  /**
   * the profile to use; given explicitly (as `--profile` is) it also makes the chain skip the
   * AWS_ACCESS_KEY_ID variables, as botocore does. Default: AWS_DEFAULT_PROFILE, AWS_PROFILE, else "default".
   */
  profile?: string
}

const truthy = (value: string | undefined): boolean => value?.toLowerCase() === 'true'

// the clients retry at most 20 times
function attempts(where: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.trim())
  if (!Number.isInteger(n) || n < 1 || n > 21) throw new ConfigError(`${where} must be a whole number from 1 to 21, got ${JSON.stringify(value)}`)
  return n
}

export function resolveConfig(shared: SharedConfig, env: Env, options: ResolveOptions = {}): Resolved {
  const explicit = options.profile !== undefined
  // as botocore: AWS_DEFAULT_PROFILE before AWS_PROFILE
  const named = options.profile ?? (env.AWS_DEFAULT_PROFILE || env.AWS_PROFILE || undefined)
  const name = named ?? 'default'
  const profile = shared.profiles.get(name)
  // a profile asked for by name must exist, even "default"; without a name, no [default] is fine
  if (!profile && named !== undefined) {
    throw new ConfigError(`profile ${JSON.stringify(name)} not found in ${shared.configPath} or ${shared.credentialsPath}`)
  }
  const ignoreEndpoints = truthy(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? setting(profile, 'ignore_configured_endpoint_urls'))
  return {
    profile: name,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || setting(profile, 'region'),
    maxAttempts: attempts(env.AWS_MAX_ATTEMPTS ? 'AWS_MAX_ATTEMPTS' : `max_attempts of profile ${JSON.stringify(name)}`, env.AWS_MAX_ATTEMPTS || setting(profile, 'max_attempts')),
    credentials: chain(shared, env, name, explicit),
    endpointFor(service) {
      if (ignoreEndpoints) return undefined
      const services = shared.services.get(setting(profile, 'services') ?? '')
      const block = services?.[service]
      const fromServices = typeof block === 'object' ? block.endpoint_url : undefined
      return env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || fromServices || env.AWS_ENDPOINT_URL || setting(profile, 'endpoint_url')
    },
  }
}

/** botocore's default chain: env, assume-role, the profile's own sources, container, IMDS. */
function chain(shared: SharedConfig, env: Env, name: string, explicit: boolean): CredentialPlan | undefined {
  if (!explicit) {
    const fromEnv = envKeys(env)
    if (fromEnv) return fromEnv
  }
  const profile = shared.profiles.get(name)
  if (profile && hasRoleConfig(profile)) return assumeRole(shared, env, name, [name])
  return profileSources(shared, env, name, explicit) ?? containerOrInstance(env)
}

function envKeys(env: Env): CredentialPlan | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  if (!accessKeyId) return undefined
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!secretAccessKey) throw new ConfigError('AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not')
  const sessionToken = env.AWS_SECURITY_TOKEN ?? env.AWS_SESSION_TOKEN
  return { source: 'env', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
}

const hasRoleConfig = (p: IniSection): boolean => setting(p, 'role_arn') !== undefined && setting(p, 'web_identity_token_file') === undefined
const hasStaticKeys = (p: IniSection | undefined): boolean => setting(p, 'aws_access_key_id') !== undefined

/** The sources a profile can hold itself: web identity, SSO, keys in the credentials file, a process, keys in the config file. */
function profileSources(shared: SharedConfig, env: Env, name: string, noEnv: boolean): CredentialPlan | undefined {
  const profile = shared.profiles.get(name)
  const fromEnv = (key: string): string | undefined => (noEnv ? undefined : env[key])
  const tokenFile = fromEnv('AWS_WEB_IDENTITY_TOKEN_FILE') ?? setting(profile, 'web_identity_token_file')
  if (tokenFile) {
    const roleArn = fromEnv('AWS_ROLE_ARN') ?? setting(profile, 'role_arn')
    if (!roleArn) throw new ConfigError(`web identity token file ${tokenFile} is configured without a role ARN: set AWS_ROLE_ARN or role_arn in profile ${JSON.stringify(name)}`)
    const sessionName = fromEnv('AWS_ROLE_SESSION_NAME') ?? setting(profile, 'role_session_name')
    return { source: 'assume-role-with-web-identity', roleArn, tokenFile, ...(sessionName ? { sessionName } : {}) }
  }
  const sso = ssoPlan(shared, name, profile)
  if (sso) return sso
  const keysIn = (section: IniSection | undefined, source: 'shared-credentials-file' | 'config-file', file: string): CredentialPlan | undefined => {
    if (!hasStaticKeys(section)) return undefined
    const accessKeyId = setting(section, 'aws_access_key_id') as string
    const secretAccessKey = setting(section, 'aws_secret_access_key')
    if (!secretAccessKey) throw new ConfigError(`profile ${JSON.stringify(name)} in ${file} has aws_access_key_id but no aws_secret_access_key`)
    const sessionToken = setting(section, 'aws_session_token') ?? setting(section, 'aws_security_token')
    return { source, profile: name, accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
  }
  const command = setting(profile, 'credential_process')
  return (
    keysIn(shared.credentialsFile.get(name), 'shared-credentials-file', shared.credentialsPath) ??
    (command ? { source: 'custom-process', profile: name, command } : undefined) ??
    keysIn(shared.configFile.get(name), 'config-file', shared.configPath)
  )
}

function ssoPlan(shared: SharedConfig, name: string, profile: IniSection | undefined): CredentialPlan | undefined {
  const sessionName = setting(profile, 'sso_session')
  const fields = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name']
  if (!sessionName && !fields.some((f) => setting(profile, f) !== undefined)) return undefined
  let startUrl = setting(profile, 'sso_start_url')
  let ssoRegion = setting(profile, 'sso_region')
  if (sessionName) {
    const session = shared.ssoSessions.get(sessionName)
    if (!session) throw new ConfigError(`profile ${JSON.stringify(name)} names sso_session ${JSON.stringify(sessionName)}, which has no [sso-session ${sessionName}] section in ${shared.configPath}`)
    for (const [key, mine, theirs] of [['sso_start_url', startUrl, setting(session, 'sso_start_url')], ['sso_region', ssoRegion, setting(session, 'sso_region')]] as const) {
      if (mine && theirs && mine !== theirs) throw new ConfigError(`profile ${JSON.stringify(name)} and sso-session ${JSON.stringify(sessionName)} disagree on ${key}`)
    }
    startUrl ??= setting(session, 'sso_start_url')
    ssoRegion ??= setting(session, 'sso_region')
  }
  const accountId = setting(profile, 'sso_account_id')
  const roleName = setting(profile, 'sso_role_name')
  const missing = Object.entries({ sso_start_url: startUrl, sso_region: ssoRegion, sso_account_id: accountId, sso_role_name: roleName }).filter(([, v]) => !v).map(([k]) => k)
  if (missing.length > 0) throw new ConfigError(`SSO profile ${JSON.stringify(name)} is missing ${missing.join(', ')}`)
  return { source: 'sso', profile: name, startUrl: startUrl as string, ssoRegion: ssoRegion as string, accountId: accountId as string, roleName: roleName as string, ...(sessionName ? { session: sessionName } : {}) }
}

function assumeRole(shared: SharedConfig, env: Env, name: string, visited: string[]): CredentialPlan {
  const profile = shared.profiles.get(name) as IniSection
  const where = `profile ${JSON.stringify(name)}`
  if (setting(profile, 'mfa_serial')) throw new ConfigError(`${where} needs an MFA code (mfa_serial), which a library cannot prompt for: use credentials from aws sts get-session-token or a profile without mfa_serial`)
  const sourceProfile = setting(profile, 'source_profile')
  const credentialSource = setting(profile, 'credential_source')
  if (sourceProfile && credentialSource) throw new ConfigError(`${where} sets both source_profile and credential_source; keep one`)
  let base: CredentialPlan | undefined
  if (credentialSource) {
    if (credentialSource === 'Environment') base = envKeys(env)
    else if (credentialSource === 'EcsContainer') base = containerPlan(env)
    else if (credentialSource === 'Ec2InstanceMetadata') base = { source: 'iam-role', endpoint: imdsEndpoint(env) }
    else throw new ConfigError(`${where}: credential_source ${JSON.stringify(credentialSource)} is not Environment, EcsContainer or Ec2InstanceMetadata`)
    if (!base) throw new ConfigError(`${where}: credential_source ${credentialSource} found no credentials`)
  } else if (sourceProfile) {
    const source = shared.profiles.get(sourceProfile)
    if (!source) throw new ConfigError(`${where}: source_profile ${JSON.stringify(sourceProfile)} not found in ${shared.configPath} or ${shared.credentialsPath}`)
    // a profile may name itself as source when it holds keys; any other repeat is a loop
    const selfWithKeys = sourceProfile === name && hasStaticKeys(source)
    if (visited.includes(sourceProfile) && !selfWithKeys) throw new ConfigError(`source_profile loop: ${[...visited, sourceProfile].join(' → ')}`)
    if (hasStaticKeys(source) || !hasRoleConfig(source)) {
      base = profileSources(shared, env, sourceProfile, true)
      if (!base) throw new ConfigError(`source profile ${JSON.stringify(sourceProfile)} has no credentials`)
    } else {
      base = assumeRole(shared, env, sourceProfile, [...visited, sourceProfile])
    }
  } else {
    throw new ConfigError(`${where} sets role_arn without source_profile or credential_source`)
  }
  const sessionName = setting(profile, 'role_session_name')
  const externalId = setting(profile, 'external_id')
  const duration = setting(profile, 'duration_seconds')
  if (duration !== undefined && !/^\d+$/.test(duration)) throw new ConfigError(`${where}: duration_seconds ${JSON.stringify(duration)} is not a whole number`)
  return {
    source: 'assume-role',
    profile: name,
    roleArn: setting(profile, 'role_arn') as string,
    ...(sessionName ? { sessionName } : {}),
    ...(externalId ? { externalId } : {}),
    ...(duration ? { durationSeconds: Number(duration) } : {}),
    base,
  }
}

function containerPlan(env: Env): CredentialPlan | undefined {
  const relativeUri = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
  const fullUri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  if (!relativeUri && !fullUri) return undefined
  const authToken = env.AWS_CONTAINER_AUTHORIZATION_TOKEN
  const authTokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
  return {
    source: 'container-role',
    ...(relativeUri ? { relativeUri } : { fullUri: fullUri as string }),
    ...(authTokenFile ? { authTokenFile } : authToken ? { authToken } : {}),
  }
}

function imdsEndpoint(env: Env): string {
  return env.AWS_EC2_METADATA_SERVICE_ENDPOINT || 'http://169.254.169.254'
}

function containerOrInstance(env: Env): CredentialPlan | undefined {
  return containerPlan(env) ?? (truthy(env.AWS_EC2_METADATA_DISABLED) ? undefined : { source: 'iam-role', endpoint: imdsEndpoint(env) })
}
