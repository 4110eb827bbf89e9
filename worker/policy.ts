import type { Operation } from '../src/index.js'
import { iamOperations } from '../src/iam/index.js'
import type { Caller } from './auth.js'
import { Refusal } from './answers.js'

/** STS actions the proxy answers itself, for the caller's own proxy identity. */
export const STS_ACTIONS: ReadonlySet<string> = new Set(['GetCallerIdentity', 'GetAccessKeyInfo'])

/**
 * The operation a caller may run: a read-only IAM action (Get*, List*, Simulate*), or one of the
 * two STS identity actions, narrowed to the caller's own list. Anything else is AccessDenied,
 * decided here, before any upstream call.
 */
export function authorize(caller: Caller, service: 'iam' | 'sts', action: string | undefined): Operation | undefined {
  if (action === undefined || action === '') throw new Refusal(400, 'MissingAction', 'the request names no Action')
  if (service === 'sts') {
    if (!STS_ACTIONS.has(action)) throw new Refusal(403, 'AccessDenied', `the proxy answers only ${[...STS_ACTIONS].join(' and ')} for sts, not ${action}`)
    return undefined
  }
  const op = Object.hasOwn(iamOperations, action) ? iamOperations[action] : undefined
  if (!op) throw new Refusal(400, 'InvalidAction', `${JSON.stringify(action.slice(0, 64))} is not an IAM action`)
  if (!op.readOnly) throw new Refusal(403, 'AccessDenied', `${action} is not read-only; this proxy lets through only Get*, List* and Simulate* actions`)
  if (caller.actions && !caller.actions.has(action)) throw new Refusal(403, 'AccessDenied', `caller ${caller.name} is not allowed ${action}`)
  return op
}
