// One smoke test for every runtime: a slice of the SigV4 suite, a moto-backed ListRoles across
// pages, a typed NoSuchEntity. Runtime-neutral: bundled with esbuild and run by Node, workerd,
// Deno, Bun and Chromium alike.
import { GetRole, IamClient, IamError, ListRoles, paginate } from '../../src/iam/index.js'
import { presignRequest, signRequest } from '../../src/sigv4/index.js'
import { loadCase } from '../support/sigv4-suite.js'

export interface SmokeInput {
  endpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  cases: Record<string, Record<string, string>>
}

export interface SmokeResult {
  runtime: string
  signing: { cases: number; passed: number; failures: string[] }
  /** the same cases signed all at once, both forms: the signer reuses an encode buffer across calls */
  concurrent: { passed: number; failures: string[] }
  roles: { pages: number; names: string[] }
  missingRole: { name: string; code: string } | { unexpected: string }
}

export async function smoke(input: SmokeInput): Promise<SmokeResult> {
  const failures: string[] = []
  let passed = 0
  for (const [name, files] of Object.entries(input.cases)) {
    const c = loadCase(name, files)
    const options = { credentials: c.credentials, region: c.region, service: c.service, date: c.date, normalizePath: c.normalizePath, signBody: c.signBody, omitSessionToken: c.omitSessionToken, expiresIn: c.expiresIn }
    const header = await signRequest(c.request, options)
    const query = await presignRequest(c.request, options)
    if (header.signature === c.expected.header.signature && query.signature === c.expected.query.signature) passed++
    else failures.push(name)
  }

  // every case in both forms at once, several times over: each WebCrypto call must have copied
  // its input before the next signature writes the shared buffer
  const loaded = Object.entries(input.cases).map(([name, files]) => ({ name, c: loadCase(name, files) }))
  const runs = await Promise.all(
    Array.from({ length: 4 }, () => loaded).flat().map(async ({ name, c }) => {
      const options = { credentials: c.credentials, region: c.region, service: c.service, date: c.date, normalizePath: c.normalizePath, signBody: c.signBody, omitSessionToken: c.omitSessionToken, expiresIn: c.expiresIn }
      const [header, query] = await Promise.all([signRequest(c.request, options), presignRequest(c.request, options)])
      return { name, ok: header.signature === c.expected.header.signature && query.signature === c.expected.query.signature }
    }),
  )
  const concurrent = { passed: runs.filter((r) => r.ok).length, failures: runs.filter((r) => !r.ok).map((r) => r.name) }

  const client = new IamClient({ credentials: input.credentials, endpoint: input.endpoint, allowHttp: true })
  const names: string[] = []
  let pages = 0
  for await (const page of paginate(client, ListRoles, {}, { pageSize: 2 })) {
    pages++
    names.push(...page.Roles.map((r) => r.RoleName))
  }

  let missingRole: SmokeResult['missingRole']
  try {
    await client.send(GetRole, { RoleName: 'no-such-role' })
    missingRole = { unexpected: 'GetRole succeeded' }
  } catch (error) {
    missingRole = error instanceof IamError ? { name: error.name, code: error.code } : { unexpected: String(error) }
  }
  return { runtime: runtimeName(), signing: { cases: Object.keys(input.cases).length, passed, failures }, concurrent, roles: { pages, names }, missingRole }
}

function runtimeName(): string {
  const g = globalThis as Record<string, unknown>
  if (g.Deno) return 'deno'
  if (g.Bun) return 'bun'
  if (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof document !== 'undefined') return 'browser'
  return 'node'
}
