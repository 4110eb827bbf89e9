// What S3 checks of a POST upload against its policy, as a function: for tests, for emulators
// that do not check (moto does not), and for a Worker that wants to refuse a form before S3 does.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
import { checkCondition, type PostPolicy } from './post.js'

export interface PostUpload {
  /** the form's fields as the browser sends them (names as written) */
  fields: Record<string, string>
  /** the bucket posted to (checked against a bucket condition) */
  bucket?: string
  /** the file's size in bytes (checked against content-length-range) */
  fileSize?: number
  /** the file's name, put in place of ${filename} in the key */
  fileName?: string
  /** when the upload happens (default now) */
  now?: Date
}

// fields S3 does not hold to a condition
const EXEMPT = /^(x-amz-signature|file|policy|x-ignore-.*)$/

/**
 * The ways an upload breaks the policy: each a sentence naming the condition or field, none when
 * S3 would accept it. `policy` is the policy object or the base64 text of the form's field.
 */
export function checkPostPolicy(policy: PostPolicy | string, upload: PostUpload): string[] {
  const p: PostPolicy = typeof policy == 'string' ? JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(policy), (ch) => ch.charCodeAt(0)))) : policy
  const problems: string[] = []
  const expiration = Date.parse(p.expiration)
  if (!(expiration > (upload.now ?? new Date()).getTime())) problems.push(`the policy expired at ${p.expiration}`)
  const form = new Map<string, string>()
  for (const [name, value] of Object.entries(upload.fields)) form.set(name.toLowerCase(), value)
  if (upload.fileName !== undefined && form.has('key')) form.set('key', (form.get('key') as string).replaceAll('${filename}', upload.fileName))
  if (upload.bucket !== undefined) form.set('bucket', upload.bucket)
  const covered = new Set<string>()
  p.conditions.forEach((raw, i) => {
    const c = checkCondition(raw, i)
    if (!Array.isArray(c)) {
      const [name, value] = Object.entries(c)[0] as [string, string]
      const field = name.toLowerCase()
      covered.add(field)
      const given = form.get(field)
      if (given !== value && !(field == 'bucket' && given === undefined)) problems.push(`${name} must be ${JSON.stringify(value)}, got ${given === undefined ? 'none' : JSON.stringify(given)}`)
      return
    }
    if (c[0] == 'content-length-range') {
      const [, min, max] = c
      if (upload.fileSize === undefined) problems.push(`content-length-range ${min}..${max}: the file's size is not known`)
      else if (upload.fileSize < min || upload.fileSize > max) problems.push(`the file's ${upload.fileSize} bytes are outside content-length-range ${min}..${max}`)
      return
    }
    const [kind, $name, value] = c
    const field = $name.slice(1).toLowerCase()
    covered.add(field)
    const given = form.get(field)
    // Content-Type may list several types, each held to the prefix
    const values = given === undefined ? [] : field == 'content-type' && kind == 'starts-with' ? given.split(',').map((v) => v.trim()) : [given]
    const ok = given !== undefined && values.every((v) => (kind == 'eq' ? v === value : v.startsWith(value)))
    if (!ok) problems.push(`${$name.slice(1)} must ${kind == 'eq' ? 'be' : 'start with'} ${JSON.stringify(value)}, got ${given === undefined ? 'none' : JSON.stringify(given)}`)
  })
  for (const name of form.keys()) {
    if (name != 'bucket' && !EXEMPT.test(name) && !covered.has(name)) problems.push(`the field ${name} is in the form but no condition of the policy covers it`)
  }
  return problems
}
