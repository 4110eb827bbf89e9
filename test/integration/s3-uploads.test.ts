// S3 uploads against moto's S3 with its signature checks on: chunked streams in each mode through
// AwsClient (the object equal, the checksum stored), a stream that fails midway (no object),
// DeleteObjects with its default checksum, Cloudflare's edge headers left unsigned, and a
// presigned POST posted by a real HTML form in Chromium.
import { existsSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setNoAuthActionCount } from '../../scripts/moto/start.mjs'
import { AwsClient } from '../../src/fetch/index.js'
import { checkPostPolicy, checksum, presignPost } from '../../src/s3/index.js'
import { CHROMIUM, CHROMIUM_ARGS } from '../runtimes/harness.js'
import { type MotoAccount, motoRequirement, startMoto } from '../support/moto.js'

const moto = motoRequirement()
if (!moto.available && moto.mustFail) throw new Error(moto.message)

/** `size` bytes of a fixed pattern, handed out in pieces of `piece` bytes. */
function patterned(size: number, piece = 5000): { bytes: Uint8Array; stream: () => ReadableStream<Uint8Array> } {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 255
  const stream = () => {
    let at = 0
    return new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= size) return c.close()
        c.enqueue(bytes.slice(at, (at += piece)))
      },
    })
  }
  return { bytes, stream }
}

