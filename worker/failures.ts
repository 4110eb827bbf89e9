// Upstream failures remembered per key for a few seconds, so an SDK's retries share the failure
// their first attempt met instead of each calling IAM again (a retry storm: one boto3 call made 5
// upstream calls, one SDK v3 call 3). The window follows the clients' own backoff:
//   - botocore (boto3, the AWS CLI), legacy mode: 4 retries after 0–1, 0–2, 0–4 and 0–8 s;
//   - botocore standard mode: 2 retries after 0–1 and 0–2 s;
//   - SDK v3: 2 retries, each after at least the answer's Retry-After (1 s here).
// A failure is shared for 2 s; each request that shares it widens the window to 4, 8, then 16 s
// past that request, never beyond 20 s after the failure. So every gap of those sequences falls
// inside the window and the sequence makes one upstream call, while a key that keeps being asked
// for is tried upstream again at least every 20 s. A success for the key, or a caller's
// Cache-Control: no-cache, ends it.
import { heldBytes, type UpstreamAnswer, upstreamFailed } from './upstream.js'

/** How long a failure is shared before anyone shares it. */
export const FIRST_WINDOW_MS = 2000
/** No failure is shared longer than this after upstream answered it. */
export const MAX_WINDOW_MS = 20_000
/** What the proxy's answers to an upstream failure say in Retry-After. */
export const FAILURE_RETRY_AFTER_SECONDS = 1
/**
 * A failure body longer than this is remembered empty: only IAM's error envelope (well under
 * 1 KiB) is ever passed on, and an answer without one is answered as ServiceFailure either way.
 */
const MAX_BODY_CHARS = 16 * 1024
/** What an entry costs beyond its key and body (the map slot, the entry and answer objects). */
const ENTRY_OVERHEAD = 160

interface Remembered {
  answer: UpstreamAnswer
  failedAt: number
  until: number
  shares: number
  bytes: number
}

/** A bounded map of recent upstream failures by cache key: by count and by bytes, key and body included. */
export class FailureMemory {
  maxEntries = 256
  maxBytes = 1024 * 1024
  readonly entries = new Map<string, Remembered>()
  bytes = 0

  /** The failure `key` met, when it is still shared at `now`; sharing it widens the window. */
  share(key: string, now: number): UpstreamAnswer | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (now >= e.until) {
      this.forget(key)
      return undefined
    }
    e.shares++
    e.until = Math.min(e.failedAt + MAX_WINDOW_MS, Math.max(e.until, now + FIRST_WINDOW_MS * 2 ** Math.min(e.shares, 3)))
    return e.answer
  }

  /** Upstream failed for `key` at `now`: its next callers share this answer (a new failure starts a new window). */
  remember(key: string, answer: UpstreamAnswer, now: number): void {
    this.forget(key)
    const kept = answer.body.length > MAX_BODY_CHARS ? { ...answer, body: '' } : answer
    const bytes = heldBytes(key) + heldBytes(kept.body) + (kept.requestId?.length ?? 0) + (kept.failed ? heldBytes(kept.failed.detail) : 0) + ENTRY_OVERHEAD
    this.entries.set(key, { answer: kept, failedAt: now, until: now + FIRST_WINDOW_MS, shares: 0, bytes })
    this.bytes += bytes
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.forget(oldest)
    }
  }

  forget(key: string): void {
    const e = this.entries.get(key)
    if (!e) return
    this.entries.delete(key)
    this.bytes -= e.bytes
  }
}

/** Retry-After for an answer: the gate's wait for a refusal, 1 s for any other upstream failure, none for the rest. */
export function retryAfter(answer: UpstreamAnswer): Record<string, string> {
  if (answer.failed?.retryAfter !== undefined) return { 'retry-after': String(answer.failed.retryAfter) }
  return upstreamFailed(answer) ? { 'retry-after': String(FAILURE_RETRY_AFTER_SECONDS) } : {}
}
