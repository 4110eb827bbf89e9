// What every view reads: the account as loaded, the evaluator's reading of it, the findings, and
// the action data once it has loaded. Its own module, so the views and the security views share
// it without importing each other.
import type { ActionData } from '../src/policy/index.js'
import type { Analysis } from './analysis.js'
import { attachments, boundaries, type Finding, riskOf, type Severity } from './findings.js'
import type { Account } from './model.js'

export interface Data {
  account: Account
  missing: Map<string, string>
  findings: Finding[]
  /** policy ARN → principals attached */
  attached: Map<string, string[]>
  /** policy ARN → the users and roles it bounds */
  bounds: Map<string, string[]>
  /** the evaluator's reading of the account: admins, paths to admin */
  analysis: Analysis
  /** principal ARN → its most severe finding */
  risk: Map<string, Severity>
  /** when IAM gave these answers */
  asOf: Date
  /** the proxy's page cap cut the account short */
  truncated: boolean
  /** the action data, once loaded (after the first view) */
  actions?: ActionData
}

export function prepare(loaded: { account: Account; missing: Map<string, string>; asOf: Date; truncated: boolean }, analysis: Analysis, findings: Finding[]): Data {
  return { ...loaded, findings, analysis, attached: attachments(loaded.account), bounds: boundaries(loaded.account), risk: riskOf(findings) }
}

