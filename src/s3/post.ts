// Presigned POST: a form a browser posts straight to S3, under a policy the signer wrote.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html
import { assertCredentials } from '../sigv4/sign.js'
import { defaultSubtle, toHex } from '../sigv4/crypto.js'
import { toAmzDate } from '../sigv4/date.js'
import type { Credentials, SigningKeyCache, Subtle } from '../sigv4/index.js'
import { base64 } from './checksum.js'
import { keyOf } from './key.js'

/** One condition of a POST policy, as S3 writes them. */
export type PostCondition = Record<string, string> | ['eq' | 'starts-with', string, string] | ['content-length-range', number, number]

export interface PostPolicy {
  expiration: string
  conditions: PostCondition[]
}

/** Exactly this value, or any value that starts with the prefix (`''`: any value). */
export type Match = string | { startsWith: string }

export interface PresignPostOptions {
  credentials: Credentials
  region: string
  bucket: string
  /**
   * the object's key, or a prefix the browser's key must start with; a key ending in
   * `${filename}` (S3 puts the file's name there) is taken as a prefix, as botocore does
   */
  key: Match
  /** where the form posts (default `https://<bucket>.s3.<region>.amazonaws.com/`) */
  url?: string
  /** seconds the form stays valid, 1..604800 (default 3600) */
  expiresIn?: number
  /** or the moment it stops being valid, within 7 days */
  expires?: Date
  /** the file's size in bytes: [min, max] */
  contentLengthRange?: [min: number, max: number]
  contentType?: Match
  /** x-amz-meta-<name> fields, each fixed to its value */
  meta?: Record<string, string>
  /** the status S3 answers a successful upload with (default 204) */
  successActionStatus?: 200 | 201 | 204
  /** where S3 redirects the browser after a successful upload */
  successActionRedirect?: string
  /** a canned ACL: private, public-read, … */
  acl?: string
  serverSideEncryption?: 'AES256' | 'aws:kms' | 'aws:kms:dsse'
  /** with serverSideEncryption aws:kms: the key's id or ARN */
  sseKmsKeyId?: string
  /** more fields given by hand: each is sent and held to its value */
  fields?: Record<string, string>
  /** more conditions given by hand, as S3 writes them */
  conditions?: PostCondition[]
  /** signing time (default now) */
  date?: Date
  keyCache?: SigningKeyCache | false
  subtle?: Subtle
}

export interface PresignedPost {
  /** the form's action */
  url: string
  /** the form's fields, in order, before the file (the file field comes last) */
  fields: Record<string, string>
  /** the policy as signed (also in fields.policy, base64) */
  policy: PostPolicy
}

const MAX_SECONDS = 604_800
const FIELD = /^[\w.-]+$/

function match(name: string, value: Match, what: string): PostCondition {
  if (typeof value == 'string') return { [name]: value }
  if (value && typeof value.startsWith == 'string') return ['starts-with', `$${name}`, value.startsWith]
  throw new TypeError(`${what}: expected a string or { startsWith: string }, got ${JSON.stringify(value)}`)
}

/** The condition, checked: a TypeError names its position and what is wrong. */
export function checkCondition(c: unknown, i: number): PostCondition {
  const where = `POST policy condition ${i}`
  if (Array.isArray(c)) {
    const [kind, a, b] = c as unknown[]
    if (kind == 'content-length-range') {
      if (c.length == 3 && Number.isSafeInteger(a) && Number.isSafeInteger(b) && (a as number) >= 0 && (a as number) <= (b as number)) return c as PostCondition
      throw new TypeError(`${where}: content-length-range needs two whole numbers 0 ≤ min ≤ max, got ${JSON.stringify(c)}`)
    }
    if (kind == 'eq' || kind == 'starts-with') {
      if (c.length == 3 && typeof a == 'string' && a.startsWith('$') && FIELD.test(a.slice(1)) && typeof b == 'string') return c as PostCondition
      throw new TypeError(`${where}: ${kind} needs a "$field" name and a string value, got ${JSON.stringify(c)}`)
    }
    throw new TypeError(`${where}: unknown kind ${JSON.stringify(kind)}; S3 knows eq, starts-with and content-length-range (or { "field": "value" })`)
  }
  if (c && typeof c == 'object') {
    const entries = Object.entries(c)
    if (entries.length == 1 && FIELD.test((entries[0] as [string, unknown])[0]) && typeof (entries[0] as [string, unknown])[1] == 'string') return c as PostCondition
    throw new TypeError(`${where}: an exact match is one { "field": "value" } pair, got ${JSON.stringify(c)}`)
  }
  throw new TypeError(`${where}: unknown kind of condition ${JSON.stringify(c)}`)
}

/** `2026-12-06T14:00:00Z`: the expiration as botocore writes it. */
const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z')

/**
 * A form a browser posts straight to S3: the URL and the fields, signed with SigV4 under a policy
 * of the conditions asked for. Runs wherever WebCrypto does; the keys never reach the browser.
 */
