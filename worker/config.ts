import { iamOperations } from '../src/iam/generated/registry.js'
import { ConfigError } from './config-error.js'
import type { Env } from './env.js'

export interface ProxyKey {
  name: string
  secretAccessKey: string
  /** undefined: every read-only action */
  actions?: ReadonlySet<string>
}

export interface ProxyToken {
  name: string
  /** hex SHA-256 of the token */
  sha256: string
  actions?: ReadonlySet<string>
}

export interface Config {
  iamEndpoint: string
  stsEndpoint: string
  ttlSeconds: number
  ttlOverrides: ReadonlyMap<string, number>
  staleIfErrorSeconds: number
  negativeTtlSeconds: number
  upstreamTimeoutMs: number
  corsOrigins: ReadonlySet<string>
  upstream: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; roleArn?: string }
  keys: ReadonlyMap<string, ProxyKey>
  tokens: readonly ProxyToken[]
}

const configs = new WeakMap<object, Config>()

/** Reads and checks every setting once per `env`; the first problem found is thrown as ConfigError. */
export function loadConfig(env: Env): Config {
  const cached = configs.get(env)
  if (cached) return cached
  const config = parse(env)
  configs.set(env, config)
  return config
}

function parse(env: Env): Config {
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!accessKeyId) throw new ConfigError('AWS_ACCESS_KEY_ID', 'secret is not set (wrangler secret put AWS_ACCESS_KEY_ID)')
  if (!secretAccessKey) throw new ConfigError('AWS_SECRET_ACCESS_KEY', 'secret is not set (wrangler secret put AWS_SECRET_ACCESS_KEY)')
  const roleArn = env.AWS_ROLE_ARN || undefined
  if (roleArn !== undefined && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+/.test(roleArn)) throw new ConfigError('AWS_ROLE_ARN', `is not a role ARN: ${JSON.stringify(roleArn)}`)
  const keys = parseKeys(env.PROXY_KEYS)
  const tokens = parseTokens(env.PROXY_TOKENS)
  if (keys.size === 0 && tokens.length === 0) throw new ConfigError('PROXY_KEYS', 'neither PROXY_KEYS nor PROXY_TOKENS is set: no caller could ever be let in')
  return {
    iamEndpoint: endpoint('IAM_ENDPOINT', env.IAM_ENDPOINT ?? 'https://iam.amazonaws.com'),
    stsEndpoint: endpoint('STS_ENDPOINT', env.STS_ENDPOINT ?? 'https://sts.amazonaws.com'),
    ttlSeconds: seconds('CACHE_TTL_SECONDS', env.CACHE_TTL_SECONDS, 60),
    ttlOverrides: parseOverrides(env.CACHE_TTL_OVERRIDES),
    staleIfErrorSeconds: seconds('STALE_IF_ERROR_SECONDS', env.STALE_IF_ERROR_SECONDS, 300),
    negativeTtlSeconds: seconds('NEGATIVE_CACHE_SECONDS', env.NEGATIVE_CACHE_SECONDS, 10),
    upstreamTimeoutMs: seconds('UPSTREAM_TIMEOUT_MS', env.UPSTREAM_TIMEOUT_MS, 10_000),
    corsOrigins: new Set((env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)),
    upstream: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}), ...(roleArn ? { roleArn } : {}) },
    keys,
    tokens,
  }
}

function endpoint(setting: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(setting, `is not a URL: ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(setting, `must be http(s), got ${url.protocol}`)
  return value.replace(/\/+$/, '')
}

function seconds(setting: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(setting, `must be a whole number ≥ 0, got ${JSON.stringify(value)}`)
  return n
}

function json(setting: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown
  } catch {
    // the value may hold secrets: never echo it
    throw new ConfigError(setting, 'is not valid JSON')
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function parseActions(setting: string, owner: string, value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((a) => typeof a === 'string')) throw new ConfigError(setting, `${owner}.actions must be a list of action names`)
  for (const action of value as string[]) {
    const op = iamOperations[action]
    if (!op && action !== 'GetCallerIdentity' && action !== 'GetAccessKeyInfo') throw new ConfigError(setting, `${owner}.actions names an unknown action ${JSON.stringify(action)}`)
    if (op && !op.readOnly) throw new ConfigError(setting, `${owner}.actions names ${action}, which is not read-only and is never let through`)
  }
  return new Set(value as string[])
}

function parseKeys(raw: string | undefined): Map<string, ProxyKey> {
  const keys = new Map<string, ProxyKey>()
  if (!raw) return keys
  const parsed = json('PROXY_KEYS', raw)
  if (!isRecord(parsed)) throw new ConfigError('PROXY_KEYS', 'must be a JSON object { "<accessKeyId>": { "secretAccessKey": "…", "actions": [...] } }')
  for (const [id, entry] of Object.entries(parsed)) {
    if (!/^[A-Z0-9]{16,128}$/.test(id)) throw new ConfigError('PROXY_KEYS', `access key id ${JSON.stringify(id.slice(0, 32))} must be 16-128 uppercase letters and digits`)
    if (!isRecord(entry) || typeof entry.secretAccessKey !== 'string' || entry.secretAccessKey.length < 16) {
      throw new ConfigError('PROXY_KEYS', `${id} needs a secretAccessKey of at least 16 characters`)
    }
    const actions = parseActions('PROXY_KEYS', id, entry.actions)
    keys.set(id, { name: typeof entry.name === 'string' ? entry.name : id, secretAccessKey: entry.secretAccessKey, ...(actions ? { actions } : {}) })
  }
  return keys
}

function parseTokens(raw: string | undefined): ProxyToken[] {
  if (!raw) return []
  const parsed = json('PROXY_TOKENS', raw)
  if (!isRecord(parsed)) throw new ConfigError('PROXY_TOKENS', 'must be a JSON object { "<name>": { "sha256": "<hex>", "actions": [...] } }')
  return Object.entries(parsed).map(([name, entry]) => {
    if (!isRecord(entry) || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.sha256)) {
      throw new ConfigError('PROXY_TOKENS', `${name} needs sha256: the hex SHA-256 of its token`)
    }
    const actions = parseActions('PROXY_TOKENS', name, entry.actions)
    return { name, sha256: entry.sha256.toLowerCase(), ...(actions ? { actions } : {}) }
  })
}

function parseOverrides(raw: string | undefined): Map<string, number> {
  const out = new Map<string, number>()
  if (!raw) return out
  const parsed = json('CACHE_TTL_OVERRIDES', raw)
  if (!isRecord(parsed)) throw new ConfigError('CACHE_TTL_OVERRIDES', 'must be a JSON object { "Action": seconds }')
  for (const [action, ttl] of Object.entries(parsed)) {
    if (!iamOperations[action]) throw new ConfigError('CACHE_TTL_OVERRIDES', `names an unknown action ${JSON.stringify(action)}`)
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0) throw new ConfigError('CACHE_TTL_OVERRIDES', `${action} must map to whole seconds ≥ 0`)
    out.set(action, ttl)
  }
  return out
}
