// A signature is only valid within 15 minutes of the server's clock; a client with a wrong clock
// learns the offset from the answer's Date header and signs with corrected time.

const SKEW_CODES: ReadonlySet<string> = new Set([
  'RequestTimeTooSkewed',
  'RequestExpired',
  'RequestInTheFuture',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
])

/** Below this gap a signature failure is a real signature failure, not a clock problem. */
export const SKEW_THRESHOLD_MS = 5 * 60 * 1000

export function isClockSkewCode(code: string): boolean {
  return SKEW_CODES.has(code)
}

/**
 * The offset (server − local, in ms) to sign with from now on, or undefined when the answer's
 * Date is missing or agrees with the corrected clock to within SKEW_THRESHOLD_MS.
 */
export function learnClockOffset(dateHeader: string | null, localNow: number, currentOffset: number): number | undefined {
  if (dateHeader === null) return undefined
  const server = Date.parse(dateHeader)
  if (Number.isNaN(server)) return undefined
  if (Math.abs(server - (localNow + currentOffset)) <= SKEW_THRESHOLD_MS) return undefined
  return server - localNow
}
