// The corpus's form: cases written by hand, in JSON, from the IAM User Guide's facts (each file
// names the pages it follows). A case holds policies by type and checks, each check a request
// and the decision the guide gives for it; a condition table is one row a check, against a
// policy built around the row's condition.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { callerOf } from '../../src/policy/simulate.js'
import { evaluate } from '../../src/policy/evaluate.js'
import { readPolicy } from '../../src/policy/read.js'
import type { ContextType, ContextValue, Decision, Outcome, ParsedPolicy, PolicySet } from '../../src/policy/types.js'

type Doc = Record<string, unknown>
/** a value, a list (a multivalued key), or an explicit type */
type ContextSpec = Record<string, string | string[] | { type: ContextType; values: string[] }>

export interface Check {
  action: string
  resource?: string
  context?: ContextSpec
  caller?: string
  expect: Decision
  /** the statements that decide, by Sid, when the case wants them checked */
  statements?: string[]
  note?: string
}

export interface Case {
  name: string
  identity?: Doc[]
  boundary?: Doc[]
  session?: Doc[]
  scps?: Doc[][]
  rcps?: Doc[][]
  resource?: Doc
  resourceRequired?: boolean
  caller?: string
  resourceAccount?: string
  context?: ContextSpec
  checks: Check[]
}

/** [operator, key, policy value(s), request context, the condition holds] */
export type ConditionRow = [string, string, string | number | boolean | Array<string | number | boolean>, ContextSpec, boolean, string?]

export interface CorpusFile {
  topic: string
  source: string
  version?: string
  cases?: Case[]
  conditions?: ConditionRow[]
}

export const CALLER = 'arn:aws:iam::111122223333:user/alice'

export function loadCorpus(dir: string): Array<{ file: string; corpus: CorpusFile }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, corpus: JSON.parse(readFileSync(join(dir, file), 'utf8')) as CorpusFile }))
}

export function contextFrom(...specs: Array<ContextSpec | undefined>): Map<string, ContextValue> {
  const context = new Map<string, ContextValue>()
  for (const spec of specs) {
    for (const [key, value] of Object.entries(spec ?? {})) {
      const entry: ContextValue = Array.isArray(value) ? { values: value, type: 'stringList' } : typeof value === 'string' ? { values: [value], type: 'string' } : value
      context.set(key.toLowerCase(), entry)
    }
  }
  return context
}

const read = (docs: Doc[] | undefined, prefix: string, role: 'identity' | 'resource' | 'organization' = 'identity'): ParsedPolicy[] | undefined =>
  docs?.map((d, i) => readPolicy(d, { id: `${prefix}.${i + 1}`, role }))

/** Runs one check of a case through the evaluator. */
export function runCheck(c: Case, check: Check): Outcome {
  const policies: PolicySet = { identity: read(c.identity, 'identity') ?? [] }
  const boundary = read(c.boundary, 'boundary')
  if (boundary) policies.boundary = boundary
  const session = read(c.session, 'session')
  if (session) policies.session = session
  if (c.scps) policies.scps = c.scps.map((level, l) => read(level, `scp.${l + 1}`, 'organization') as ParsedPolicy[])
  if (c.rcps) policies.rcps = c.rcps.map((level, l) => read(level, `rcp.${l + 1}`, 'organization') as ParsedPolicy[])
  if (c.resource) policies.resource = [readPolicy(c.resource, { id: 'resource', kind: 'resource', role: 'resource' })]
  const caller = callerOf(check.caller ?? c.caller ?? CALLER)
  const request = { action: check.action, resource: check.resource ?? '*', caller, context: contextFrom(c.context, check.context), ...(c.resourceAccount ? { resourceAccount: c.resourceAccount } : {}) }
  return evaluate(request, policies, { resourceRequired: c.resourceRequired === true })
}

/** The policy a condition row is tested with: one Allow statement carrying the row's condition. */
export function conditionCase(row: ConditionRow, version = '2012-10-17'): Case {
  const [operator, key, value, context, holds] = row
  return {
    name: `${operator} ${key} ${JSON.stringify(value)} with ${JSON.stringify(context)}`,
    identity: [{ Version: version, Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { [operator]: { [key]: value } } }] }],
    checks: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context, expect: holds ? 'allowed' : 'implicitDeny' }],
  }
}
