import type { SigningKeyCache, Subtle } from './crypto.js'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** Called before each request; providers cache, so this is cheap after the first call. */
export type CredentialProvider = () => Promise<Credentials>

export interface SignableRequest {
  method: string
  /** a string is taken as written: its path is not normalized by a URL parser */
  url: string | URL
  /** duplicate names allowed as [name, value][] */
  headers?: HeadersInit
  /** a stream is sent as is and never hashed: sign it with `unsignedPayload` or your own x-amz-content-sha256 */
  body?: string | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | null
}

export interface SignOptions {
  credentials: Credentials
  region: string
  service: string
  /** signing time; default now */
  date?: Date
  /** RFC 3986 remove_dot_segments and collapse `//` (default true; S3 wants false) */
  normalizePath?: boolean
  /**
   * read the path as S3 does and encode it once, not twice (default false; every other service
   * signs the encoded path encoded again): `%XX` escapes as written are their bytes, `+` is a
   * space and `%2F` a slash, then each byte but the unreserved ones and `/` is percent-encoded
   */
  singleEncode?: boolean
  /** add and sign x-amz-content-sha256 (default false); a caller's own x-amz-content-sha256 is always signed as given */
  signBody?: boolean
  /** sign `UNSIGNED-PAYLOAD` instead of the body's hash */
  unsignedPayload?: boolean
  /** sign without the session token, then add it (some services want it outside the signature) */
  omitSessionToken?: boolean
  /**
   * presign only: seconds the URL stays valid, 1..604800 (default 3600); `null` leaves
   * X-Amz-Expires out, as aws4fetch does for services other than S3 (services then take the URL
   * for their 15-minute skew window around its date)
   */
  expiresIn?: number | null
  /**
   * derived-key cache (default: one shared, bounded cache for the free functions; `false` derives
   * the key on every call, five HMACs). A custom `subtle` gets no shared cache.
   */
  keyCache?: SigningKeyCache | false
  /**
   * WebCrypto to use; default globalThis.crypto.subtle, whose input the signer encodes into a
   * buffer it reuses (WebCrypto copies its input before returning). A custom `subtle` is handed
   * fresh bytes it may keep.
   */
  subtle?: Subtle
}

export interface SignedRequest {
  method: string
  url: string
  headers: Headers
  /** the body as given, ready for fetch (a view over shared memory is copied) */
  body: BodyInit | null
  canonicalRequest: string
  stringToSign: string
  signature: string
}

export interface PresignedRequest {
  url: string
  canonicalRequest: string
  stringToSign: string
  signature: string
}
