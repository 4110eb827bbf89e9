import { toHex, utf8 } from './encoding.js'

/** The WebCrypto calls the signer makes; injectable for tests and exotic runtimes. */
export type Subtle = Pick<SubtleCrypto, 'digest' | 'importKey' | 'sign'>

export function defaultSubtle(): Subtle {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) {
    throw new TypeError(
      'SigV4: WebCrypto (globalThis.crypto.subtle) is unavailable; browsers expose it only in secure contexts (https or localhost)',
    )
  }
  return subtle
}

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const

export async function sha256Hex(subtle: Subtle, data: string | Uint8Array | ArrayBuffer): Promise<string> {
  const bytes = typeof data === 'string' ? utf8(data) : data
  return toHex(await subtle.digest('SHA-256', bytes as BufferSource))
}

export function importHmacKey(subtle: Subtle, raw: Uint8Array | ArrayBuffer): Promise<CryptoKey> {
  return subtle.importKey('raw', raw as BufferSource, HMAC_SHA256, false, ['sign'])
}

export async function hmac(subtle: Subtle, key: CryptoKey, data: string): Promise<ArrayBuffer> {
  return subtle.sign('HMAC', key, utf8(data) as BufferSource)
}
