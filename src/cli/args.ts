import { resolveShape, type Shape, type StructureShape } from '../query/shapes.js'
import { kebab, suggest } from './names.js'
import { type ParamFileReader, parseShorthand, ShorthandError, type ShorthandValue, typeShorthand } from './shorthand.js'

/** A command-line mistake: printed with usage, exit status 252 (as the AWS CLI does). */
export class UsageError extends Error {
  override name = 'UsageError' as const
}

export interface GlobalFlags {
  /** a profile of ~/.aws/config and ~/.aws/credentials (also: AWS_PROFILE) */
  profile?: string
  endpointUrl?: string
  region?: string
  output: 'json' | 'table' | 'text' | 'yaml'
  maxItems?: number
  pageSize?: number
  startingToken?: string
  paginate: boolean
  help: boolean
  /** a JMESPath expression applied to the whole (merged) output, as the AWS CLI applies --query */
  query?: string
  /** seconds; 0 = no limit (AWS CLI defaults: 60 each) */
  readTimeout?: number
  connectTimeout?: number
  /** requests, answers and the credential source on stderr, secrets masked */
  debug?: boolean
  /** print the version and stop */
  version?: boolean
}

const GLOBAL_VALUE_FLAGS = [
  '--profile', '--endpoint-url', '--region', '--output', '--max-items', '--page-size', '--starting-token', '--query',
  '--cli-read-timeout', '--cli-connect-timeout', '--color',
] as const
// --no-cli-pager: iam-edge never pages; --no-verify-ssl is not offered (fetch verifies always)
const GLOBAL_SWITCHES = ['--no-paginate', '--help', '-h', '--debug', '--no-cli-pager', '--version'] as const
export const GLOBAL_FLAGS: readonly string[] = [...GLOBAL_VALUE_FLAGS, ...GLOBAL_SWITCHES]

export { resolveShape }

/** Splits global flags from the rest; the rest are the operation's own. */
export function takeGlobalFlags(argv: readonly string[]): { flags: GlobalFlags; rest: string[] } {
  const flags: GlobalFlags = { output: 'json', paginate: true, help: false, debug: false }
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
    else if (name === '--debug') flags.debug = true
    else if (name === '--version') flags.version = true
    else if (name !== '--no-cli-pager') rest.push(arg)
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
      flags.output = choice(name, value, ['json', 'text', 'table', 'yaml'])
      break
    case '--cli-read-timeout':
      flags.readTimeout = seconds(name, value)
      break
    case '--cli-connect-timeout':
      flags.connectTimeout = seconds(name, value)
      break
    case '--color':
      // output is never coloured; the choice is still checked, as the AWS CLI checks it
      choice(name, value, ['on', 'off', 'auto'])
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

function choice<T extends string>(name: string, value: string, options: readonly T[]): T {
  if (!(options as readonly string[]).includes(value)) {
    throw new UsageError(`${name} must be ${options.slice(0, -1).join(', ')} or ${options.at(-1)}, not ${JSON.stringify(value)}`)
  }
  return value as T
}

function seconds(name: string, value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of seconds (0 for no limit), not ${JSON.stringify(value)}`)
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

/** What an operation's own flags ask for. */
export interface OperationArgs {
  input: Record<string, unknown>
  /** --generate-cli-skeleton: print the input skeleton instead of calling */
  skeleton?: true
}

/**
 * Parses an operation's flags into its input, as the AWS CLI does: a `file://` or `fileb://`
 * value is the file's content; scalars take one value; booleans are switches (`--flag` /
 * `--no-flag`); lists of scalars take the values that follow; structures, maps and lists of them
 * take JSON or shorthand (`Key=a,Value=b`); `--cli-input-json` supplies what the flags leave out.
 */
export function parseOperationFlags(input: StructureShape, argv: readonly string[], command: string, readParamFile?: ParamFileReader): OperationArgs {
  const table = flagTable(input)
  const out: Record<string, unknown> = {}
  let inputJson: string | undefined
  let skeleton = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`)
    const [name, inline] = splitInline(arg)
    if (name === '--generate-cli-skeleton') {
      const next = inline ?? (argv[i + 1] === 'input' || argv[i + 1] === 'output' ? argv[++i] : 'input')
      if (next === 'output') throw new UsageError('--generate-cli-skeleton output is not offered; --generate-cli-skeleton (input) is')
      if (next !== 'input') throw new UsageError(`--generate-cli-skeleton takes input or output, not ${JSON.stringify(next)}`)
      skeleton = true
      continue
    }
    let member = table.get(name)
    let negated = false
    if (member === undefined && name.startsWith('--no-')) {
      member = table.get(`--${name.slice(5)}`)
      negated = member !== undefined
    }
    if (member === undefined && name !== '--cli-input-json') {
      const near = suggest(name, [...table.keys(), ...GLOBAL_FLAGS, '--cli-input-json', '--generate-cli-skeleton'])
      throw new UsageError(`unknown option ${name} for ${command}${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`)
    }
    const shape = member === undefined ? undefined : resolveShape(input.members[member] as Shape | (() => Shape))
    if (shape?.kind === 'boolean') {
      out[member as string] = inline === undefined ? !negated : parseBoolean(name, inline)
      continue
    }
    const values: string[] = []
    if (inline !== undefined) values.push(inline)
    while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) values.push(argv[++i] as string)
    if (values.length === 0) throw new UsageError(`${name} expects a value`)
    if (member === undefined || shape === undefined) {
      if (values.length > 1) throw new UsageError(`--cli-input-json takes one value, got ${values.length}`)
      inputJson = textOf(readParamFile?.(values[0] as string) ?? (values[0] as string))
      continue
    }
    try {
      out[member] = convert(name, shape, values, readParamFile)
    } catch (error) {
      if (error instanceof ShorthandError) throw new UsageError(`${name}: ${error.message}`)
      throw error
    }
  }
  if (inputJson !== undefined) {
    const extra = parseJson('--cli-input-json', inputJson)
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) throw new UsageError('--cli-input-json: expected a JSON object')
    // the flags win; keys only the JSON names follow them, as the AWS CLI merges them
    for (const [key, value] of Object.entries(extra)) if (!Object.hasOwn(out, key)) out[key] = value
  }
  if (!skeleton) {
    const missing = (input.required ?? []).filter((m) => out[m] === undefined).map((m) => `--${kebab(m)}`)
    if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.join(', ')}`)
  }
  return skeleton ? { input: out, skeleton } : { input: out }
}

