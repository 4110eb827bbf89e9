// One smoke test for every runtime: a slice of the SigV4 suite, a moto-backed ListRoles across
// pages, a typed NoSuchEntity, the policy evaluator over the same account (who is admin, who
// can become admin, the action data loaded on demand), and S3 uploads (AWS's documented trailer
// example, checksums, a presigned POST, AwsClient's streamed upload). Runtime-neutral: bundled with esbuild and run by Node, workerd,
// Deno, Bun and Chromium alike.
import { GetAccountAuthorizationDetails, GetRole, IamClient, IamError, ListRoles, paginate } from '../../src/iam/index.js'
import { escalations, loadActionData, readAccount } from '../../src/policy/index.js'
import { AwsClient } from '../../src/fetch/index.js'
import { checksum, presignPost, signChunked } from '../../src/s3/index.js'
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
  /** iam-edge/s3: AWS's documented trailer example, checksums, a presigned POST, and AwsClient's streamed upload (its code loaded on demand) */
  s3: S3Smoke
}

export interface S3Smoke {
  /** the documented STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER example: seed, chunk signatures, trailer, trailer signature */
  documented: { seed: string; chunks: string[]; trailer: string[] }
  /** checksums of 'hello world' */
  checksums: Record<'crc32' | 'crc32c' | 'sha256', string>
  /** presignPost at a fixed date: its URL and fields */
  post: { url: string; fields: Record<string, string> }
  /** AwsClient, a PUT of a stream with `streaming: 'unsigned-trailer', checksum: 'crc32'`: the signed headers and the body as sent */
  streamed: { contentSha256: string | null; encoding: string | null; trailer: string | null; body: string }
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
  const s3 = await smokeS3(input.credentials)
  return { runtime: runtimeName(), signing: { cases: Object.keys(input.cases).length, passed, failures }, concurrent, sigv4a, sigv4aFetch, roles: { pages, names }, policy, missingRole, s3 }
}

const streamOf = (bytes: Uint8Array, piece = 1000) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += piece) c.enqueue(bytes.slice(i, i + piece))
      c.close()
    },
  })
const latin1 = async (body: ReadableStream<Uint8Array> | null) => new TextDecoder('latin1').decode(await new Response(body).arrayBuffer())

async function smokeS3(credentials: SmokeInput['credentials']): Promise<S3Smoke> {
  // AWS's example: 66,560 bytes of 'a' in 64 KiB chunks, 20130524T000000Z, the documentation's key pair
  const example = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
  const signed = await signChunked(
    { method: 'PUT', url: 'https://s3.amazonaws.com/examplebucket/chunkObject.txt', headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' }, body: streamOf(new Uint8Array(66560).fill(0x61)) },
    { credentials: example, region: 'us-east-1', service: 's3', date: new Date(Date.UTC(2013, 4, 24)), length: 66560, checksum: 'crc32c', contentLength: false },
  )
  const text = await latin1(signed.body)
  const documented = { seed: signed.signature, chunks: [...text.matchAll(/chunk-signature=([0-9a-f]{64})/g)].map((m) => m[1] as string), trailer: text.split('\r\n').filter((line) => line.startsWith('x-amz-')) }
  const hello = 'hello world'
  const checksums = { crc32: await checksum('crc32', hello), crc32c: await checksum('crc32c', hello), sha256: await checksum('sha256', hello) }
  const posted = await presignPost({ credentials, region: 'us-east-1', bucket: 'uploads', key: { startsWith: 'users/42/' }, contentLengthRange: [1, 5_000_000], date: new Date(Date.UTC(2026, 11, 1)), expiresIn: 900 })
  const client = new AwsClient({ ...credentials, service: 's3', region: 'us-east-1' })
  const req = await client.sign('https://uploads.s3.us-east-1.amazonaws.com/users/42/a.txt', { method: 'PUT', body: streamOf(new TextEncoder().encode(hello), 4), aws: { streaming: 'unsigned-trailer', checksum: 'crc32' } })
  const streamed = { contentSha256: req.headers.get('x-amz-content-sha256'), encoding: req.headers.get('content-encoding'), trailer: req.headers.get('x-amz-trailer'), body: await latin1(req.body) }
  return { documented, checksums, post: { url: posted.url, fields: posted.fields }, streamed }
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
