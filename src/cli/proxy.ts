// `iam-edge proxy …`: the proxy's callers without hand-written JSON. Keys and tokens live in the
// PROXY_KEYS / PROXY_TOKENS JSON the Worker reads; these commands edit that JSON in a file (or
// stdin → stdout, to pipe into `wrangler secret put`), print a new secret once, and never list one.
import { iamOperations, iamReadOnlyActions } from '../iam/generated/registry.js'
import { toBase64 } from '../query/base64.js'
import { toHex } from '../sigv4/crypto.js'
import { UsageError } from './args.js'

export interface ProxyIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** undefined when the file does not exist */
  readFile: (path: string) => string | undefined
  writeFile: (path: string, text: string) => void
  readStdin: () => Promise<string>
  now: () => number
}

type Json = Record<string, Record<string, unknown>>

/** Proxy-issued key ids: 20 characters like AWS's, the prefix saying "proxy-issued". */
export const KEY_ID_PREFIX = 'APXY'
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const STS_ACTIONS = ['GetCallerIdentity', 'GetAccessKeyInfo']
const DEFAULT_RETIRE = '7d'

const HELP = `usage:
  iam-edge proxy key create --name NAME [--actions ListUsers,GetRole] [--file FILE]
  iam-edge proxy key rotate --name NAME [--retire-after 7d] [--file FILE]
  iam-edge proxy key revoke --name NAME [--file FILE]
  iam-edge proxy key list [--file FILE]
  iam-edge proxy token create|revoke|list  (the same flags; tokens are kept as SHA-256)
  iam-edge proxy policy                     the read-only IAM policy for the Worker's own credentials
  iam-edge proxy init [--name NAME] [--dir DIR]

Without --file the JSON is read from stdin and written to stdout, so it pipes into
\`wrangler secret put PROXY_KEYS\`; a new secret then goes to stderr. With --file the file is
updated in place (created when missing) and the new secret goes to stdout.
`

export async function runProxy(io: ProxyIO, argv: readonly string[]): Promise<number> {
  const [kind, verb, ...rest] = argv
  if (kind === undefined || kind === '--help' || kind === 'help') {
    io.stdout(HELP)
    return kind === undefined ? 252 : 0
  }
  if (kind === 'policy') {
    io.stdout(`${JSON.stringify(readOnlyPolicy(), null, 2)}\n`)
    return 0
  }
  if (kind === 'init') return init(io, flags(argv.slice(1)))
  if (kind !== 'key' && kind !== 'token') throw new UsageError(`unknown proxy command ${JSON.stringify(kind)}; try key, token, policy or init`)
  if (verb === undefined) throw new UsageError(`iam-edge proxy ${kind} needs create, ${kind === 'key' ? 'rotate, ' : ''}revoke or list`)
  const f = flags(rest)
  const store = await load(io, f.file)
  const now = io.now()
  let secretLines: string | undefined
  switch (`${kind} ${verb}`) {
    case 'key create': {
      const name = required(f, 'name')
      if (findKey(store, name)) throw new UsageError(`a key named ${JSON.stringify(name)} exists; rotate or revoke it`)
      const id = newKeyId(store)
      const secret = newSecret()
      store[id] = { name, secretAccessKey: secret, ...actionsOf(f), created: new Date(now).toISOString() }
      secretLines = `AccessKeyId: ${id}\nSecretAccessKey: ${secret}\n`
      break
    }
    case 'key rotate': {
      const name = required(f, 'name')
      const [id, entry] = findKey(store, name) ?? fail(`no key named ${JSON.stringify(name)}`)
      const current = currentSecret(entry)
      const secret = newSecret()
      const expires = new Date(now + duration(f['retire-after'] ?? DEFAULT_RETIRE)).toISOString()
      const { secretAccessKey: _, secrets: __, ...kept } = entry
      store[id] = { ...kept, secrets: [{ secretAccessKey: secret }, { secretAccessKey: current, expires }], rotated: new Date(now).toISOString() }
      secretLines = `AccessKeyId: ${id}\nSecretAccessKey: ${secret}\n(the previous secret is accepted until ${expires})\n`
      break
    }
    case 'key revoke':
    case 'token revoke': {
      const name = required(f, 'name')
      const id = kind === 'key' ? findKey(store, name)?.[0] : Object.hasOwn(store, name) ? name : undefined
      if (id === undefined) throw new UsageError(`no ${kind} named ${JSON.stringify(name)}`)
      delete store[id]
      break
    }
    case 'token create': {
      const name = required(f, 'name')
      if (Object.hasOwn(store, name)) throw new UsageError(`a token named ${JSON.stringify(name)} exists; revoke it first`)
      const token = `iet_${toBase64(random(32)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
      store[name] = { sha256: toHex(digest), ...actionsOf(f), created: new Date(now).toISOString() }
      secretLines = `Token: ${token}\n`
      break
    }
    case 'key list':
    case 'token list':
      io.stdout(list(kind, store, now))
      return 0
    default:
      throw new UsageError(`unknown command: iam-edge proxy ${kind} ${verb}`)
  }
  const text = `${JSON.stringify(store, null, 2)}\n`
  if (f.file !== undefined) {
    io.writeFile(f.file, text)
    if (secretLines) io.stdout(secretLines)
  } else {
    io.stdout(text)
    if (secretLines) io.stderr(secretLines)
  }
  return 0
}

/** The IAM policy the Worker's own credentials need: the read-only actions it may forward, and STS identity. */
export function readOnlyPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'IamEdgeReadOnly', Effect: 'Allow', Action: iamReadOnlyActions.map((a) => `iam:${a}`), Resource: '*' },
      { Sid: 'IamEdgeAccount', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
      // used only when the Worker's ACCESS_ADVISOR is on (the explorer's unused access)
      { Sid: 'IamEdgeAccessAdvisor', Effect: 'Allow', Action: ['iam:GenerateServiceLastAccessedDetails'], Resource: '*' },
    ],
  }
}

async function init(io: ProxyIO, f: Record<string, string>): Promise<number> {
  const dir = (f.dir ?? '.').replace(/\/+$/, '')
  const name = f.name ?? 'dashboard'
  const keysFile = `${dir}/proxy-keys.json`
  const store: Json = {}
  const id = newKeyId(store)
  const secret = newSecret()
  store[id] = { name, secretAccessKey: secret, created: new Date(io.now()).toISOString() }
  if (io.readFile(keysFile) !== undefined) throw new UsageError(`${keysFile} exists; manage it with iam-edge proxy key …`)
  io.writeFile(keysFile, `${JSON.stringify(store, null, 2)}\n`)
  io.writeFile(`${dir}/iam-edge-policy.json`, `${JSON.stringify(readOnlyPolicy(), null, 2)}\n`)
  const devVars = `${dir}/.dev.vars`
  if (io.readFile(devVars) === undefined) {
    io.writeFile(devVars, `# local settings for wrangler dev; never commit\nAWS_ACCESS_KEY_ID=\nAWS_SECRET_ACCESS_KEY=\nPROXY_KEYS=${JSON.stringify(store)}\n`)
  }
  io.stdout(`Wrote ${keysFile} (the proxy's key store), ${dir}/iam-edge-policy.json and ${devVars}.

Your first proxy key (shown once):
  AccessKeyId: ${id}
  SecretAccessKey: ${secret}

Deploy:
  1. Create an IAM user or role for the Worker with iam-edge-policy.json, then:
       npx wrangler secret put AWS_ACCESS_KEY_ID
       npx wrangler secret put AWS_SECRET_ACCESS_KEY
  2. npx wrangler secret put PROXY_KEYS < ${keysFile}
  3. npx wrangler deploy   (from the iam-edge repository; it builds the explorer's files first)
  4. AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=… aws iam list-users --endpoint-url https://<your worker>

More callers: iam-edge proxy key create --name alice --file ${keysFile} && npx wrangler secret put PROXY_KEYS < ${keysFile}
`)
  return 0
}

function flags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    if (!m || !['name', 'actions', 'file', 'retire-after', 'dir'].includes(m[1] as string)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`)
    const value = m[2] ?? argv[++i]
    if (value === undefined) throw new UsageError(`--${m[1]} expects a value`)
    out[m[1] as string] = value
  }
  return out
}

async function load(io: ProxyIO, file: string | undefined): Promise<Json> {
  const text = file === undefined ? await io.readStdin() : (io.readFile(file) ?? '')
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // the text holds secrets: never echo it
    throw new UsageError(`${file ?? 'stdin'} is not valid JSON`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file ?? 'stdin'} must hold a JSON object`)
  return parsed as Json
}

