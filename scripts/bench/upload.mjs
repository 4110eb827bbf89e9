#!/usr/bin/env node
// npm run bench:upload — S3 uploads: a 1 GiB generated stream sent aws-chunked through AwsClient
// in each streaming mode to a local sink (a child process that reads and counts), with the
// memory it held; and CRC32, CRC32C, CRC64NVME and SHA-256 checksum speed. Figures only.
//
// "Chunks held" is counted, not sampled from the heap (whose figures count garbage not yet
// collected and undici's buffers): the payload pulled from the source less the body read, at every
// read of a 1 GiB chunked body by a reader that takes a tick per piece.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { Crc64Nvme } from '@aws-sdk/crc64-nvme'
import { AwsClient } from '../../dist/fetch/index.js'
import { createChecksum, signChunked } from '../../dist/s3/index.js'
import { table } from './harness.mjs'

const TOTAL = Number(process.env.UPLOAD_BYTES ?? 2 ** 30)
const CHUNK = 65536
const PIECE = 16384

// the sink: counts the bytes of each request's body and answers with the count
const sink = spawn(process.execPath, ['-e', `
  require('node:http').createServer((req, res) => {
    let n = 0
    req.on('data', (d) => { n += d.length })
    req.on('end', () => res.writeHead(200, { connection: 'close' }).end(String(n)))
    req.on('error', () => {})
  }).setTimeout(0).listen(0, '127.0.0.1', function () { this.requestTimeout = 0; console.log(this.address().port) })
`], { stdio: ['ignore', 'pipe', 'inherit'] })
const [portLine] = await once(sink.stdout, 'data')
const port = Number(String(portLine).trim())

const client = new AwsClient({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', service: 's3', region: 'us-east-1', retries: 0 })

/** A generated stream of `total` bytes in fresh pieces, made only as it is read. */
let pulled = 0
function generated(total) {
  let sent = 0
  return new ReadableStream({
    pull(c) {
      if (sent >= total) return c.close()
      const n = Math.min(PIECE, total - sent)
      const piece = new Uint8Array(n)
      piece[0] = sent & 255
      sent += n
      pulled += n
      c.enqueue(piece)
    },
  }, { highWaterMark: 0 })
}

const rows = []
async function upload(mode, checksum) {
  const res = await client.fetch(`http://127.0.0.1:${port}/bench/upload.bin`, { method: 'PUT', body: generated(TOTAL), headers: { 'content-length': String(TOTAL) }, aws: { streaming: mode, checksum, chunkSize: CHUNK } })
  return Number(await res.text())
}
for (const [mode, checksum] of [['signed'], ['signed-trailer', 'crc32'], ['unsigned-trailer', 'crc32c']]) {
  let peakRss = 0
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 20)
  const start = performance.now()
  const received = await upload(mode, checksum)
  const seconds = (performance.now() - start) / 1000
  clearInterval(timer)
  rows.push({
    mode: `${mode}${checksum ? ` + ${checksum}` : ''}`,
    'payload MiB': (TOTAL / 2 ** 20).toFixed(0),
    'sent MiB': (received / 2 ** 20).toFixed(1),
    'MB/s': (TOTAL / 1e6 / seconds).toFixed(0),
    'peak RSS MiB (garbage included)': (peakRss / 2 ** 20).toFixed(0),
  })
}
sink.kill()

// chunks held, counted: the payload pulled from the source less the body read so far, at every
// read of the body, by a reader that takes each piece a tick after it arrives (1 GiB, no network)
const held = []
for (const [mode, checksum] of [['signed'], ['signed-trailer', 'crc32'], ['unsigned-trailer', 'crc32c']]) {
  pulled = 0
  const signed = await signChunked({ method: 'PUT', url: 'https://bucket.s3.us-east-1.amazonaws.com/k', body: generated(TOTAL) }, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, region: 'us-east-1', service: 's3', mode, checksum, chunkSize: CHUNK, length: TOTAL })
  const reader = signed.body.getReader()
  let read = 0
  let most = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    most = Math.max(most, pulled - read)
    read += value.length
    await new Promise((r) => setImmediate(r))
  }
  held.push({ mode: `${mode}${checksum ? ` + ${checksum}` : ''}`, 'body MiB': (read / 2 ** 20).toFixed(1), 'most payload held': `${(most / 2 ** 10).toFixed(0)} KiB`, 'in 64 KiB chunks': (most / CHUNK).toFixed(2) })
}

console.log(`Node ${process.version}: a ${(TOTAL / 2 ** 30).toFixed(2)} GiB generated stream through AwsClient, 64 KiB chunks, to a local sink\n`)
console.log(table(rows, Object.keys(rows[0])))
console.log(`\nChunks held at once (pulled from the source, not yet read from the body), ${(TOTAL / 2 ** 30).toFixed(2)} GiB read in process (goal: at most 2)\n`)
console.log(table(held, Object.keys(held[0])))

// checksum speed over 64 MiB in 1 MiB pieces
const data = new Uint8Array(64 * 2 ** 20).map((_, i) => (i * 2654435761) >>> 24)
const speed = []
for (const algorithm of ['crc32', 'crc32c', 'crc64nvme', 'sha256']) {
  const sum = createChecksum(algorithm)
  for (let i = 0; i < 4 * 2 ** 20; i += 2 ** 20) sum.update(data.subarray(i, i + 2 ** 20))
  const runs = []
  for (let r = 0; r < 5; r++) {
    const s = createChecksum(algorithm)
    const t = performance.now()
    for (let i = 0; i < data.length; i += 2 ** 20) s.update(data.subarray(i, i + 2 ** 20))
    s.digest()
    runs.push(data.length / 1e6 / ((performance.now() - t) / 1000))
  }
  runs.sort((a, b) => a - b)
  speed.push({ checksum: `iam-edge ${algorithm}`, 'MB/s (median of 5)': runs[2].toFixed(0) })
}
{
  const runs = []
  for (let r = 0; r < 5; r++) {
    const t = performance.now()
    zlibCrc32(data)
    runs.push(data.length / 1e6 / ((performance.now() - t) / 1000))
  }
  runs.sort((a, b) => a - b)
  speed.push({ checksum: 'node:zlib crc32 (native reference)', 'MB/s (median of 5)': runs[2].toFixed(0) })
}
{
  // the AWS SDK's own JavaScript CRC-64/NVME, fed the same pieces
  const runs = []
  for (let r = 0; r < 5; r++) {
    const s = new Crc64Nvme()
    const t = performance.now()
    for (let i = 0; i < data.length; i += 2 ** 20) s.update(data.subarray(i, i + 2 ** 20))
    await s.digest()
    runs.push(data.length / 1e6 / ((performance.now() - t) / 1000))
  }
  runs.sort((a, b) => a - b)
  speed.push({ checksum: '@aws-sdk/crc64-nvme 3.972.0 (reference)', 'MB/s (median of 5)': runs[2].toFixed(0) })
}
console.log(`\nChecksums, 64 MiB in 1 MiB pieces (goal: CRC32 ≥ 500 MB/s)\n`)
console.log(table(speed, Object.keys(speed[0])))
