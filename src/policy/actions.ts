// Action data: every service's actions, their access levels, the resource types they apply to
// (with ARN formats) and the condition keys they take, from AWS's Service Authorization
// Reference (generated into ./generated/action-data.ts by scripts/policy-data.mjs). About 200 KB
// gzip, so it is loaded on demand with a dynamic import: bundlers split it into a chunk of its own
// that nothing else pulls in, and an evaluator that never asks never loads it.
import { compileGlob, globMatch } from './match.js'
import { ACTION_DATA_DATE, ACTION_DATA_SOURCE } from './generated/action-data-date.js'
import type { ParsedPolicy } from './types.js'

export { ACTION_DATA_DATE, ACTION_DATA_SOURCE }

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging'

interface RawService {
  n: string
  /** [name, access level bits, resource types (index, −index−1 when required, or another service's name), condition keys (index or name)] */
  a: Array<[string, number, Array<number | string>, Array<number | string>]>
  r: Array<[string, string]>
  k: Array<[string, string]>
}

interface RawData {
  v: number
  source: string
  date: string
  levels: AccessLevel[]
  services: Record<string, RawService>
}

export interface ActionInfo {
  /** `service:Action`, as AWS spells it */
  action: string
  service: string
  serviceName: string
  accessLevels: AccessLevel[]
  resourceTypes: Array<{ name: string; arn: string | undefined; required: boolean }>
  conditionKeys: string[]
}

/** The action data, read and indexed. */
export class ActionData {
  readonly date: string
  readonly source: string
  readonly #raw: RawData
  /** lower-cased `service:action` → [service prefix, index in its list] */
  readonly #index = new Map<string, [string, number]>()
  /** lower-cased condition keys of each service, and the global ones */
  readonly #keys = new Map<string, Set<string>>()
  readonly #byLevel = new Map<AccessLevel, Set<string>>()

