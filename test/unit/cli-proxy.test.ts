// `iam-edge proxy …`: caller management on files and stdin, read back by the Worker's own parser.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run.js'
import { KEY_ID_PREFIX, readOnlyPolicy } from '../../src/cli/proxy.js'
import { iamReadOnlyActions } from '../../src/iam/generated/registry.js'
import { loadConfig } from '../../worker/config.js'

function fakeIO(files: Record<string, string> = {}, stdin = '') {
  const out = { stdout: '', stderr: '' }
  const io = {
    env: {},
    stderrIsTTY: false,
    stdout: (t: string) => void (out.stdout += t),
    stderr: (t: string) => void (out.stderr += t),
    readFile: (p: string) => files[p],
    writeFile: (p: string, t: string) => void (files[p] = t),
    readStdin: async () => stdin,
  }
  return { files, out, run: (...argv: string[]) => runCli({ ...io, argv }) }
}

const config = (keys: string, tokens?: string) =>
  loadConfig({ AWS_ACCESS_KEY_ID: 'AKIAUPSTREAM0000001', AWS_SECRET_ACCESS_KEY: 'upstream-secret-0123456789', PROXY_KEYS: keys, ...(tokens ? { PROXY_TOKENS: tokens } : {}) })

describe('iam-edge proxy key', () => {
  it('creates a key in a file: an AWS-shaped id with the proxy prefix, a 40-character secret shown once', async () => {
    const { files, out, run } = fakeIO()
    expect(await run('proxy', 'key', 'create', '--name', 'alice', '--actions', 'ListUsers,GetRole', '--file', 'keys.json')).toBe(0)
    const id = /AccessKeyId: (\w+)/.exec(out.stdout)?.[1] as string
    const secret = /SecretAccessKey: (\S+)/.exec(out.stdout)?.[1] as string
    expect(id).toMatch(new RegExp(`^${KEY_ID_PREFIX}[A-Z2-7]{16}$`))
    expect(secret).toHaveLength(40)
    const key = config(files['keys.json'] as string).keys.get(id)
    expect(key).toMatchObject({ name: 'alice', secrets: [{ secretAccessKey: secret }] })
    expect([...(key?.actions ?? [])]).toEqual(['ListUsers', 'GetRole'])
  })

  it('rotates: the new secret first, the old one until --retire-after, both read by the Worker', async () => {
    const { files, out, run } = fakeIO()
    await run('proxy', 'key', 'create', '--name', 'ci', '--file', 'k.json')
    const old = /SecretAccessKey: (\S+)/.exec(out.stdout)?.[1]
    out.stdout = ''
    const before = Date.now()
    expect(await run('proxy', 'key', 'rotate', '--name', 'ci', '--retire-after', '12h', '--file', 'k.json')).toBe(0)
    const fresh = /SecretAccessKey: (\S+)/.exec(out.stdout)?.[1]
    const [key] = [...config(files['k.json'] as string).keys.values()]
    expect(key?.secrets.map((s) => s.secretAccessKey)).toEqual([fresh, old])
    const expires = key?.secrets[1]?.expires as number
    expect(expires - before).toBeGreaterThanOrEqual(12 * 3600_000 - 1000)
    expect(expires - before).toBeLessThan(12 * 3600_000 + 60_000)
  })

  it('lists names, ids, actions and ages, never a secret, and revokes', async () => {
    const { files, out, run } = fakeIO()
    await run('proxy', 'key', 'create', '--name', 'alice', '--file', 'k.json')
    await run('proxy', 'key', 'rotate', '--name', 'alice', '--file', 'k.json')
    const secrets = [...(files['k.json'] as string).matchAll(/"secretAccessKey": "([^"]+)"/g)].map((m) => m[1] as string)
    out.stdout = ''
    await run('proxy', 'key', 'list', '--file', 'k.json')
    expect(out.stdout).toMatch(/alice\s+APXY\w{16}\s+all read-only\s+0d\s+previous secret until/)
    for (const s of secrets) expect(out.stdout).not.toContain(s)
    expect(await run('proxy', 'key', 'revoke', '--name', 'alice', '--file', 'k.json')).toBe(0)
    expect(JSON.parse(files['k.json'] as string)).toEqual({})
  })

  it('works as a pipe: JSON from stdin to stdout, the secret on stderr', async () => {
    const existing = JSON.stringify({ APXYAAAAAAAAAAAAAAAA: { name: 'old', secretAccessKey: 'x'.repeat(40) } })
    const { out, run } = fakeIO({}, existing)
    expect(await run('proxy', 'key', 'create', '--name', 'bob')).toBe(0)
    const store = JSON.parse(out.stdout) as Record<string, { name: string }>
    expect(Object.values(store).map((k) => k.name).sort()).toEqual(['bob', 'old'])
    const secret = /SecretAccessKey: (\S{40})/.exec(out.stderr)?.[1] as string
    expect(secret).toHaveLength(40)
    // the JSON on stdout holds the secret (it is the store), but no human-readable line does
    expect(out.stdout).not.toContain('SecretAccessKey:')
  })

  it('refuses mutating actions, duplicates, unknown names and bad JSON with exit 252', async () => {
    const { out, run } = fakeIO({ 'bad.json': '{not json' })
    expect(await run('proxy', 'key', 'create', '--name', 'x', '--actions', 'CreateUser', '--file', 'k.json')).toBe(252)
    expect(out.stderr).toContain('CreateUser is not a read-only IAM action')
    await run('proxy', 'key', 'create', '--name', 'x', '--file', 'k.json')
    expect(await run('proxy', 'key', 'create', '--name', 'x', '--file', 'k.json')).toBe(252)
    expect(await run('proxy', 'key', 'rotate', '--name', 'nobody', '--file', 'k.json')).toBe(252)
    expect(await run('proxy', 'key', 'list', '--file', 'bad.json')).toBe(252)
    expect(out.stderr).toContain('bad.json is not valid JSON')
    expect(await run('proxy', 'key', 'rotate', '--name', 'x', '--retire-after', 'soon', '--file', 'k.json')).toBe(252)
  })
})

