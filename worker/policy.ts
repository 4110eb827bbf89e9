import type { Operation } from '../src/index.js'
import { iamOperations } from '../src/iam/index.js'
import type { Caller } from './types.js'
import { Refusal } from './answers.js'
import { ACCESS_ADVISOR_ACTIONS } from './config.js'

/** STS actions the proxy answers itself, for the caller's own proxy identity. */
export const STS_ACTIONS: ReadonlySet<string> = new Set(['GetCallerIdentity', 'GetAccessKeyInfo'])

/**
 * The operation a caller may run: a read-only IAM action (Get*, List*, Simulate*; with
 * `accessAdvisor`, GenerateServiceLastAccessedDetails too), or one of the two STS identity
 * actions, narrowed to the caller's own list. Anything else is AccessDenied, decided here, before
 * any upstream call.
 */
export function authorize(caller: Caller, service: 'iam' | 'sts', action: string | undefined, accessAdvisor = false): Operation | undefined {
  if (action === undefined || action === '') throw new Refusal(400, 'MissingAction', 'the request names no Action')
  if (service === 'sts') {
    if (!STS_ACTIONS.has(action)) throw new Refusal(403, 'AccessDenied', `the proxy answers only ${[...STS_ACTIONS].join(' and ')} for sts, not ${action}`)
    if (caller.actions && !caller.actions.has(action)) throw new Refusal(403, 'AccessDenied', `caller ${caller.name} is not allowed ${action}`)
    return undefined
  }
  const op = Object.hasOwn(iamOperations, action) ? iamOperations[action] : undefined
  if (!op) throw new Refusal(400, 'InvalidAction', `${JSON.stringify(action.slice(0, 64))} is not an IAM action`)
  if (!op.readOnly && !(accessAdvisor && ACCESS_ADVISOR_ACTIONS.has(action))) {
    throw new Refusal(403, 'AccessDenied', `${action} is not read-only; this proxy lets through only Get*, List* and Simulate* actions${ACCESS_ADVISOR_ACTIONS.has(action) ? ' (GenerateServiceLastAccessedDetails too when its operator sets ACCESS_ADVISOR=on)' : ''}`)
  }
  if (caller.actions && !caller.actions.has(action)) throw new Refusal(403, 'AccessDenied', `caller ${caller.name} is not allowed ${action}`)
  return op
}

/**
 * Read-only IAM actions that answer for the signing identity when UserName is left out: through
 * the proxy that is the Worker's own upstream user (its access keys, MFA devices, certificates),
 * never the caller, whose identity is a proxy key. They need a UserName here;
 * ListServiceSpecificCredentials may instead ask for AllUsers=true.
 */
export const SELF_SCOPED_ACTIONS: ReadonlySet<string> = new Set([
  'GetLoginProfile',
  'GetUser',
  'ListAccessKeys',
  'ListMFADevices',
  'ListSSHPublicKeys',
  'ListServiceSpecificCredentials',
  'ListSigningCertificates',
])

/** Refuses a self-scoped action that names no user (see SELF_SCOPED_ACTIONS), before any upstream call. */
export function requireNamedUser(action: string, params: ReadonlyArray<readonly [string, string]>): void {
  if (!SELF_SCOPED_ACTIONS.has(action)) return
  if (params.some(([k, v]) => (k === 'UserName' && v !== '') || (k === 'AllUsers' && v === 'true'))) return
  throw new Refusal(400, 'ValidationError', `${action} needs a UserName through this proxy: without one IAM answers for the proxy's own AWS identity, not for the caller`)
}
