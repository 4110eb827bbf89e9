// Names and fixed strings of Signature Version 4.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

export const ALGORITHM = 'AWS4-HMAC-SHA256'
export const SCOPE_TERMINATOR = 'aws4_request'
export const KEY_PREFIX = 'AWS4'
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
/** SHA-256 of the empty string: the payload hash of every body-less request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** Header names, lowercase as they appear in canonical requests. */
export const HOST = 'host'
export const AUTHORIZATION = 'authorization'
export const AMZ_DATE = 'x-amz-date'
export const AMZ_SECURITY_TOKEN = 'x-amz-security-token'
export const AMZ_CONTENT_SHA256 = 'x-amz-content-sha256'

/** Query parameter names of presigned URLs. */
export const Q_ALGORITHM = 'X-Amz-Algorithm'
export const Q_CREDENTIAL = 'X-Amz-Credential'
export const Q_DATE = 'X-Amz-Date'
export const Q_SIGNED_HEADERS = 'X-Amz-SignedHeaders'
export const Q_EXPIRES = 'X-Amz-Expires'
export const Q_SECURITY_TOKEN = 'X-Amz-Security-Token'
export const Q_SIGNATURE = 'X-Amz-Signature'

/** Presigned URLs live at most seven days. */
export const MAX_EXPIRES_SECONDS = 604_800

/**
 * Headers never signed: hop-by-hop headers that proxies drop or rewrite, headers that runtimes set
 * themselves (workerd replaces Accept-Encoding, browsers own User-Agent), and the signature itself.
 * A signature over any of these could not be verified at the other end.
 */
export const UNSIGNED_HEADERS: ReadonlySet<string> = new Set([
  AUTHORIZATION,
  'accept-encoding',
  'connection',
  'expect',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
])
