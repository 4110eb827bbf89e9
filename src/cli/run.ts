import { clientSettings, type ConfigHost } from '../config/providers.js'
import { ConfigFileError } from '../config/ini.js'
import { ConfigError, resolveConfig } from '../config/resolve.js'
import { parseSharedFiles, sharedFilePaths } from '../config/shared.js'
import { IamClient } from '../iam/client.js'
import { iamOperations } from '../iam/generated/registry.js'
import { isAwsQueryError } from '../query/errors.js'
import type { Operation } from '../query/shapes.js'
import { StsClient } from '../sts/client.js'
import { stsOperations } from '../sts/generated/registry.js'
import { parseOperationFlags, takeGlobalFlags, UsageError, type GlobalFlags } from './args.js'
import { commandHelp, mainHelp, serviceHelp } from './help.js'
import { kebab, suggest } from './names.js'
import { formatJson, formatTable, toCli } from './output.js'
import { search } from 'jmespath'
import { runPaginated } from './paginate.js'
import { runProxy } from './proxy.js'
import { formatText } from './text.js'

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

  let input: Record<string, unknown>
  try {
    input = parseOperationFlags(op.input, opArgs, `${service} ${command}`)
  } catch (error) {
    return usage(io, error)
  }
  try {
    const client = makeClient(service === 'sts' ? 'sts' : 'iam', flags, io)
    const output =
      op.paginator && flags.paginate
        ? await runPaginated(client, op, input, flags, io.stderrIsTTY ? io.stderr : undefined)
        : await client.send(op, pageInput(op, input, flags))
    const merged = op.paginator && flags.paginate
    const resultKeys = merged ? ([] as string[]).concat(op.paginator?.resultKey ?? []) : []
    const shaped = toCli(output, op.output, resultKeys)
    if (flags.output === 'text') {
      // as the AWS CLI: the query applies to the answer without NextToken, which follows on its own line
      const { NextToken: token, ...rest } = shaped as Record<string, unknown>
      const result = flags.query === undefined ? rest : query(rest, flags.query)
      io.stdout(formatText(result) + (typeof token === 'string' ? `NEXTTOKEN\t${token}\n` : ''))
      return EXIT.ok
    }
    const result = flags.query === undefined ? shaped : query(shaped, flags.query)
    io.stdout(flags.output === 'table' && result !== null && typeof result === 'object' && !Array.isArray(result) ? formatTable(result, op.name) : formatJson(result))
    return EXIT.ok
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error)
    // as the AWS CLI: a missing or malformed profile, file or credential source is exit status 253
    if (error instanceof ConfigError || error instanceof ConfigFileError) {
      io.stderr(`\n${error.message}\n`)
      return EXIT.config
    }
    if (isAwsQueryError(error)) {
      io.stderr(`\nAn error occurred (${error.code}) when calling the ${error.action ?? op.name} operation: ${messageOf(error)}\n`)
      return EXIT.service
    }
    io.stderr(`\n${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`)
    return EXIT.failure
  }
}

/** Credentials, region and endpoint as the AWS CLI resolves them: flags, environment, the profile. */
function makeClient(service: 'iam' | 'sts', flags: GlobalFlags, io: CliIO): Sender {
  const { configPath, credentialsPath } = sharedFilePaths(io.env, io.home)
  const shared = parseSharedFiles({ config: io.readFile?.(configPath), credentials: io.readFile?.(credentialsPath), configPath, credentialsPath })
  const resolved = resolveConfig(shared, io.env, flags.profile === undefined ? {} : { profile: flags.profile })
  const { readFile, writeFile } = io
  const settings = clientSettings(
    resolved,
    service,
    {
      env: io.env,
      readFile: (path) => Promise.resolve(readFile?.(path)),
      ...(writeFile ? { writeFile: (path: string, text: string) => Promise.resolve(writeFile(path, text)) } : {}),
      ...(io.run ? { run: io.run } : {}),
      ...(io.home === undefined ? {} : { home: io.home }),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    },
    { region: flags.region, endpoint: flags.endpointUrl },
  )
  const config = { ...settings, ...(io.fetch ? { fetch: io.fetch } : {}) }
  return (service === 'sts' ? new StsClient(config) : new IamClient(config)) as Sender
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

/** --query: JMESPath (the reference implementation), on the output as printed. */
function query(output: unknown, expression: string): unknown {
  try {
    const result: unknown = search(output, expression)
    return result
  } catch (error) {
    throw new UsageError(`Bad value for --query ${expression}: ${error instanceof Error ? error.message : String(error)}`)
  }
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