describe('iam-edge proxy token', () => {
  it('stores only the SHA-256 of a token it prints once, read by the Worker', async () => {
    const { files, out, run } = fakeIO()
    expect(await run('proxy', 'token', 'create', '--name', 'browser', '--actions', 'ListRoles', '--file', 't.json')).toBe(0)
    const token = /Token: (\S+)/.exec(out.stdout)?.[1] as string
    expect(token).toMatch(/^iet_[A-Za-z0-9_-]{43}$/)
    expect(files['t.json']).not.toContain(token)
    const parsed = config('', files['t.json'])
    expect(parsed.tokens).toEqual([{ name: 'browser', sha256: createHash('sha256').update(token).digest('hex'), actions: new Set(['ListRoles']) }])
  })
})

describe('iam-edge proxy policy and init', () => {
  it('prints the read-only policy for the Worker’s credentials: every action it forwards and nothing else', async () => {
    const policy = readOnlyPolicy() as { Statement: { Action: string[] }[] }
    expect(policy.Statement[0]?.Action).toEqual(iamReadOnlyActions.map((a) => `iam:${a}`))
    // and Access Advisor's job, which it forwards only with ACCESS_ADVISOR=on
    expect(policy.Statement.flatMap((s) => s.Action).every((a) => /^(iam:(Get|List|Simulate)|sts:GetCallerIdentity$|iam:GenerateServiceLastAccessedDetails$)/.test(a))).toBe(true)
    expect(policy.Statement.flatMap((s) => s.Action)).toContain('iam:GenerateServiceLastAccessedDetails')
  })

  it('init writes the key store, the policy and .dev.vars, and prints the deploy commands', async () => {
    const { files, out, run } = fakeIO()
    expect(await run('proxy', 'init', '--dir', 'site', '--name', 'dash')).toBe(0)
    expect(Object.keys(files).sort()).toEqual(['site/.dev.vars', 'site/iam-edge-policy.json', 'site/proxy-keys.json'])
    const id = Object.keys(JSON.parse(files['site/proxy-keys.json'] as string))[0]
    expect(out.stdout).toContain(`AccessKeyId: ${id}`)
    expect(out.stdout).toContain('npx wrangler secret put PROXY_KEYS < site/proxy-keys.json')
    expect(out.stdout).toContain('npx wrangler deploy')
    expect(files['site/.dev.vars']).toContain(`PROXY_KEYS={"${id}"`)
    expect(await run('proxy', 'init', '--dir', 'site')).toBe(252)
  })
})
