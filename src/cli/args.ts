import { resolveShape, type Shape, type StructureShape } from '../query/shapes.js'
import { kebab, suggest } from './names.js'

/** A command-line mistake: printed with usage, exit status 252 (as the AWS CLI does). */
export class UsageError extends Error {
  override name = 'UsageError' as const
}

export interface GlobalFlags {
  /** a profile of ~/.aws/config and ~/.aws/credentials (also: AWS_PROFILE) */
  profile?: string
  endpointUrl?: string
  region?: string
  output: 'json' | 'table' | 'text'
  maxItems?: number
  pageSize?: number
  startingToken?: string
  paginate: boolean
  help: boolean
  /** a JMESPath expression applied to the whole (merged) output, as the AWS CLI applies --query */
  query?: string
}

const GLOBAL_VALUE_FLAGS = ['--profile', '--endpoint-url', '--region', '--output', '--max-items', '--page-size', '--starting-token', '--query'] as const
const GLOBAL_SWITCHES = ['--no-paginate', '--help', '-h'] as const
export const GLOBAL_FLAGS: readonly string[] = [...GLOBAL_VALUE_FLAGS, ...GLOBAL_SWITCHES]

export { resolveShape }

/** Splits global flags from the rest; the rest are the operation's own. */
export function takeGlobalFlags(argv: readonly string[]): { flags: GlobalFlags; rest: string[] } {
  const flags: GlobalFlags = { output: 'json', paginate: true, help: false }
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const [name, inline] = splitInline(arg)
    if ((GLOBAL_VALUE_FLAGS as readonly string[]).includes(name)) {
      const value = inline ?? argv[++i]
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${name} expects a value`)
      setGlobal(flags, name, value)
    } else if (name === '--no-paginate') flags.paginate = false
    else if (name === '--help' || name === '-h') flags.help = true
    else rest.push(arg)
  }
  return { flags, rest }
}

function setGlobal(flags: GlobalFlags, name: string, value: string): void {
  switch (name) {
    case '--profile':
      flags.profile = value
      break
    case '--endpoint-url':
      flags.endpointUrl = value
      break
    case '--region':
      flags.region = value
      break
    case '--query':
      flags.query = value
      break
    case '--output':
      if (value !== 'json' && value !== 'table' && value !== 'text') throw new UsageError(`--output must be json, text or table, not ${JSON.stringify(value)}`)
      flags.output = value
      break
    case '--max-items':
      flags.maxItems = positiveInteger(name, value)
      break
    case '--page-size':
      flags.pageSize = positiveInteger(name, value)
      break
    case '--starting-token':
      flags.startingToken = value
      break
  }
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, not ${JSON.stringify(value)}`)
  return n
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=')
  return arg.startsWith('--') && eq > 2 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined]
}

/** Flag name → member name, for an operation's input structure. */
export function flagTable(input: StructureShape): Map<string, string> {
  const table = new Map<string, string>()
  for (const member of Object.keys(input.members)) table.set(`--${kebab(member)}`, member)
  return table
}

/**
 * Parses an operation's flags into its input. Scalars take one value; booleans are switches
 * (`--flag` / `--no-flag`); lists of scalars take the values that follow; structures, maps and
 * lists of structures take JSON, or `Key=Value,…` shorthand for flat structures.
 */
export function parseOperationFlags(input: StructureShape, argv: readonly string[], command: string): Record<string, unknown> {
  const table = flagTable(input)
  const out: Record<string, unknown> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`)
    const [name, inline] = splitInline(arg)
    let member = table.get(name)
    let negated = false
    if (member === undefined && name.startsWith('--no-')) {
      member = table.get(`--${name.slice(5)}`)
      negated = member !== undefined
    }
    if (member === undefined) {
      const near = suggest(name, [...table.keys(), ...GLOBAL_FLAGS])
      throw new UsageError(`unknown option ${name} for ${command}${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`)
    }
    const shape = resolveShape(input.members[member] as Shape | (() => Shape))
    if (shape.kind === 'boolean') {
      out[member] = inline === undefined ? !negated : parseBoolean(name, inline)
      continue
    }
    const values: string[] = []
    if (inline !== undefined) values.push(inline)
    while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) values.push(argv[++i] as string)
    if (values.length === 0) throw new UsageError(`${name} expects a value`)
    out[member] = convert(name, shape, values)
  }
  const missing = (input.required ?? []).filter((m) => out[m] === undefined).map((m) => `--${kebab(m)}`)
  if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.join(', ')}`)
  return out
}

function convert(flag: string, shape: Shape, values: string[]): unknown {
  if (shape.kind === 'list') {
    const member = resolveShape(shape.member)
    if (values.length === 1 && (values[0] as string).trimStart().startsWith('[')) return parseJson(flag, values[0] as string)
    return values.map((v) => (member.kind === 'structure' ? shorthandOrJson(flag, v) : scalar(flag, member, v)))
  }
  if (values.length > 1) throw new UsageError(`${flag} takes one value, got ${values.length}`)
  const value = values[0] as string
  if (shape.kind === 'structure') return shorthandOrJson(flag, value)
  if (shape.kind === 'map') return parseJson(flag, value)
  return scalar(flag, shape, value)
}

function scalar(flag: string, shape: Shape, value: string): unknown {
  switch (shape.kind) {
    case 'integer':
    case 'long': {
      const n = Number(value)
      if (!Number.isInteger(n)) throw new UsageError(`${flag} expects a whole number, not ${JSON.stringify(value)}`)
      return n
    }
    case 'float':
    case 'double': {
      const n = Number(value)
      if (Number.isNaN(n)) throw new UsageError(`${flag} expects a number, not ${JSON.stringify(value)}`)
      return n
    }
    case 'boolean':
      return parseBoolean(flag, value)
    case 'timestamp': {
      const d = new Date(value)
      if (Number.isNaN(d.getTime())) throw new UsageError(`${flag} expects a date (ISO 8601), not ${JSON.stringify(value)}`)
      return d
    }
    case 'structure':
    case 'map':
    case 'list':
      return parseJson(flag, value)
    default:
      return value
  }
}

function parseBoolean(flag: string, value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true'
  throw new UsageError(`${flag} expects true or false, not ${JSON.stringify(value)}`)
}

function shorthandOrJson(flag: string, value: string): unknown {
  if (value.trimStart().startsWith('{')) return parseJson(flag, value)
  const out: Record<string, string> = {}
  for (const part of value.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 1) throw new UsageError(`${flag}: expected JSON or Key=Value,… shorthand, got ${JSON.stringify(value)}`)
    out[part.slice(0, eq)] = part.slice(eq + 1)
  }
  return out
}

function parseJson(flag: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown
  } catch (cause) {
    throw new UsageError(`${flag}: invalid JSON (${cause instanceof Error ? cause.message : String(cause)})`)
  }
}