export async function presignPost(o: PresignPostOptions): Promise<PresignedPost> {
  assertCredentials(o?.credentials)
  const { credentials: c, region, bucket } = o
  if (typeof bucket != 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new TypeError(`bucket: ${JSON.stringify(bucket)} is not an S3 bucket name`)
  if (typeof region != 'string' || !/^[\w-]+$/.test(region)) throw new TypeError(`region: invalid region ${JSON.stringify(region)}`)
  const date = o.date ?? new Date()
  const seconds = o.expiresIn ?? 3600
  const expires = o.expires ?? new Date(date.getTime() + 1000 * seconds)
  if (o.expires === undefined && !(Number.isInteger(seconds) && seconds > 0 && seconds <= MAX_SECONDS)) {
    throw new RangeError(`expiresIn: must be 1..${MAX_SECONDS} whole seconds (7 days), got ${o.expiresIn}`)
  }
  const lead = expires.getTime() - date.getTime()
  if (!(lead > 0)) throw new RangeError(`expires: ${Number.isNaN(lead) ? 'an invalid Date' : `${isoSeconds(expires)} is not after the signing time ${isoSeconds(date)}`}`)
  if (lead > MAX_SECONDS * 1000) throw new RangeError(`expires: ${isoSeconds(expires)} is more than 7 days after the signing time ${isoSeconds(date)}`)

  const fields: Record<string, string> = {}
  const conditions: PostCondition[] = []
  const fixed = (name: string, value: unknown, what: string) => {
    if (typeof value != 'string') throw new TypeError(`${what}: expected a string, got ${JSON.stringify(value)}`)
    fields[name] = value
    conditions.push({ [name]: value })
  }
  for (const [name, value] of Object.entries(o.fields ?? {})) {
    if (!FIELD.test(name)) throw new TypeError(`fields: ${JSON.stringify(name)} is not a form field name`)
    fixed(name, value, `fields.${name}`)
  }
  if (o.acl !== undefined) fixed('acl', o.acl, 'acl')
  if (o.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(o.successActionStatus)) throw new TypeError(`successActionStatus: S3 answers 200, 201 or 204, got ${o.successActionStatus}`)
    fixed('success_action_status', String(o.successActionStatus), 'successActionStatus')
  }
  if (o.successActionRedirect !== undefined) fixed('success_action_redirect', o.successActionRedirect, 'successActionRedirect')
  if (o.serverSideEncryption !== undefined) fixed('x-amz-server-side-encryption', o.serverSideEncryption, 'serverSideEncryption')
  if (o.sseKmsKeyId !== undefined) fixed('x-amz-server-side-encryption-aws-kms-key-id', o.sseKmsKeyId, 'sseKmsKeyId')
  for (const [name, value] of Object.entries(o.meta ?? {})) {
    if (!FIELD.test(name)) throw new TypeError(`meta: ${JSON.stringify(name)} is not a metadata name`)
    fixed(`x-amz-meta-${name.toLowerCase()}`, value, `meta.${name}`)
  }
  if (o.contentType !== undefined) {
    const condition = match('Content-Type', o.contentType, 'contentType')
    conditions.push(condition)
    if (typeof o.contentType == 'string') fields['Content-Type'] = o.contentType
  }
  if (o.contentLengthRange !== undefined) conditions.push(checkCondition(['content-length-range', ...(o.contentLengthRange ?? [])], conditions.length))
  ;(o.conditions ?? []).forEach((condition, i) => conditions.push(checkCondition(condition, i)))
  conditions.push({ bucket })
  // a key ending in ${filename} names a prefix: S3 puts the uploaded file's name there
  const key = typeof o.key == 'string' && o.key.endsWith('${filename}') ? { startsWith: o.key.slice(0, -11) } : o.key
  conditions.push(match('key', key, 'key'))
  fields.key = typeof o.key == 'string' ? o.key : `${(key as { startsWith: string }).startsWith}\${filename}`

  const amzDate = toAmzDate(date)
  const day = amzDate.slice(0, 8)
  const auth: Record<string, string> = {
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': `${c.accessKeyId}/${day}/${region}/s3/aws4_request`,
    'x-amz-date': amzDate,
  }
  if (c.sessionToken) auth['x-amz-security-token'] = c.sessionToken
  for (const [name, value] of Object.entries(auth)) fixed(name, value, name)
  const policy: PostPolicy = { expiration: isoSeconds(expires), conditions }
  fields.policy = base64(new TextEncoder().encode(JSON.stringify(policy)))
  fields['x-amz-signature'] = await signPolicy(fields.policy, { ...o, date })
  return { url: o.url ?? `https://${bucket}.s3.${region}.amazonaws.com/`, fields, policy }
}

/** The hex SigV4 signature of a base64 POST policy: HMAC of the policy text with the day's S3 signing key. */
export async function signPolicy(policyBase64: string, o: Pick<PresignPostOptions, 'credentials' | 'region' | 'date' | 'keyCache' | 'subtle'>): Promise<string> {
  assertCredentials(o.credentials)
  const subtle = o.subtle ?? defaultSubtle()
  const day = toAmzDate(o.date ?? Date.now()).slice(0, 8)
  const key = await keyOf(o, subtle, o.credentials, day, o.region, 's3')
  return toHex(await subtle.sign('HMAC', key, new TextEncoder().encode(policyBase64)))
}
