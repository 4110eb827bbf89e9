// One smoke test for every runtime: a slice of the SigV4 suite, a moto-backed ListRoles across
// pages, a typed NoSuchEntity, and the policy evaluator over the same account (who is admin, who
// can become admin, the action data loaded on demand). Runtime-neutral: bundled with esbuild and run by Node, workerd,
// Deno, Bun and Chromium alike.
import { GetAccountAuthorizationDetails, GetRole, IamClient, IamError, ListRoles, paginate } from '../../src/iam/index.js'
import { escalations, loadActionData, readAccount } from '../../src/policy/index.js'
import { AwsClient } from '../../src/fetch/index.js'
import { presignRequest, signRequest } from '../../src/sigv4/index.js'
import { deriveKeyPairV4a, presignRequestV4a, signRequestV4a, verifyRequestV4a } from '../../src/sigv4a/index.js'
import { importPublic, optionsV4a, verifiesWith } from '../support/sigv4a-check.js'
import { loadCase } from '../support/sigv4-suite.js'

export interface SmokeInput {
  endpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  cases: Record<string, Record<string, string>>
  /** a slice of the SigV4a suite (with public-key.json) */
  casesV4a: Record<string, Record<string, string>>
}

export interface SmokeResult {
  runtime: string
  signing: { cases: number; passed: number; failures: string[] }
  /** the same cases signed all at once, both forms: the signer reuses an encode buffer across calls */
  concurrent: { passed: number; failures: string[] }
  /** SigV4a: public key derived as the suite's, canonical request and string to sign as the suite's, ours and the suite's signatures verified */
  sigv4a: { cases: number; passed: number; failures: string[] }
  /** SigV4a through AwsClient (loaded on demand) for an S3 Multi-Region Access Point host, checked by verifyRequestV4a */
  sigv4aFetch: { algorithm: string; regionSet: string | null; verified: boolean }
  roles: { pages: number; names: string[] }
  /** iam-edge/policy over the account: the admins, who can become admin, and the action data's size */
  policy: { admins: string[]; escalating: string[]; actions: number }
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

  const sigv4a = await smokeV4a(input.casesV4a)
  const sigv4aFetch = await smokeV4aFetch(input.credentials)

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
  const details = []
  for await (const page of paginate(client, GetAccountAuthorizationDetails, {})) details.push(page)
  const found = escalations(readAccount(details)).Escalations
  const policy = {
    admins: found.filter((e) => e.IsAdmin).map((e) => e.PrincipalArn).sort(),
    escalating: found.filter((e) => !e.IsAdmin && e.Paths.length > 0).map((e) => e.PrincipalArn).sort(),
    actions: (await loadActionData()).actionCount,
  }
  return { runtime: runtimeName(), signing: { cases: Object.keys(input.cases).length, passed, failures }, concurrent, sigv4a, sigv4aFetch, roles: { pages, names }, policy, missingRole }
}

async function smokeV4a(cases: SmokeInput['casesV4a']): Promise<SmokeResult['sigv4a']> {
  const failures: string[] = []
  for (const [name, files] of Object.entries(cases)) {
    const c = loadCase(name, files)
    const { X, Y } = JSON.parse(files['public-key.json'] as string) as { X: string; Y: string }
    const pair = await deriveKeyPairV4a(c.credentials)
    const key = await importPublic({ X, Y })
    let ok = pair.x === X.toLowerCase() && pair.y === Y.toLowerCase()
    for (const form of ['header', 'query'] as const) {
      const signed = await (form === 'header' ? signRequestV4a : presignRequestV4a)(c.request, optionsV4a(c))
      const expected = c.expected[form]
      ok &&= signed.canonicalRequest === expected.canonicalRequest && signed.stringToSign === expected.stringToSign
      ok &&= (await verifiesWith(key, signed.signature, signed.stringToSign)) && (await verifiesWith(key, expected.signature, expected.stringToSign))
    }
    if (!ok) failures.push(name)
  }
  return { cases: Object.keys(cases).length, passed: Object.keys(cases).length - failures.length, failures }
}

async function smokeV4aFetch(credentials: SmokeInput['credentials']): Promise<SmokeResult['sigv4aFetch']> {
  const req = await new AwsClient(credentials).sign('https://example.mrap.accesspoint.s3-global.amazonaws.com/key.txt')
  const checked = await verifyRequestV4a(req, (id) => (id === credentials.accessKeyId ? credentials : undefined), { normalizePath: false, singleEncode: true, allowUnsignedPayload: true })
  return { algorithm: (req.headers.get('authorization') ?? '').split(' ')[0] as string, regionSet: req.headers.get('x-amz-region-set'), verified: checked.ok }
}

function runtimeName(): string {
  const g = globalThis as Record<string, unknown>
  if (g.Deno) return 'deno'
  if (g.Bun) return 'bun'
  if (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof document !== 'undefined') return 'browser'
  return 'node'
}
