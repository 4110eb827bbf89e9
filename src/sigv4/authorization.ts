export const ALGORITHM = 'AWS4-HMAC-SHA256'
const SCOPE_TERMINATOR = 'aws4_request'

export interface ParsedCredential {
  accessKeyId: string
  day: string
  region: string
  service: string
}

export interface ParsedAuthorization {
  credential: ParsedCredential
  signedHeaders: string[]
  signature: string
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

/** `AKID/20150830/us-east-1/iam/aws4_request`; with `regionless` (SigV4a) `AKID/20150830/s3/aws4_request`, region ''. */
export function parseCredential(text: string, regionless = false): Parsed<ParsedCredential> {
  const parts = text.split('/')
  if (regionless) parts.splice(2, 0, '-')
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    return { ok: false, message: `Credential must have the form <key>/<YYYYMMDD>/${regionless ? '' : '<region>/'}<service>/${SCOPE_TERMINATOR}` }
  }
  const [accessKeyId, day, region, service, terminator] = parts as [string, string, string, string, string]
  if (terminator !== SCOPE_TERMINATOR) return { ok: false, message: `Credential scope must end in ${SCOPE_TERMINATOR}, not ${terminator}` }
  if (!/^\d{8}$/.test(day)) return { ok: false, message: 'Credential scope date must be YYYYMMDD' }
  return { ok: true, value: { accessKeyId, day, region: regionless ? '' : region, service } }
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=a;b, Signature=hex` (or `expected`'s algorithm: SigV4a's) */
export function parseAuthorization(header: string, expected = ALGORITHM): Parsed<ParsedAuthorization> {
  const space = header.indexOf(' ')
  const algorithm = space === -1 ? header : header.slice(0, space)
  if (algorithm !== expected) {
    return { ok: false, message: `Authorization header uses ${JSON.stringify(algorithm.slice(0, 40))}; only ${expected} is accepted` }
  }
  const fields = new Map<string, string>()
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=')
    // Stryker disable next-line ConditionalExpression,UnaryOperator: equivalent: a part without '=' only adds a field no one reads
    if (eq === -1) continue
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.get(f))
  if (missing.length > 0) return { ok: false, message: `Authorization header is missing ${missing.join(', ')}` }
  const credential = parseCredential(fields.get('Credential') as string, expected !== ALGORITHM)
  if (!credential.ok) return credential
  const signed = parseSignedHeaders(fields.get('SignedHeaders') as string)
  if (!signed.ok) return signed
  return { ok: true, value: { credential: credential.value, signedHeaders: signed.value, signature: fields.get('Signature') as string } }
}

export function parseSignedHeaders(text: string): Parsed<string[]> {
  const names = text.split(';')
  // Stryker disable next-line EqualityOperator: equivalent: one step past the end tests undefined, which passes and compares false
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) return { ok: false, message: `SignedHeaders has an invalid name ${JSON.stringify(name)}` }
    // Stryker disable next-line EqualityOperator: equivalent for `i > 0`: names[-1] is undefined and compares false (`>=` vs `>` is killed by the repeat test)
    if (i > 0 && (names[i - 1] as string) >= name) return { ok: false, message: 'SignedHeaders must be lowercase, sorted and without repeats' }
  }
  return { ok: true, value: names }
}
