import { clientSettings, type ConfigHost } from '../config/providers.js'
import { ConfigFileError } from '../config/ini.js'
import { ConfigError, resolveConfig } from '../config/resolve.js'
import { expandPath, readSharedFiles } from '../config/shared.js'
import { IamClient } from '../iam/client.js'
import { iamOperations } from '../iam/generated/registry.js'
import { isAwsQueryError, ValidationError } from '../query/errors.js'
import { keepTimestampTexts } from '../query/parse.js'
import type { Operation } from '../query/shapes.js'
import { StsClient } from '../sts/client.js'
import { stsOperations } from '../sts/generated/registry.js'
import { type OperationArgs, parseOperationFlags, takeGlobalFlags, UsageError, type GlobalFlags } from './args.js'
import { debugFetch } from './debug.js'
import { VERSION } from '../version.js'
import { formatSkeleton } from './skeleton.js'
import { commandHelp, mainHelp, serviceHelp } from './help.js'
import { kebab, suggest } from './names.js'
import { toCli } from './output.js'
import { printed } from './print.js'
import { runPaginated } from './paginate.js'
import { runProxy } from './proxy.js'

/** Everything the CLI touches outside itself, so it runs on Node, Deno and Bun alike. */
export interface CliIO {
  argv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** progress lines go to stderr only when it is a terminal */
  stderrIsTTY: boolean
  fetch?: typeof fetch
  /** files and stdin, for `iam-edge proxy …` (the runtime adapter in bin/ provides them) */
  readFile?: (path: string) => string | undefined
  /** a file's bytes, for fileb:// values */
  readBytes?: (path: string) => Uint8Array | undefined
  writeFile?: (path: string, text: string) => void
  readStdin?: () => Promise<string>
  /** the home directory: ~/.aws/config, ~/.aws/credentials and the SSO token cache are under it */
  home?: string
  /** runs a profile's credential_process (the runtime adapter in bin/ provides it) */
  run?: ConfigHost['run']
}

interface Sender {
  send(op: Operation, input: object): Promise<object>
}

const SERVICES: Record<string, Readonly<Record<string, Operation>>> = { iam: iamOperations, sts: stsOperations }

export const EXIT = { ok: 0, usage: 252, config: 253, service: 254, failure: 255 } as const

export async function runCli(io: CliIO): Promise<number> {
  // timestamps print as the service wrote them, as the AWS CLI prints them
  keepTimestampTexts()
  if (io.argv[0] === 'proxy') {
    const { readFile, writeFile, readStdin } = io
    if (!readFile || !writeFile || !readStdin) throw new TypeError('iam-edge proxy needs file access: run it through bin/iam-edge.mjs')
    try {
      return await runProxy({ stdout: io.stdout, stderr: io.stderr, readFile, writeFile, readStdin, now: Date.now }, io.argv.slice(1))
    } catch (error) {
      return usage(io, error)
    }
  }
  let flags: GlobalFlags
  let rest: string[]
  try {
    ;({ flags, rest } = takeGlobalFlags(io.argv))
  } catch (error) {
    return usage(io, error)
  }
  const [service, command, ...opArgs] = rest
  if (flags.version) {
    // the evaluator is loaded only by the commands that use it (and this line)
    const { ACTION_DATA_DATE, ACTION_DATA_SOURCE } = await import('../policy/actions.js')
    io.stdout(`iam-edge/${VERSION} action-data/${ACTION_DATA_DATE} (${ACTION_DATA_SOURCE})\n`)
    return EXIT.ok
  }
  if (service === 'policy') {
    try {
      const { runPolicy } = await import('./policy.js')
      return await runPolicy({ stdout: io.stdout, stderr: io.stderr, ...(io.readFile ? { readFile: io.readFile } : {}), readParamFile: paramFiles(io), iam: () => makeClient('iam', flags, io) }, flags, command, opArgs)
    } catch (error) {
      return failed(io, error, 'GetAccountAuthorizationDetails')
    }
  }
  if (service === undefined) {
    io.stdout(mainHelp(Object.keys(SERVICES)))
    return flags.help ? EXIT.ok : EXIT.usage
  }
  const operations = SERVICES[service]
  if (!operations) return usage(io, new UsageError(`unknown service ${JSON.stringify(service)}${hint(service, Object.keys(SERVICES))}`))
  if (command === undefined) {
    io.stdout(serviceHelp(service, operations))
    return flags.help ? EXIT.ok : EXIT.usage
  }
  const byCommand = new Map(Object.values(operations).map((op) => [kebab(op.name), op]))
  const op = byCommand.get(command)
  if (!op) return usage(io, new UsageError(`unknown command ${JSON.stringify(command)} for ${service}${hint(command, [...byCommand.keys()])}`))
  if (flags.help) {
    io.stdout(commandHelp(service, op))
    return EXIT.ok
  }

  let args: OperationArgs
  try {
    args = parseOperationFlags(op.input, opArgs, `${service} ${command}`, paramFiles(io))
  } catch (error) {
    return usage(io, error)
  }
  if (args.skeleton) {
    io.stdout(`${formatSkeleton(op.input)}\n`)
    return EXIT.ok
  }
  const { input } = args
  try {
    const client = makeClient(service === 'sts' ? 'sts' : 'iam', flags, io)
    const output =
      op.paginator && flags.paginate
        ? await runPaginated(client, op, input, flags, io.stderrIsTTY ? io.stderr : undefined)
        : await client.send(op, pageInput(op, input, flags))
    const merged = op.paginator && flags.paginate
    const resultKeys = merged ? ([] as string[]).concat(op.paginator?.resultKey ?? []) : []
    io.stdout(await printed(toCli(output, op.output, resultKeys), flags, op.name))
    return EXIT.ok
  } catch (error) {
    return failed(io, error, op.name)
  }
}

