// iam-edge/s3 against botocore: presigned POST (generate_presigned_post) and the aws-chunked body
// botocore sends for a stream of unknown length (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { type PostCondition, presignPost, signChunked, signPolicy } from '../../src/s3/index.js'
import { parseAmzDate } from '../../src/sigv4/index.js'

const amzDate = '20261206T120000Z'
const date = parseAmzDate(amzDate) as Date

function botocore<T>(job: object): T | undefined {
  const py = spawnSync('python3', ['test/support/botocore-s3-upload.py'], { input: JSON.stringify({ amzDate, ...job }), encoding: 'utf8', maxBuffer: 64 << 20 })
  if (py.status !== 0) {
    const missing = py.error !== undefined || /No module named 'botocore'/.test(py.stderr)
    if (process.env.CI || !missing) throw new Error(`botocore run failed: ${py.error ?? py.stderr}`)
    console.warn(`skipping: python3 with botocore not found (${py.stderr.slice(0, 200)})`)
    return undefined
  }
  return JSON.parse(py.stdout) as T
}

const policyOf = (base64: string) => JSON.parse(Buffer.from(base64, 'base64').toString('utf8'))

describe('presigned POST against botocore generate_presigned_post', () => {
  const cases: { name: string; session?: string; key: string; fields: Record<string, string>; conditions: PostCondition[] }[] = [
    { name: 'a fixed key', key: 'reports/q3.csv', fields: {}, conditions: [] },
    { name: 'a ${filename} prefix, ACL and a size range', key: 'uploads/${filename}', fields: { acl: 'private' }, conditions: [{ acl: 'private' }, ['content-length-range', 1, 1048576]] },
    {
      name: 'a session token, metadata, type prefix and status',
      session: 'FwoGZXIvYXdzEJr//////////wEaDE+token/with+plus==',
      key: 'in/ünï cödé.txt',
      fields: { 'x-amz-meta-owner': 'team a', success_action_status: '201' },
      conditions: [{ 'x-amz-meta-owner': 'team a' }, { success_action_status: '201' }, ['starts-with', '$Content-Type', 'image/']],
    },
  ]
  for (const c of cases) {
    it(`${c.name}: the same fields, the same policy, and for botocore's policy text the same signature`, async () => {
      const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', ...(c.session ? { sessionToken: c.session } : {}) }
      const theirs = botocore<{ url: string; fields: Record<string, string> }>({
        kind: 'post',
        ...credentials,
        region: 'eu-west-1',
        bucket: 'example-bucket',
        key: c.key,
        fields: c.fields,
        conditions: c.conditions,
        expiresIn: 900,
      })
      if (!theirs) return
      // the fields botocore gives, by hand: the key as given, the given fields by hand
      const ours = await presignPost({
        credentials,
        region: 'eu-west-1',
        bucket: 'example-bucket',
        key: c.key,
        expiresIn: 900,
        date,
        fields: c.fields,
        conditions: c.conditions.filter((x) => Array.isArray(x)),
      })
      expect(Object.keys(ours.fields).sort()).toEqual(Object.keys(theirs.fields).sort())
      for (const name of Object.keys(theirs.fields)) if (name !== 'policy' && name !== 'x-amz-signature') expect([name, ours.fields[name]]).toEqual([name, theirs.fields[name]])
      // the same policy, condition for condition (botocore's JSON has spaces, ours has none)
      const theirPolicy = policyOf(theirs.fields.policy as string)
      expect(ours.policy.expiration).toBe(theirPolicy.expiration)
      expect(new Set(ours.policy.conditions.map((x) => JSON.stringify(x)))).toEqual(new Set(theirPolicy.conditions.map((x: unknown) => JSON.stringify(x))))
      expect(policyOf(ours.fields.policy as string)).toEqual(ours.policy)
      // over botocore's policy text, our signature is botocore's
      expect(await signPolicy(theirs.fields.policy as string, { credentials, region: 'eu-west-1', date })).toBe(theirs.fields['x-amz-signature'])
      expect(ours.url).toBe('https://example-bucket.s3.eu-west-1.amazonaws.com/')
    })
  }
})

describe('aws-chunked with an unsigned checksum trailer against botocore', () => {
  for (const [algorithm, size] of [
    ['CRC32', 0],
    ['CRC32', 11],
    ['SHA256', 1048576],
    ['CRC32', 2.5 * 1048576 + 3],
  ] as const) {
    it(`${algorithm}, ${size} bytes: the same headers, Authorization and body bytes`, async () => {
      const data = new Uint8Array(size)
      for (let i = 0; i < size; i++) data[i] = (i * 7919) & 255
      const theirs = botocore<{ headers: Record<string, string>; body: string }>({ kind: 'chunked', algorithm, data: Buffer.from(data).toString('base64') })
      if (!theirs) return
      const ours = await signChunked(
        { method: 'PUT', url: 'https://s3.amazonaws.com/examplebucket/streamed.bin', headers: { 'x-amz-sdk-checksum-algorithm': algorithm }, body: new Blob([data]).stream() },
        { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, region: 'us-east-1', service: 's3', date, mode: 'unsigned-trailer', checksum: algorithm, chunkSize: 1048576 },
      )
      for (const name of ['content-encoding', 'x-amz-trailer', 'x-amz-content-sha256', 'x-amz-sdk-checksum-algorithm', 'x-amz-date', 'authorization']) {
        expect([name, ours.headers.get(name)]).toEqual([name, theirs.headers[name]])
      }
      const body = Buffer.from(await new Response(ours.body).arrayBuffer())
      expect(body.toString('latin1')).toBe(Buffer.from(theirs.body, 'base64').toString('latin1'))
    })
  }
})