const isComplex = (shape: Shape): boolean =>
  shape.kind === 'structure' || shape.kind === 'map' || (shape.kind === 'list' && isComplex(resolveShape(shape.member)))
const looksLikeJson = (value: string): boolean => /^\s*[[{]/.test(value)
const textOf = (value: string | Uint8Array): string => (typeof value === 'string' ? value : new TextDecoder().decode(value))

function convert(flag: string, shape: Shape, given: string[], readParamFile: ParamFileReader | undefined): unknown {
  // a file:// or fileb:// value stands for the file's content (one value only, as in the AWS CLI)
  const loaded = given.length === 1 ? readParamFile?.(given[0] as string) : undefined
  if (loaded instanceof Uint8Array && shape.kind === 'blob') return loaded
  const values = loaded === undefined ? given : [textOf(loaded)]
  if (isComplex(shape) && !looksLikeJson(values[0] as string)) {
    if (shape.kind === 'list') return typeShorthand(values.map((v) => parseShorthand(v, readParamFile)), shape)
    if (values.length > 1) throw new UsageError(`${flag} takes one value, got ${values.length}`)
    const value = values[0] as string
    // a structure whose one member is a string Value takes the bare value
    if (shape.kind === 'structure' && Object.keys(shape.members).join() === 'Value' && !value.includes('=')) return { Value: value }
    return typeShorthand(parseShorthand(value, readParamFile) as ShorthandValue, shape)
  }
  if (shape.kind === 'list') {
    // a JSON list when the one value starts with '[' (a policy document starting '{' is a string)
    if (values.length === 1 && /^\s*\[/.test(values[0] as string)) return parseJson(flag, values[0] as string)
    const member = resolveShape(shape.member)
    return values.map((v) => (isComplex(member) ? parseJson(flag, v) : scalar(flag, member, v)))
  }
  if (values.length > 1) throw new UsageError(`${flag} takes one value, got ${values.length}`)
  return scalar(flag, shape, values[0] as string)
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

function parseJson(flag: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown
  } catch (cause) {
    throw new UsageError(`${flag}: invalid JSON (${cause instanceof Error ? cause.message : String(cause)})`)
  }
}