/** A command's failure as the AWS CLI reports it, with its exit status. */
function failed(io: CliIO, error: unknown, action: string): number {
  if (error instanceof UsageError) return usage(io, error)
  // as the AWS CLI: a missing or malformed profile, file or credential source is exit status 253
  if (error instanceof ConfigError || error instanceof ConfigFileError) {
    io.stderr(`\n${error.message}\n`)
    return EXIT.config
  }
  // as the AWS CLI v2: input the model refuses is a usage error (exit status 252)
  if (error instanceof ValidationError) {
    io.stderr(`\nParameter validation failed:\n${error.message}\n`)
    return EXIT.usage
  }
  if (isAwsQueryError(error)) {
    io.stderr(`\nAn error occurred (${error.code}) when calling the ${error.action ?? action} operation: ${messageOf(error)}\n`)
    return EXIT.service
  }
  io.stderr(`\n${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`)
  return EXIT.failure
}

/** Credentials, region and endpoint as the AWS CLI resolves them: flags, environment, the profile. */
function makeClient(service: 'iam' | 'sts', flags: GlobalFlags, io: CliIO): Sender {
  const shared = readSharedFiles(io.env, io.home, (path) => io.readFile?.(path))
  const resolved = resolveConfig(shared, io.env, flags.profile === undefined ? {} : { profile: flags.profile })
  const { readFile, writeFile } = io
  const log = (line: string) => io.stderr(`iam-edge debug: ${line}\n`)
  const baseFetch = io.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))
  const fetchFn = flags.debug ? debugFetch(baseFetch, log) : io.fetch
  if (flags.debug) log(`profile ${JSON.stringify(resolved.profile)}, credentials from ${resolved.credentials?.source ?? 'nowhere'}, region ${resolved.region ?? '(none)'}`)
  const settings = clientSettings(
    resolved,
    service,
    {
      env: io.env,
      readFile: (path) => Promise.resolve(readFile?.(path)),
      ...(writeFile ? { writeFile: (path: string, text: string) => Promise.resolve(writeFile(path, text)) } : {}),
      ...(io.run ? { run: io.run } : {}),
      ...(io.home === undefined ? {} : { home: io.home }),
      ...(fetchFn ? { fetch: fetchFn } : {}),
    },
    { region: flags.region, endpoint: flags.endpointUrl },
  )
  const timeoutMs = timeoutOf(flags)
  const config = { ...settings, ...(fetchFn ? { fetch: fetchFn } : {}), ...(timeoutMs ? { timeoutMs } : {}) }
  return (service === 'sts' ? new StsClient(config) : new IamClient(config)) as Sender
}

/**
 * --cli-connect-timeout and --cli-read-timeout (seconds, 0 = none, AWS CLI default 60 each): fetch
 * has one timer per attempt, so it covers both; undefined (the client's default) when neither is given.
 */
function timeoutOf(flags: GlobalFlags): number | undefined {
  const { connectTimeout: connect, readTimeout: read } = flags
  if (connect === undefined && read === undefined) return undefined
  if (connect === 0 || read === 0) return 2 ** 31 - 1
  return ((connect ?? 60) + (read ?? 60)) * 1000
}

/** file:// and fileb:// values as the AWS CLI reads them: `~` and `$VARS` expanded, text or bytes. */
function paramFiles(io: CliIO): (value: string) => string | Uint8Array | undefined {
  return (value) => {
    const binary = value.startsWith('fileb://')
    if (!binary && !value.startsWith('file://')) return undefined
    const path = expandPath(value.slice(binary ? 8 : 7), io.env, io.home)
    const read = binary ? io.readBytes : io.readFile
    if (!read) throw new UsageError(`cannot read ${value} here: run iam-edge through bin/iam-edge.mjs`)
    const content = read(path)
    if (content === undefined) throw new UsageError(`Unable to load paramfile ${value}: no such file ${path}`)
    return content
  }
}

/** With --no-paginate, --page-size / --max-items / --starting-token still shape the one request. */
function pageInput(op: Operation, input: Record<string, unknown>, flags: GlobalFlags): Record<string, unknown> {
  const p = op.paginator
  if (!p) return input
  const out = { ...input }
  const size = flags.maxItems ?? flags.pageSize
  if (p.limitKey && size !== undefined) out[p.limitKey] = size
  if (flags.startingToken !== undefined) out[p.inputToken] = flags.startingToken
  return out
}

function usage(io: CliIO, error: unknown): number {
  if (!(error instanceof UsageError)) throw error
  io.stderr(`iam-edge: error: ${error.message}\nrun \`iam-edge --help\` for usage\n`)
  return EXIT.usage
}

function hint(wanted: string, known: readonly string[]): string {
  const near = suggest(wanted, known)
  return near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''
}

function messageOf(error: Error): string {
  // AwsQueryError's message is "Code: text (service Action, HTTP n)": print only the text, like the AWS CLI
  const m = /^[^:]+: (.*) \([^()]*HTTP \d+\)$/s.exec(error.message)
  return m ? (m[1] as string) : error.message
}