function required(f: Record<string, string>, name: string): string {
  const value = f[name]
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`)
  return value
}

function fail(message: string): never {
  throw new UsageError(message)
}

function actionsOf(f: Record<string, string>): { actions?: string[] } {
  if (f.actions === undefined) return {}
  const actions = f.actions.split(',').map((a) => a.trim()).filter(Boolean)
  for (const action of actions) {
    const op = iamOperations[action]
    if (!STS_ACTIONS.includes(action) && !op?.readOnly) throw new UsageError(`--actions: ${action} is not a read-only IAM action the proxy lets through`)
  }
  return { actions }
}

function findKey(store: Json, name: string): [string, Record<string, unknown>] | undefined {
  return Object.entries(store).find(([id, entry]) => (entry.name ?? id) === name)
}

function currentSecret(entry: Record<string, unknown>): string {
  const secrets = entry.secrets as Array<{ secretAccessKey?: unknown }> | undefined
  const secret = secrets?.[0]?.secretAccessKey ?? entry.secretAccessKey
  if (typeof secret !== 'string') throw new UsageError('the key has no secret to rotate from')
  return secret
}

function random(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n))
}

function newKeyId(store: Json): string {
  for (;;) {
    const id = KEY_ID_PREFIX + [...random(16)].map((b) => BASE32[b & 31]).join('')
    if (!Object.hasOwn(store, id)) return id
  }
}

/** 40 characters from 30 random bytes, the shape of an AWS secret. */
function newSecret(): string {
  return toBase64(random(30))
}

function duration(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim())
  if (!m) throw new UsageError(`--retire-after: expected a duration such as 7d, 12h or 30m, got ${JSON.stringify(text)}`)
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd']
  return Number(m[1]) * unit * 1000
}

function list(kind: 'key' | 'token', store: Json, now: number): string {
  const age = (iso: unknown) => (typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? `${Math.floor((now - Date.parse(iso)) / 86_400_000)}d` : '-')
  const rows = Object.entries(store).map(([id, e]) => {
    const actions = Array.isArray(e.actions) ? (e.actions as string[]).join(',') : 'all read-only'
    if (kind === 'token') return [id, actions, age(e.created)]
    const secrets = (e.secrets as Array<{ expires?: string }> | undefined) ?? []
    const retiring = secrets[1]?.expires ? `previous secret until ${secrets[1].expires}` : ''
    return [String(e.name ?? id), id, actions, age(e.created), retiring]
  })
  const header = kind === 'token' ? ['NAME', 'ACTIONS', 'AGE'] : ['NAME', 'KEY ID', 'ACTIONS', 'AGE', 'ROTATION']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  return [header, ...rows].map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n') + '\n'
}
