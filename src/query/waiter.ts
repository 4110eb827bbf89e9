import type { WithMetadata } from './client.js'
import { isAwsQueryError, HttpResponseError, WaiterFailureError, WaiterTimeoutError } from './errors.js'
import type { OperationSender } from './paginate.js'
import { abortableSleep } from './retry.js'
import type { Acceptor, AcceptorState, Waiter } from './shapes.js'

export interface WaitOptions {
  /** give up after this long (default: the model's delay × maxAttempts) */
  maxWaitSeconds?: number
  signal?: AbortSignal
  /** seconds between attempts, overriding the model's (tests) */
  delay?: number
  /** injectable for tests */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
}

type Outcome = { ok: true; status: number; output: object } | { ok: false; status: number | undefined; error: unknown }

/**
 * Polls the waiter's operation until an acceptor says success (returns that output), failure
 * (WaiterFailureError), or attempts/time run out (WaiterTimeoutError). Acceptors are tried in the
 * model's order; an error no acceptor matches is thrown as is.
 */
export async function waitFor<I extends object, O extends object>(
  client: OperationSender,
  waiter: Waiter<I, O>,
  input: I,
  options: WaitOptions = {},
): Promise<WithMetadata<O>> {
  const delaySeconds = options.delay ?? waiter.delay
  if (!(delaySeconds >= 0) || !Number.isFinite(delaySeconds)) throw new RangeError(`delay: must be a non-negative number of seconds, got ${String(delaySeconds)}`)
  const maxWaitMs = (options.maxWaitSeconds ?? waiter.delay * waiter.maxAttempts) * 1000
  if (!(maxWaitMs > 0)) throw new RangeError(`maxWaitSeconds: must be positive, got ${String(options.maxWaitSeconds)}`)
  const sleep = options.sleep ?? abortableSleep
  const now = options.now ?? Date.now
  const { signal } = options
  const started = now()

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted()
    const outcome: Outcome = await client.send(waiter.operation, input, signal === undefined ? {} : { signal }).then(
      (output): Outcome => ({ ok: true, status: output.$metadata.httpStatusCode, output }),
      (error: unknown): Outcome => {
        // the caller's own abort ends the wait at once
        if (signal?.aborted) throw error
        return { ok: false, status: errorStatus(error), error }
      },
    )
    const state = matchAcceptors(waiter.acceptors, outcome)
    if (state === 'success') {
      if (outcome.ok) return outcome.output as WithMetadata<O>
      // an error matched a success acceptor (e.g. "deleted" waiters): there is no output to return
      throw new WaiterFailureError(waiter.name, attempt, 'succeeded on an error, which has no output', { cause: outcome.error })
    }
    if (state === 'failure') {
      const reason = outcome.ok ? 'the response matched a failure acceptor' : errorText(outcome.error)
      throw new WaiterFailureError(waiter.name, attempt, reason, outcome.ok ? undefined : { cause: outcome.error })
    }
    if (state === undefined && !outcome.ok) throw outcome.error
    const elapsed = now() - started
    const delayMs = delaySeconds * 1000
    if (attempt >= waiter.maxAttempts || elapsed + delayMs > maxWaitMs) {
      throw new WaiterTimeoutError(waiter.name, attempt, elapsed, outcome.ok ? undefined : { cause: outcome.error })
    }
    await sleep(delayMs, signal)
  }
}

/** Status matchers see the HTTP status of failed calls too (InstanceProfileExists retries on 404). */
function errorStatus(error: unknown): number | undefined {
  if (isAwsQueryError(error) || error instanceof HttpResponseError) return error.status
  return undefined
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function matchAcceptors(acceptors: readonly Acceptor[], outcome: Outcome): AcceptorState | undefined {
  for (const acceptor of acceptors) {
    if (matches(acceptor, outcome)) return acceptor.state
  }
  return undefined
}

function matches(acceptor: Acceptor, outcome: Outcome): boolean {
  switch (acceptor.matcher) {
    case 'status':
      return outcome.status === acceptor.expected
    case 'error':
      return !outcome.ok && isAwsQueryError(outcome.error) && outcome.error.code === acceptor.expected
    case 'path':
    case 'pathAll':
    case 'pathAny': {
      if (!outcome.ok) return false
      const value = searchPath(outcome.output, acceptor.argument)
      if (acceptor.matcher === 'path') return value === acceptor.expected
      if (!Array.isArray(value) || value.length === 0) return false
      return acceptor.matcher === 'pathAll' ? value.every((v) => v === acceptor.expected) : value.some((v) => v === acceptor.expected)
    }
  }
}

/**
 * The JMESPath subset waiter models use: dotted members with `[]` list projection, e.g.
 * `Roles[].RoleName`. Anything else is refused rather than evaluated wrongly.
 */
export function searchPath(value: unknown, expression: string): unknown {
  if (!/^[A-Za-z_][\w]*(\[\])?(\.[A-Za-z_][\w]*(\[\])?)*$/.test(expression)) {
    throw new TypeError(`waiter path ${JSON.stringify(expression)} uses JMESPath beyond members and [] projections`)
  }
  let current: unknown = value
  let projected = false
  for (const segment of expression.split('.')) {
    const flatten = segment.endsWith('[]')
    const name = flatten ? segment.slice(0, -2) : segment
    const pick = (v: unknown): unknown => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[name] : undefined)
    if (projected && Array.isArray(current)) {
      current = current.map(pick).filter((v) => v !== undefined)
      if (flatten) current = (current as unknown[]).flatMap((v) => (Array.isArray(v) ? v : [v]))
    } else {
      current = pick(current)
      if (flatten) {
        if (!Array.isArray(current)) return undefined
        projected = true
      }
    }
  }
  return current
}
