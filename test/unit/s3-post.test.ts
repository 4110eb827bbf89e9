// Presigned POST: the policy and fields it builds, the errors it gives, and the policy checker.
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkCondition, checkPostPolicy, type PostCondition, presignPost, signPolicy } from '../../src/s3/index.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const date = new Date(Date.UTC(2026, 11, 6, 12, 0, 0, 250))
const base = { credentials, region: 'us-west-2', bucket: 'photos-bucket', key: 'a/b.jpg', date }
const decode = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8'))
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest()

describe('presignPost', () => {
  it('every condition asked for, in the policy and the fields, signed as SigV4 defines', async () => {
    const post = await presignPost({
      ...base,
      credentials: { ...credentials, sessionToken: 'token/+=' },
      key: { startsWith: 'users/42/' },
      expiresIn: 600,
      contentLengthRange: [10, 5_000_000],
      contentType: 'image/png',
      meta: { Owner: 'user 42' },
      successActionRedirect: 'https://app.example.com/done',
      acl: 'private',
      serverSideEncryption: 'aws:kms',
      sseKmsKeyId: 'arn:aws:kms:us-west-2:111122223333:key/abc',
      fields: { 'Cache-Control': 'max-age=60' },
      conditions: [['starts-with', '$x-amz-meta-tag', ''], { 'x-amz-storage-class': 'STANDARD_IA' }],
    })
    expect(post.url).toBe('https://photos-bucket.s3.us-west-2.amazonaws.com/')
    expect(post.policy.expiration).toBe('2026-12-06T12:10:00Z')
    expect(post.policy.conditions).toEqual([
      { 'Cache-Control': 'max-age=60' },
      { acl: 'private' },
      { success_action_redirect: 'https://app.example.com/done' },
      { 'x-amz-server-side-encryption': 'aws:kms' },
      { 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-west-2:111122223333:key/abc' },
      { 'x-amz-meta-owner': 'user 42' },
      { 'Content-Type': 'image/png' },
      ['content-length-range', 10, 5_000_000],
      ['starts-with', '$x-amz-meta-tag', ''],
      { 'x-amz-storage-class': 'STANDARD_IA' },
      { bucket: 'photos-bucket' },
      ['starts-with', '$key', 'users/42/'],
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-credential': 'AKIDEXAMPLE/20261206/us-west-2/s3/aws4_request' },
      { 'x-amz-date': '20261206T120000Z' },
      { 'x-amz-security-token': 'token/+=' },
    ])
    expect(Object.keys(post.fields)).toEqual([
      'Cache-Control',
      'acl',
      'success_action_redirect',
      'x-amz-server-side-encryption',
      'x-amz-server-side-encryption-aws-kms-key-id',
      'x-amz-meta-owner',
      'Content-Type',
      'key',
      'x-amz-algorithm',
      'x-amz-credential',
      'x-amz-date',
      'x-amz-security-token',
      'policy',
      'x-amz-signature',
    ])
    expect(post.fields.key).toBe('users/42/${filename}')
    expect(decode(post.fields.policy as string)).toEqual(post.policy)
    // SigV4: HMAC chain from "AWS4" + secret over day, region, "s3", "aws4_request"; then the base64 policy
    let key = hmac(`AWS4${credentials.secretAccessKey}`, '20261206')
    for (const part of ['us-west-2', 's3', 'aws4_request']) key = hmac(key, part)
    expect(post.fields['x-amz-signature']).toBe(hmac(key, post.fields.policy as string).toString('hex'))
    expect(await signPolicy(post.fields.policy as string, { credentials, region: 'us-west-2', date, keyCache: false })).toBe(post.fields['x-amz-signature'])
  })

  it('a key ending in ${filename} is a prefix; a plain key is exact; a content-type prefix; a given url; an expiry date', async () => {
    const a = await presignPost({ ...base, key: 'in/${filename}', contentType: { startsWith: 'image/' }, url: 'http://127.0.0.1:9/photos-bucket', expires: new Date(date.getTime() + 7 * 86400_000), successActionStatus: 201 })
    expect(a.policy.conditions).toContainEqual(['starts-with', '$key', 'in/'])
    expect(a.policy.conditions).toContainEqual(['starts-with', '$Content-Type', 'image/'])
    expect(a.policy.conditions).toContainEqual({ success_action_status: '201' })
    expect(a.fields['Content-Type']).toBeUndefined()
    expect(a.fields.key).toBe('in/${filename}')
    expect(a.url).toBe('http://127.0.0.1:9/photos-bucket')
    expect(a.policy.expiration).toBe('2026-12-13T12:00:00Z')
    const b = await presignPost(base)
    expect(b.policy.conditions).toContainEqual({ key: 'a/b.jpg' })
    expect(b.policy.expiration).toBe('2026-12-06T13:00:00Z')
    expect(b.fields['x-amz-security-token']).toBeUndefined()
  })

  const refusals: [string, object, string | RegExp][] = [
    ['an unknown condition kind', { conditions: [['lt', '$key', 'x']] }, 'POST policy condition 0: unknown kind "lt"; S3 knows eq, starts-with and content-length-range (or { "field": "value" })'],
    ['a condition of no known shape', { conditions: ['key'] }, 'POST policy condition 0: unknown kind of condition "key"'],
    ['an exact match of two fields', { conditions: [{ a: '1', b: '2' }] }, 'POST policy condition 0: an exact match is one { "field": "value" } pair'],
    ['a starts-with without $', { conditions: [['starts-with', 'key', 'x']] }, 'POST policy condition 0: starts-with needs a "$field" name and a string value'],
    ['an eq with a number', { conditions: [['eq', '$key', 5]] }, 'POST policy condition 0: eq needs a "$field" name'],
    ['a size range upside down', { contentLengthRange: [10, 1] }, /content-length-range needs two whole numbers 0 ≤ min ≤ max, got \["content-length-range",10,1\]/],
    ['a size range with a fraction', { conditions: [['content-length-range', 0, 1.5]] }, 'content-length-range needs two whole numbers'],
    ['an expiry in the past', { expires: new Date(date.getTime() - 1000) }, 'expires: 2026-12-06T11:59:59Z is not after the signing time 2026-12-06T12:00:00Z'],
    ['an expiry beyond 7 days', { expires: new Date(date.getTime() + 7 * 86400_000 + 1000) }, 'expires: 2026-12-13T12:00:01Z is more than 7 days after the signing time'],
    ['an invalid expiry date', { expires: new Date(Number.NaN) }, 'expires: an invalid Date'],
    ['expiresIn of 0', { expiresIn: 0 }, 'expiresIn: must be 1..604800 whole seconds (7 days), got 0'],
    ['expiresIn beyond 7 days', { expiresIn: 604_801 }, 'expiresIn: must be 1..604800 whole seconds (7 days), got 604801'],
    ['a bucket name S3 refuses', { bucket: 'Photos_Bucket' }, 'bucket: "Photos_Bucket" is not an S3 bucket name'],
    ['a bad region', { region: 'us west' }, 'region: invalid region "us west"'],
    ['a key of another type', { key: 5 }, 'key: expected a string or { startsWith: string }, got 5'],
    ['a status S3 does not answer', { successActionStatus: 302 }, 'successActionStatus: S3 answers 200, 201 or 204, got 302'],
    ['a field value not a string', { fields: { acl: 1 } }, 'fields.acl: expected a string, got 1'],
    ['a field name with a space', { fields: { 'a b': 'c' } }, 'fields: "a b" is not a form field name'],
    ['a metadata name with a colon', { meta: { 'a:b': 'c' } }, 'meta: "a:b" is not a metadata name'],
    ['no secret', { credentials: { accessKeyId: 'AKID' } }, 'credentials.secretAccessKey: must be a non-empty string'],
  ]
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}`, async () => {
      await expect(presignPost({ ...base, ...change } as Parameters<typeof presignPost>[0])).rejects.toThrow(message)
    })
  }
})

describe('checkPostPolicy: what S3 checks of an upload', () => {
  const policy = {
    expiration: '2026-12-06T13:00:00Z',
    conditions: [
      { bucket: 'photos-bucket' },
      ['starts-with', '$key', 'users/42/'],
      { acl: 'private' },
      ['starts-with', '$Content-Type', 'image/'],
      ['eq', '$x-amz-meta-owner', 'u42'],
      ['content-length-range', 1, 1000],
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
    ] as PostCondition[],
  }
  const fields = { key: 'users/42/${filename}', acl: 'private', 'content-type': 'image/png, image/jpeg', 'X-Amz-Meta-Owner': 'u42', 'x-amz-algorithm': 'AWS4-HMAC-SHA256', policy: 'p', 'x-amz-signature': 's', 'x-ignore-me': '1' }
  const now = new Date(Date.UTC(2026, 11, 6, 12))
  const upload = { fields, bucket: 'photos-bucket', fileSize: 10, fileName: 'cat.png', now }

  it('accepts an upload that keeps every condition (names in any case, several types, exempt fields)', () => {
    expect(checkPostPolicy(policy, upload)).toEqual([])
    expect(checkPostPolicy(Buffer.from(JSON.stringify(policy)).toString('base64'), upload)).toEqual([])
    expect(checkPostPolicy(policy, { ...upload, bucket: undefined })).toEqual([])
  })

  it('names each broken condition', () => {
    expect(checkPostPolicy(policy, { ...upload, now: new Date(Date.UTC(2026, 11, 6, 13)) })).toEqual(['the policy expired at 2026-12-06T13:00:00Z'])
    expect(checkPostPolicy(policy, { ...upload, bucket: 'other' })).toEqual(['bucket must be "photos-bucket", got "other"'])
    expect(checkPostPolicy(policy, { ...upload, fields: { ...fields, key: 'users/43/x' } })).toEqual(['key must start with "users/42/", got "users/43/x"'])
    expect(checkPostPolicy(policy, { ...upload, fields: { ...fields, acl: 'public-read' } })).toEqual(['acl must be "private", got "public-read"'])
    expect(checkPostPolicy(policy, { ...upload, fields: { ...fields, 'content-type': 'image/png,text/html' } })).toEqual(['Content-Type must start with "image/", got "image/png,text/html"'])
    expect(checkPostPolicy(policy, { ...upload, fields: { ...fields, 'x-amz-meta-owner': 'u43', 'X-Amz-Meta-Owner': 'u43' } })).toEqual(['x-amz-meta-owner must be "u42", got "u43"'])
    expect(checkPostPolicy(policy, { ...upload, fileSize: 1001 })).toEqual(["the file's 1001 bytes are outside content-length-range 1..1000"])
    expect(checkPostPolicy(policy, { ...upload, fileSize: 0 })).toEqual(["the file's 0 bytes are outside content-length-range 1..1000"])
    expect(checkPostPolicy(policy, { ...upload, fileSize: undefined })).toEqual(["content-length-range 1..1000: the file's size is not known"])
    expect(checkPostPolicy(policy, { ...upload, fields: { ...fields, 'x-amz-storage-class': 'GLACIER' } })).toEqual(['the field x-amz-storage-class is in the form but no condition of the policy covers it'])
    const { acl: _, ...noAcl } = fields
    expect(checkPostPolicy(policy, { ...upload, fields: noAcl })).toEqual(['acl must be "private", got none'])
    const { 'content-type': __, ...noType } = fields
    expect(checkPostPolicy(policy, { ...upload, fields: noType })).toEqual(['Content-Type must start with "image/", got none'])
  })

  it('without a file name, the key is checked as the form gives it', () => {
    expect(checkPostPolicy(policy, { ...upload, fileName: undefined })).toEqual([])
    expect(checkPostPolicy({ ...policy, conditions: [{ key: 'users/42/cat.png' }] }, { fields: { key: 'users/42/${filename}' }, fileName: 'cat.png', now })).toEqual([])
  })

  it('refuses a policy with a condition of an unknown kind, as presignPost does', () => {
    expect(() => checkPostPolicy({ ...policy, conditions: [['gt', '$key', 'a'] as unknown as PostCondition] }, upload)).toThrow('POST policy condition 0: unknown kind "gt"')
    expect(checkCondition({ a: 'b' }, 3)).toEqual({ a: 'b' })
  })
})

describe('presignPost and the checker: edges', () => {
  it('each option names itself when its value is not a string', async () => {
    for (const [option, value, label] of [
      ['acl', 5, 'acl'],
      ['successActionRedirect', 5, 'successActionRedirect'],
      ['serverSideEncryption', 5, 'serverSideEncryption'],
      ['sseKmsKeyId', 5, 'sseKmsKeyId'],
      ['meta', { Owner: 5 }, 'meta.Owner'],
      ['contentType', 5, 'contentType'],
    ] as const) {
      await expect(presignPost({ ...base, [option]: value } as Parameters<typeof presignPost>[0])).rejects.toThrow(new RegExp(`^${label.replace('.', '\\.')}: expected a string`))
    }
    await expect(presignPost(undefined as never)).rejects.toThrow('credentials.accessKeyId: must be a non-empty string')
    await expect(presignPost({ ...base, region: 5 } as never)).rejects.toThrow('region: invalid region 5')
    await expect(presignPost({ ...base, bucket: 'photos-' })).rejects.toThrow('bucket: "photos-" is not an S3 bucket name')
  })

  it('the boundaries: 7 days exactly, an empty range at 0, an expiry equal to the signing time', async () => {
    expect((await presignPost({ ...base, expiresIn: 604_800 })).policy.expiration).toBe('2026-12-13T12:00:00Z')
    expect((await presignPost({ ...base, contentLengthRange: [0, 0] })).policy.conditions).toContainEqual(['content-length-range', 0, 0])
    await expect(presignPost({ ...base, expires: new Date(date.getTime()) })).rejects.toThrow('is not after the signing time')
    await expect(presignPost({ ...base, conditions: [['content-length-range', 1, 2, 3] as never] })).rejects.toThrow('content-length-range needs two whole numbers')
    await expect(presignPost({ ...base, conditions: [['content-length-range', -1, 2]] })).rejects.toThrow('content-length-range needs two whole numbers')
    await expect(presignPost({ ...base, conditions: [['content-length-range', 1, '2'] as never] })).rejects.toThrow('content-length-range needs two whole numbers')
    await expect(presignPost({ ...base, conditions: [['eq', '$key'] as never] })).rejects.toThrow('eq needs a "$field" name')
    await expect(presignPost({ ...base, conditions: [['eq', 5, 'x'] as never] })).rejects.toThrow('eq needs a "$field" name')
    await expect(presignPost({ ...base, conditions: [['starts-with', '$', 'x']] })).rejects.toThrow('starts-with needs a "$field" name')
    await expect(presignPost({ ...base, conditions: [['starts-with', '$a b', 'x']] })).rejects.toThrow('starts-with needs a "$field" name')
    await expect(presignPost({ ...base, conditions: [{ 'a b': 'c' }] })).rejects.toThrow('an exact match is one { "field": "value" } pair')
    await expect(presignPost({ ...base, conditions: [{ a: 5 } as never] })).rejects.toThrow('an exact match is one { "field": "value" } pair')
    await expect(presignPost({ ...base, conditions: [null as never] })).rejects.toThrow('unknown kind of condition null')
  })

  it("a plain key is the form's key; signPolicy signs at the current time unless told", async () => {
    expect((await presignPost(base)).fields.key).toBe('a/b.jpg')
    const now = new Date()
    const p = Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[]}').toString('base64')
    expect(await signPolicy(p, { credentials, region: 'us-east-1' })).toBe(await signPolicy(p, { credentials, region: 'us-east-1', date: now }))
    expect(await signPolicy(p, { credentials, region: 'us-east-1', date: new Date(Date.UTC(2020, 0, 1)) })).not.toBe(await signPolicy(p, { credentials, region: 'us-east-1', date: now }))
    await expect(signPolicy(p, { credentials: { accessKeyId: 'A' } as never, region: 'us-east-1' })).rejects.toThrow('credentials.secretAccessKey')
  })

  it('the checker: size boundaries, exempt fields by whole name, comma lists only for a Content-Type prefix', () => {
    const now = new Date(Date.UTC(2026, 11, 6, 12))
    const p = { expiration: '2026-12-06T13:00:00Z', conditions: [['content-length-range', 10, 20]] as PostCondition[] }
    expect(checkPostPolicy(p, { fields: {}, fileSize: 10, now })).toEqual([])
    expect(checkPostPolicy(p, { fields: {}, fileSize: 20, now })).toEqual([])
    expect(checkPostPolicy(p, { fields: { 'x-ignore-this': '1', policy: 'p', file: 'f', 'x-amz-signature': 's' }, fileSize: 15, now })).toEqual([])
    expect(checkPostPolicy(p, { fields: { 'my-policy': '1', 'file-name': '2' }, fileSize: 15, now })).toEqual([
      'the field my-policy is in the form but no condition of the policy covers it',
      'the field file-name is in the form but no condition of the policy covers it',
    ])
    const types = { expiration: '2026-12-06T13:00:00Z', conditions: [['eq', '$Content-Type', 'image/png,image/gif'], ['starts-with', '$key', 'a,']] as PostCondition[] }
    expect(checkPostPolicy(types, { fields: { 'Content-Type': 'image/png,image/gif', key: 'a,b' }, now })).toEqual([])
    expect(checkPostPolicy(types, { fields: { 'Content-Type': 'image/png', key: 'b,a' }, now })).toEqual([
      'Content-Type must be "image/png,image/gif", got "image/png"',
      'key must start with "a,", got "b,a"',
    ])
    // a bucket field in the form is checked against the policy, not counted as uncovered
    const bucketOnly = { expiration: '2026-12-06T13:00:00Z', conditions: [{ bucket: 'b1' }] }
    expect(checkPostPolicy(bucketOnly, { fields: { bucket: 'b2' }, now })).toEqual(['bucket must be "b1", got "b2"'])
    expect(checkPostPolicy(bucketOnly, { fields: {}, now })).toEqual([])
    // the file name fills ${filename} only in a key the form gives
    expect(checkPostPolicy({ expiration: '2026-12-06T13:00:00Z', conditions: [] }, { fields: {}, fileName: 'x', now })).toEqual([])
    expect(checkPostPolicy({ expiration: '2026-12-06T13:00:00Z', conditions: [['eq', '$key', '${filename}']] }, { fields: { key: '${filename}' }, now })).toEqual([])
  })
})
