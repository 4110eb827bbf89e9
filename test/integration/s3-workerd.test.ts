// A Worker in real workerd (Miniflare) that forwards each incoming request, headers and all,
// through AwsClient to moto's S3 with its signature checks on: the headers a request picks up at
// Cloudflare's edge (cf-*, x-forwarded-*, cdn-loop, …) go unsigned, so S3 accepts it; a chunked
// stream, a DeleteObjects with its default checksum, and a failing stream go through workerd too.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AwsClient } from '../../src/fetch/index.js'
import { type MotoAccount, motoRequirement, startMoto } from '../support/moto.js'

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
const moto = motoRequirement()
if (!moto.available && moto.mustFail) throw new Error(moto.message)

// the Worker: /<bucket>/<key> forwarded to S3 (here moto) as it came in; ?stream=1 streams it
// aws-chunked (the length from Content-Length), ?fail=1 sends a stream that fails midway
const WORKER = `
import { AwsClient } from './src/fetch/index.ts'
export default {
  async fetch(request, env) {
    let authorization = ''
    const send = (input, init) => {
      const req = new Request(input, init)
      authorization = req.headers.get('authorization') ?? ''
      return fetch(req)
    }
    const client = new AwsClient({ accessKeyId: env.KEY_ID, secretAccessKey: env.SECRET, service: 's3', region: 'us-east-1', retries: 0, fetch: send })
    const url = new URL(request.url)
    const target = env.S3 + url.pathname + url.search.replace(/[?&](stream|fail)=1/g, '')
    if (url.searchParams.has('fail')) {
      let n = 0
      const body = new ReadableStream({ pull(c) { if (++n > 4) c.error(new Error('source failed')); else c.enqueue(new Uint8Array(20000)) } })
      try {
        const res = await client.fetch(target, { method: 'PUT', body, headers: { 'content-length': '200000' }, aws: { streaming: 'signed' } })
        return new Response('sent: ' + res.status + ' ' + (await res.text()), { status: 500 })
      } catch (error) {
        return new Response('aborted: ' + error.message, { status: 502 })
      }
    }
    const forwarded = new Request(target, request)
    const res = url.searchParams.has('stream')
      ? await client.fetch(forwarded, { aws: { streaming: 'unsigned-trailer', checksum: 'crc32' } })
      : await client.fetch(forwarded)
    return new Response(res.body, { status: res.status, headers: { 'x-signed-headers': /SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? '' } })
  },
}
`

describe.runIf(moto.available)('AwsClient in workerd, forwarding to moto S3 (signatures checked)', () => {
  let env: MotoAccount
  let mf: Miniflare
  let s3: AwsClient
  beforeAll(async () => {
    env = await startMoto()
    s3 = new AwsClient({ ...env.account.credentials, service: 's3', region: 'us-east-1', retries: 0 })
    expect((await s3.fetch(`${env.moto.endpoint}/edge`, { method: 'PUT' })).status).toBe(200)
    const bundle = await build({ stdin: { contents: WORKER, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' })
    mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]?.text as string,
      compatibilityDate: '2026-04-01',
      bindings: { KEY_ID: env.account.credentials.accessKeyId, SECRET: env.account.credentials.secretAccessKey, S3: env.moto.endpoint },
    })
    await mf.ready
  }, 60_000)
  afterAll(async () => {
    await mf?.dispose()
    await env?.moto.stop()
  })

  // what Cloudflare's edge adds to (or rewrites in) a request before a Worker sees it
  const EDGE = {
    'cf-connecting-ip': '203.0.113.9',
    'cf-ipcountry': 'NL',
    'cf-ray': '8c0a1b2c3d4e5f60-AMS',
    'cf-visitor': '{"scheme":"https"}',
    'cf-ew-via': '15',
    'cdn-loop': 'cloudflare; loops=1',
    'true-client-ip': '203.0.113.9',
    'x-forwarded-for': '203.0.113.9, 198.51.100.1',
    'x-forwarded-proto': 'https',
    'x-real-ip': '203.0.113.9',
    'accept-encoding': 'gzip, br',
  }

  it('a PUT forwarded with the edge headers is accepted, and so is the GET that reads it back', async () => {
    const put = await mf.dispatchFetch('http://worker.example/edge/from-the-edge.txt', { method: 'PUT', body: 'forwarded through workerd', headers: { ...EDGE, 'content-type': 'text/plain' } })
    expect([put.status, await put.text()]).toEqual([200, ''])
    // signed: what the caller sent (the test client adds accept, accept-language, sec-fetch-mode), none of the edge's
    const signed = (put.headers.get('x-signed-headers') ?? '').split(';')
    expect(signed).toEqual(expect.arrayContaining(['host', 'x-amz-content-sha256', 'x-amz-date']))
    for (const name of Object.keys(EDGE)) expect(signed).not.toContain(name)
    const get = await mf.dispatchFetch('http://worker.example/edge/from-the-edge.txt', { headers: EDGE })
    expect([get.status, await get.text()]).toEqual([200, 'forwarded through workerd'])
  })

  it('a body streamed aws-chunked from workerd arrives whole', async () => {
    const body = 'x'.repeat(150_000)
    const put = await mf.dispatchFetch('http://worker.example/edge/streamed.txt?stream=1', { method: 'PUT', body, headers: { ...EDGE, 'content-length': String(body.length) } })
    expect([put.status, await put.text()]).toEqual([200, ''])
    expect(await (await s3.fetch(`${env.moto.endpoint}/edge/streamed.txt`)).text()).toBe(body)
  })

  it('a DeleteObjects forwarded from workerd gets its checksum and is accepted', async () => {
    const res = await mf.dispatchFetch('http://worker.example/edge?delete', { method: 'POST', body: '<Delete><Object><Key>from-the-edge.txt</Key></Object></Delete>', headers: EDGE })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<Deleted><Key>from-the-edge.txt</Key>')
    expect(res.headers.get('x-signed-headers')).toContain('x-amz-checksum-crc32')
  })

  it('a stream that fails midway in workerd aborts the upload: no object', async () => {
    const res = await mf.dispatchFetch('http://worker.example/edge/broken.bin?fail=1')
    const text = await res.text()
    expect(res.status).toBe(502)
    expect(text).toContain('source failed')
    expect((await s3.fetch(`${env.moto.endpoint}/edge/broken.bin`)).status).toBe(404)
  })
})
