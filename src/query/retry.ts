export const DEFAULT_RETRIES = 3
export const BACKOFF_BASE_MS = 100
export const BACKOFF_CAP_MS = 20_000

// Codes AWS answers when a token bucket is empty. IAM sends Throttling with HTTP 400, so the
// code decides, not the status.
const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
])

// Transient server-side codes some services send with a 4xx or without a 5xx status.
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'IDPCommunicationError',
])

/** A code AWS answers when its token bucket for the caller is empty. */
export function isThrottlingCode(code: string | undefined): boolean {
  return code !== undefined && THROTTLING_CODES.has(code)
}

/** A service answer worth sending again: throttled, transient, 429 or any 5xx. */
export function isRetryableResponse(status: number, code: string | undefined): boolean {
  if (status === 429 || status >= 500) return true
  return code !== undefined && (THROTTLING_CODES.has(code) || TRANSIENT_CODES.has(code))
}

/**
 * Full-jitter exponential backoff: a uniform draw from [0, min(cap, base·2^retry)).
 * `retry` counts from 0 for the first retry.
 */
export function backoffDelay(retry: number, random: () => number = Math.random, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(retry, 30))
  return Math.floor(random() * ceiling)
}

/** setTimeout as a promise that the signal cancels with its reason. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
