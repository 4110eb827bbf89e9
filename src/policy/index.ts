// iam-edge/policy: IAM policy evaluation, pure and synchronous — IAM's simulator offline
// (SimulateCustomPolicy, SimulatePrincipalPolicy), who-can, and every path to admin, over an
// account read from GetAccountAuthorizationDetails. It imports only the types of iam-edge/iam:
// no fetch, no Node. The action data (every service's actions, access levels, resource types and
// condition keys) is loaded on demand with loadActionData().
export { readPolicy, PolicyError, LIMITS, parseOperator, type ReadOptions, type PolicyRole } from './read.js'
export { evaluate, principalMatches, type EvaluateOptions } from './evaluate.js'
export { simulateCustomPolicy, contextOf, callerOf, SimulationInputError, type SimulationExtensions } from './simulate.js'
export { readAccount, identityPolicies, boundaryPolicy, AccountError, type Account, type AccountPrincipal, type AccountGroup, type ManagedPolicy } from './account.js'
export { simulatePrincipalPolicy, callerFor, principalContext, policySetFor } from './principals.js'
export { whoCan, type WhoCanEntry, type WhoCanResult } from './who-can.js'
export {
  escalations,
  ADMIN_PROBES,
  type EscalationOptions,
  type EscalationResult,
  type EscalationEntry,
  type EscalationPath,
  type EscalationHop,
  type EscalationPermission,
} from './escalation.js'
export { METHODS, methodLink, type EscalationMethod, type MethodKind } from './escalation-methods.js'
export type {
  Decision,
  Effect,
  Evidence,
  Outcome,
  Layer,
  ParsedPolicy,
  ParsedStatement,
  PolicySet,
  PolicyKind,
  Request,
  RequestContext,
  Caller,
  ContextValue,
  ContextType,
  TextPosition,
} from './types.js'
export { loadActionData, ActionData, ACTION_DATA_DATE, ACTION_DATA_SOURCE, type ActionInfo, type AccessLevel } from './actions.js'
