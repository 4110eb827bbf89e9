import { EMPTY_SHA256, UNSIGNED_PAYLOAD } from './constants.js'
import { type Subtle, sha256Hex } from './crypto.js'

export type Body = string | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | null | undefined

/** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. A stream cannot be hashed without reading it. */
export async function payloadHash(subtle: Subtle, body: Body, unsigned: boolean): Promise<string> {
  if (unsigned) return UNSIGNED_PAYLOAD
  if (body === null || body === undefined || body === '') return EMPTY_SHA256
  if (typeof body === 'string') return sha256Hex(subtle, body)
  if (body instanceof ArrayBuffer) return sha256Hex(subtle, body)
  if (ArrayBuffer.isView(body)) {
    return sha256Hex(subtle, new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
  }
  const kind = isStream(body) ? 'a ReadableStream' : describe(body)
  throw new TypeError(
    `SigV4: cannot hash ${kind} body; pass a string, ArrayBuffer or typed array, or set unsignedPayload: true`,
  )
}

function isStream(value: unknown): boolean {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream
}

function describe(value: unknown): string {
  if (typeof value !== 'object') return `a ${typeof value}`
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name
  return typeof name === 'string' ? `a ${name}` : 'an object'
}
