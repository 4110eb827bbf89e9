// Differential: generated config and credentials files and environments, resolved by iam-edge and by
// the installed botocore (test/support/botocore-config.py). The credential source (botocore's
// method name), the access key id of sources read without a network call, and the region must
// agree on every case; a case one side refuses the other must refuse too.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseSharedFiles, resolveConfig } from '../../src/config/index.js'

const available = spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0
const mustRun = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'

interface Case {
  config: string
  credentials: string
  env: Record<string, string>
  profile?: string
}

// a small deterministic generator (mulberry32), so a failure names a reproducible case
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function generate(count: number): Case[] {
  const rnd = random(20261123)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const names = ['default', 'prod', 'dev', 'ci']
  const cases: Case[] = []
  for (let n = 0; n < count; n++) {
    let config = ''
    let credentials = ''
    for (const name of names) {
      const header = name === 'default' ? (rnd() < 0.5 ? '[default]' : '[profile default]') : pick([`[profile ${name}]`, `[profile "${name}"]`, `[${name}]`])
      const lines: string[] = []
      if (rnd() < 0.4) lines.push(`region = ${pick(['eu-west-1', 'us-west-2', 'ap-south-1'])}`)
      if (rnd() < 0.35) lines.push(`aws_access_key_id = CFG${name.toUpperCase()}${n}`, `aws_secret_access_key = s`)
      if (rnd() < 0.15) lines.push(`${pick(['AWS_ACCESS_KEY_ID', 'aws_access_key_id'])}: CFGB${name.toUpperCase()}`, 'aws_secret_access_key: s')
      if (rnd() < 0.2 && name !== 'default') lines.push(`role_arn = arn:aws:iam::123456789012:role/${name}`, `source_profile = ${pick(names)}`)
      if (rnd() < 0.1) lines.push('sso_session = corp', 'sso_account_id = 111', 'sso_role_name = R')
      if (lines.some((l) => l.startsWith('aws_access_key_id')) && lines.filter((l) => l.toLowerCase().startsWith('aws_access_key_id')).length > 1) lines.splice(0, lines.length, ...lines.slice(0, 1))
      if (lines.length > 0 || rnd() < 0.3) config += `${rnd() < 0.3 ? '# comment\n' : ''}${header}\n${lines.join('\n')}\n\n`
      if (rnd() < 0.35) credentials += `[${name}]\naws_access_key_id = CRED${name.toUpperCase()}${n}\naws_secret_access_key = s\n${rnd() < 0.3 ? 'region = ca-central-1\n' : ''}`
    }
    if (config.includes('sso_session')) config += '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
    const env: Record<string, string> = {}
    if (rnd() < 0.3) Object.assign(env, { AWS_ACCESS_KEY_ID: `ENV${n}`, AWS_SECRET_ACCESS_KEY: 's' })
    if (rnd() < 0.4) env.AWS_PROFILE = pick([...names, 'missing'])
    if (rnd() < 0.1) env.AWS_DEFAULT_PROFILE = pick(names)
    if (rnd() < 0.3) env.AWS_DEFAULT_REGION = 'sa-east-1'
    const c: Case = { config, credentials, env }
    if (rnd() < 0.3) c.profile = pick([...names, 'missing'])
    cases.push(c)
  }
  return cases
}

function ours(c: Case): unknown {
  try {
    const r = resolveConfig(parseSharedFiles({ config: c.config, credentials: c.credentials }), { ...c.env, AWS_EC2_METADATA_DISABLED: 'true' }, c.profile === undefined ? {} : { profile: c.profile })
    const plan = r.credentials
    if (!plan) return { method: null, region: r.region ?? null }
    const deferred = plan.source === 'assume-role' || plan.source === 'assume-role-with-web-identity' || plan.source === 'sso'
    return { method: plan.source, accessKeyId: deferred || !('accessKeyId' in plan) ? null : plan.accessKeyId, region: r.region ?? null }
  } catch {
    return { error: true }
  }
}

describe.skipIf(!available && !mustRun)('configuration resolved as botocore resolves it', () => {
  it('agrees with botocore on 300 generated files and environments', () => {
    const cases = generate(300)
    const py = spawnSync('python3', ['test/support/botocore-config.py'], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 16 << 20 })
    if (py.status !== 0) throw new Error(`botocore failed: ${py.stderr}`)
    const theirs = (JSON.parse(py.stdout) as Array<Record<string, unknown>>).map((t) => ('error' in t ? { error: true } : t))
    const differing = cases.map((c, i) => ({ c, ours: ours(c), theirs: theirs[i] })).filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.theirs))
    if (process.env.DIFF_DEBUG) for (const d of differing.slice(0, 5)) console.log(JSON.stringify(d, null, 1))
    expect(differing.length).toBe(0)
    // the generator reaches every outcome it is meant to compare
    const outcomes = new Set(cases.map((c) => ours(c) as { error?: true; method?: string | null }).map((o) => (o.error ? 'error' : String(o.method))))
    expect([...outcomes].sort()).toEqual(['assume-role', 'config-file', 'env', 'error', 'null', 'shared-credentials-file', 'sso'])
  })
})