  constructor(raw: RawData) {
    this.#raw = raw
    this.date = raw.date
    this.source = raw.source
    for (const [prefix, service] of Object.entries(raw.services)) {
      service.a.forEach(([name], i) => this.#index.set(`${prefix}:${name}`.toLowerCase(), [prefix, i]))
      this.#keys.set(prefix, new Set(service.k.map(([k]) => k.toLowerCase())))
    }
  }

  get serviceCount(): number {
    return Object.keys(this.#raw.services).length
  }

  get actionCount(): number {
    return this.#index.size
  }

  /** An action's facts, or undefined when AWS lists no such action. Names ignore case. */
  action(name: string): ActionInfo | undefined {
    const found = this.#index.get(name.toLowerCase())
    if (!found) return undefined
    const [prefix, i] = found
    const service = this.#raw.services[prefix] as RawService
    const [action, levels, types, keys] = service.a[i] as RawService['a'][number]
    return {
      action: `${prefix}:${action}`,
      service: prefix,
      serviceName: service.n,
      accessLevels: this.#raw.levels.filter((_, bit) => (levels & (1 << bit)) !== 0),
      resourceTypes: types.map((t) => {
        if (typeof t === 'string') return { name: t, arn: undefined, required: false }
        const index = t < 0 ? -t - 1 : t
        const [name, arn] = service.r[index] as [string, string]
        return { name, arn, required: t < 0 }
      }),
      conditionKeys: keys.map((k) => (typeof k === 'string' ? k : (service.k[k] as [string, string])[0])),
    }
  }

  /** Every action a pattern names (`s3:Get*`, `*:Describe*`, `*`), in AWS's spelling; matching ignores case. */
  expand(pattern: string): string[] {
    const lower = pattern.toLowerCase()
    const glob = compileGlob([{ text: lower, raw: true }])
    const colon = lower.indexOf(':')
    // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: a fast path; reading every service finds the same actions
    const service = colon < 0 ? undefined : lower.slice(0, colon)
    const out: string[] = []
    for (const [prefix, raw] of Object.entries(this.#raw.services)) {
      // a service prefix without wildcards: only that service is read
      // Stryker disable next-line ConditionalExpression: a fast path; reading every service finds the same actions
      if (service !== undefined && !/[*?]/.test(service) && service !== prefix) continue
      for (const [name] of raw.a) if (globMatch(glob, `${prefix}:${name}`.toLowerCase())) out.push(`${prefix}:${name}`)
    }
    return out
  }

  /** Every action with the access level (`Write`, `Permissions management`, …), in AWS's spelling; remembered per level. */
  withAccessLevel(level: AccessLevel): ReadonlySet<string> {
    let found = this.#byLevel.get(level)
    // Stryker disable next-line ConditionalExpression: a memo; computing again gives the same answer
    if (!found) {
      const bit = this.#raw.levels.indexOf(level)
      found = new Set()
      // Stryker disable next-line ConditionalExpression: no action holds the bit -1 stands for
      if (bit >= 0) for (const [prefix, service] of Object.entries(this.#raw.services)) for (const [name, levels] of service.a) if ((levels & (1 << bit)) !== 0) found.add(`${prefix}:${name}`)
      this.#byLevel.set(level, found)
    }
    return found
  }

  /** The service's name and its actions, by prefix. */
  service(prefix: string): { name: string; actions: string[] } | undefined {
    const raw = this.#raw.services[prefix.toLowerCase()]
    return raw ? { name: raw.n, actions: raw.a.map(([name]) => `${prefix.toLowerCase()}:${name}`) } : undefined
  }

  /** Whether a condition key is one the service lists (global `aws:` keys and tag keys of any service count as known). */
  knowsConditionKey(key: string): boolean {
    const lower = key.toLowerCase()
    const colon = lower.indexOf(':')
    // Stryker disable next-line EqualityOperator: a colon first leaves an empty prefix, which no service has
    if (colon < 0) return false
    const prefix = lower.slice(0, colon)
    if (prefix === 'aws') return true
    const keys = this.#keys.get(prefix)
    if (!keys) return false
    if (keys.has(lower)) return true
    // keys with a variable part (`s3:ExistingObjectTag/<key>`, `aws:RequestTag/${TagKey}`) match by their fixed start
    for (const k of keys) {
      // Stryker disable next-line EqualityOperator,ArithmeticOperator: no key starts with its variable part, and none has both forms
      const open = [k.indexOf('${'), k.indexOf('<')].filter((i) => i > 0).sort((a, b) => a - b)[0]
      if (open !== undefined && lower.startsWith(k.slice(0, open))) return true
    }
    return false
  }

  /**
   * What is wrong with a policy but not refused by IAM: an action no service lists, a pattern that
   * names none, a condition key the statement's services do not know.
   */
  lint(policy: ParsedPolicy): string[] {
    const out: string[] = []
    for (const s of policy.statements) {
      const where = `${policy.id}, statement ${s.index + 1}${s.sid ? ` (${JSON.stringify(s.sid)})` : ''}`
      const services = new Set<string>()
      for (const p of s.action.patterns) {
        const text = p.text
        // Stryker disable next-line ConditionalExpression,StringLiteral: '*' expands to every action, which is no lint either
        if (text === '*') continue
        // Stryker disable next-line StringLiteral: split gives at least one part
        const [prefix = ''] = text.split(':')
        if (!/[*?]/.test(prefix) && this.#raw.services[prefix]) services.add(prefix)
        // Stryker disable next-line Regex: expanding an exact name finds it exactly when the index has it
        if (/[*?]/.test(text) ? this.expand(text).length === 0 : !this.#index.has(text)) out.push(`${where}: ${JSON.stringify(text)} names no action AWS lists${this.#raw.services[prefix] ? '' : ` (no service ${JSON.stringify(prefix)})`}`)
      }
      for (const c of s.conditions) {
        const prefix = c.lookup.includes(':') ? (c.lookup.split(':')[0] as string) : ''
        if (!this.knowsConditionKey(c.key)) out.push(`${where}: condition key ${JSON.stringify(c.key)} is not one ${prefix === '' ? 'AWS lists (a key is service:name)' : `the ${prefix} service lists`}`)
        else if (prefix !== 'aws' && services.size > 0 && !services.has(prefix)) out.push(`${where}: condition key ${JSON.stringify(c.key)} belongs to ${prefix}, but the statement names actions of ${[...services].join(', ')}`)
      }
    }
    return out
  }
}

let loading: Promise<ActionData> | undefined

/** The action data, loaded once on first call (a dynamic import of about 200 KB gzip). */
export function loadActionData(): Promise<ActionData> {
  loading ??= import('./generated/action-data.js').then((m) => new ActionData(JSON.parse(m.default) as RawData))
  return loading
}