describe.runIf(moto.available)('S3 uploads against moto (signatures checked)', () => {
  let env: MotoAccount
  let s3: AwsClient
  let endpoint: string
  const sent: Request[] = []
  beforeAll(async () => {
    env = await startMoto()
    endpoint = env.moto.endpoint
    s3 = new AwsClient({
      ...env.account.credentials,
      service: 's3',
      region: 'us-east-1',
      retries: 0,
      fetch: (input, init) => {
        const req = new Request(input, init)
        sent.push(req.clone())
        return fetch(req)
      },
    })
    expect((await s3.fetch(`${endpoint}/uploads`, { method: 'PUT' })).status).toBe(200)
  })
  afterAll(async () => {
    await env?.moto.stop()
  })

  const modes = [
    { streaming: 'signed', checksum: undefined, known: true },
    { streaming: 'signed-trailer', checksum: 'crc32c', known: true },
    { streaming: 'unsigned-trailer', checksum: 'crc32', known: true },
    { streaming: 'unsigned-trailer', checksum: 'sha256', known: false },
    { streaming: 'signed-trailer', checksum: 'crc64nvme', known: true },
  ] as const
  for (const m of modes) {
    it(`${m.streaming}${m.checksum ? ` with ${m.checksum}` : ''}, length ${m.known ? 'given' : 'unknown'}: the object arrives equal${m.checksum ? ' with its checksum' : ''}`, async () => {
      const { bytes, stream } = patterned(200_000 + 17)
      const key = `uploads/${m.streaming}-${m.checksum ?? 'none'}.bin`
      const headers: Record<string, string> = m.known ? { 'content-length': String(bytes.length) } : {}
      const put = await s3.fetch(`${endpoint}/${key}`, { method: 'PUT', body: stream(), headers, aws: { streaming: m.streaming, checksum: m.checksum, chunkSize: 65536 } })
      expect([put.status, await put.text()]).toEqual([200, ''])
      const request = sent.at(-1) as Request
      expect(request.headers.get('content-encoding')).toBe('aws-chunked')
      if (m.known) expect(request.headers.get('x-amz-decoded-content-length')).toBe(String(bytes.length))
      const got = await s3.fetch(`${endpoint}/${key}`, { headers: { 'x-amz-checksum-mode': 'ENABLED' } })
      expect(got.status).toBe(200)
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
      if (m.checksum) expect(got.headers.get(`x-amz-checksum-${m.checksum}`)).toBe(await checksum(m.checksum, bytes))
    })
  }

  it('a stream that fails midway aborts the upload: no object is left', async () => {
    let sentBytes = 0
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sentBytes >= 150_000) return c.error(new Error('disk read failed'))
        sentBytes += 10_000
        c.enqueue(new Uint8Array(10_000).fill(7))
      },
    })
    await expect(s3.fetch(`${endpoint}/uploads/broken.bin`, { method: 'PUT', body: failing, headers: { 'content-length': '400000' }, aws: { streaming: 'signed' } })).rejects.toThrow()
    expect((await s3.fetch(`${endpoint}/uploads/broken.bin`)).status).toBe(404)
  })

  it('a stream shorter than its Content-Length is refused before its final chunk: no object is left', async () => {
    const { stream } = patterned(100_000)
    await expect(s3.fetch(`${endpoint}/uploads/short.bin`, { method: 'PUT', body: stream(), headers: { 'content-length': '100001' }, aws: { streaming: 'unsigned-trailer', checksum: 'crc32' } })).rejects.toThrow()
    expect((await s3.fetch(`${endpoint}/uploads/short.bin`)).status).toBe(404)
  })

  it('DeleteObjects carries a CRC32 of its body unasked, and succeeds', async () => {
    for (const key of ['a.txt', 'b.txt']) expect((await s3.fetch(`${endpoint}/uploads/${key}`, { method: 'PUT', body: key })).status).toBe(200)
    const body = '<Delete><Object><Key>a.txt</Key></Object><Object><Key>b.txt</Key></Object><Quiet>false</Quiet></Delete>'
    const res = await s3.fetch(`${endpoint}/uploads?delete`, { method: 'POST', body })
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).toContain('<Deleted><Key>a.txt</Key>')
    expect(text).toContain('<Deleted><Key>b.txt</Key>')
    const request = sent.at(-1) as Request
    const expected = Buffer.alloc(4)
    expected.writeUInt32BE(crc32(body))
    expect(request.headers.get('x-amz-checksum-crc32')).toBe(expected.toString('base64'))
    expect(request.headers.get('x-amz-sdk-checksum-algorithm')).toBe('CRC32')
    expect(request.headers.get('authorization')).toContain('x-amz-checksum-crc32')
    expect((await s3.fetch(`${endpoint}/uploads/a.txt`)).status).toBe(404)
  })

  it('a request forwarded with the headers Cloudflare adds is accepted (they go unsigned)', async () => {
    const incoming = new Request(`${endpoint}/uploads/forwarded.txt`, {
      method: 'PUT',
      body: 'from the edge',
      headers: {
        'cf-connecting-ip': '203.0.113.9',
        'cf-ipcountry': 'NL',
        'cf-ray': '8c0a1b2c3d4e5f60-AMS',
        'cf-visitor': '{"scheme":"https"}',
        'cdn-loop': 'cloudflare',
        'true-client-ip': '203.0.113.9',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-real-ip': '203.0.113.9',
        'accept-encoding': 'gzip, br',
        'content-type': 'text/plain',
      },
    })
    const res = await s3.fetch(incoming)
    expect([res.status, await res.text()]).toEqual([200, ''])
    const signedHeaders = /SignedHeaders=([^,]+)/.exec((sent.at(-1) as Request).headers.get('authorization') ?? '')?.[1]
    expect(signedHeaders).toBe('host;x-amz-content-sha256;x-amz-date')
    expect(await (await s3.fetch(`${endpoint}/uploads/forwarded.txt`)).text()).toBe('from the edge')
  })

  describe.runIf(existsSync(CHROMIUM))('a presigned POST in Chromium', () => {
    let browser: Browser
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    })
    afterAll(async () => {
      await browser?.close()
    })

    async function postForm(post: { url: string; fields: Record<string, string> }, file: { name: string; mimeType: string; buffer: Buffer }): Promise<number> {
      const page = await browser.newPage()
      try {
        // a form built from the fields as any page would: the file field last
        await page.setContent('<!doctype html><title>upload</title><form method="post" enctype="multipart/form-data"></form>')
        await page.evaluate((p) => {
          const form = document.querySelector('form') as HTMLFormElement
          form.action = p.url
          for (const [name, value] of Object.entries(p.fields)) {
            const input = document.createElement('input')
            input.type = 'hidden'
            input.name = name
            input.value = value
            form.append(input)
          }
          const file = document.createElement('input')
          file.type = 'file'
          file.name = 'file'
          form.append(file)
          const submit = document.createElement('button')
          submit.textContent = 'Upload'
          form.append(submit)
        }, post)
        await page.setInputFiles('input[type=file]', file)
        const [response] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(post.url)), page.click('button')])
        return response.status()
      } finally {
        await page.close()
      }
    }

    it('a real form uploads a file under the policy, and the object arrives intact', async () => {
      // moto 5.2.1 neither checks a POST's policy nor its signature, and with its access checks on
      // it refuses a form without an Authorization header: the form posts with the checks off
      const { bytes } = patterned(70_000)
      const post = await presignPost({
        credentials: env.account.credentials,
        region: 'us-east-1',
        bucket: 'uploads',
        url: `${endpoint}/uploads`,
        key: 'forms/${filename}',
        contentLengthRange: [1, 100_000],
        contentType: { startsWith: 'application/' },
        meta: { owner: 'team-a' },
        successActionStatus: 201,
        expiresIn: 300,
      })
      const fields = { ...post.fields, 'Content-Type': 'application/octet-stream' }
      expect(checkPostPolicy(post.fields.policy as string, { fields, bucket: 'uploads', fileSize: bytes.length, fileName: 'report.bin' })).toEqual([])
      await setNoAuthActionCount(endpoint, 1_000_000)
      try {
        expect(await postForm({ url: post.url, fields }, { name: 'report.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })).toBe(201)
      } finally {
        await setNoAuthActionCount(endpoint, 0)
      }
      const got = await s3.fetch(`${endpoint}/uploads/forms/report.bin`)
      expect(got.status).toBe(200)
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
    })

    it('a file over the policy\'s size: moto takes it (it checks no policy), the policy checker refuses it', async () => {
      const post = await presignPost({ credentials: env.account.credentials, region: 'us-east-1', bucket: 'uploads', url: `${endpoint}/uploads`, key: 'forms/small.bin', contentLengthRange: [1, 1000], expiresIn: 300 })
      const big = Buffer.alloc(5000, 1)
      expect(checkPostPolicy(post.policy, { fields: post.fields, bucket: 'uploads', fileSize: big.length })).toEqual(['the file\'s 5000 bytes are outside content-length-range 1..1000'])
      await setNoAuthActionCount(endpoint, 1_000_000)
      try {
        expect(await postForm(post, { name: 'small.bin', mimeType: 'application/octet-stream', buffer: big })).toBe(204)
      } finally {
        await setNoAuthActionCount(endpoint, 0)
      }
    })
  })
})
