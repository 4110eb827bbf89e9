// `iam-edge policy …`: the evaluator offline, as the AWS CLI's simulator commands print it.
//   simulate-custom-policy     the AWS CLI's flags; answers without a network call
//   simulate-principal-policy  on an account: --account-details FILE (a saved
//                              `aws iam get-account-authorization-details`), else read live
//   who-can                    --action-names, --resource-arns, --context-entries
//   escalations                every principal that is or can become admin, and how;
//                              --fail-on-escalation for CI
import { iamOperations } from '../iam/generated/registry.js'
import type { SimulateCustomPolicyRequest, SimulatePrincipalPolicyRequest } from '../iam/generated/types.js'
import { type Account, AccountError, readAccount } from '../policy/account.js'
import { loadActionData } from '../policy/actions.js'
import { escalations } from '../policy/escalation.js'
import { simulatePrincipalPolicy } from '../policy/principals.js'
import { PolicyError, readPolicy } from '../policy/read.js'
import { simulateCustomPolicy, SimulationInputError, type SimulationExtensions } from '../policy/simulate.js'
import { whoCan } from '../policy/who-can.js'
import { paginate } from '../query/paginate.js'
import type { Operation, Shape, StructureShape } from '../query/shapes.js'
import { type GlobalFlags, parseOperationFlags, UsageError } from './args.js'
import { kebab } from './names.js'
import { toCli } from './output.js'
import { printed } from './print.js'

export interface PolicyIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  readFile?: (path: string) => string | undefined
  readParamFile: (value: string) => string | Uint8Array | undefined
  /** an IAM client for the live account (credentials as the AWS CLI finds them) */
  iam: () => { send(op: Operation, input: object): Promise<object> }
}

/** Exit status when --fail-on-escalation finds a principal that can become admin. */
export const EXIT_ESCALATION = 3

const op = (name: string) => iamOperations[name] as Operation
const member = (shape: StructureShape, name: string) => shape.members[name] as Shape | (() => Shape)
const STRING: Shape = { kind: 'string' }
const INTEGER: Shape = { kind: 'integer' }
const BOOLEAN: Shape = { kind: 'boolean' }
const STRINGS: Shape = { kind: 'list', member: STRING }

function commands(): Record<string, { input: StructureShape; help: string }> {
  const custom = op('SimulateCustomPolicy').input
  const principal = op('SimulatePrincipalPolicy').input
  const extensions = { ServiceControlPolicyInputList: STRINGS, ResourceControlPolicyInputList: STRINGS, SessionPolicyInputList: STRINGS }
  return {
    'simulate-custom-policy': { input: { ...custom, members: { ...custom.members, ...extensions } }, help: 'IAM’s SimulateCustomPolicy, answered offline; SCPs, RCPs and session policies as extra flags (each list one level)' },
    'simulate-principal-policy': { input: { ...principal, members: { ...principal.members, AccountDetails: STRING, ...extensions } }, help: 'IAM’s SimulatePrincipalPolicy on the account (--account-details FILE, or read live)' },
    'who-can': {
      input: { kind: 'structure', members: { ActionNames: member(custom, 'ActionNames'), ResourceArns: member(custom, 'ResourceArns'), ContextEntries: member(custom, 'ContextEntries'), AccountDetails: STRING }, required: ['ActionNames'] },
      help: 'every principal allowed each action on each resource, with the deciding statements',
    },
    escalations: {
      input: { kind: 'structure', members: { AccountDetails: STRING, TargetArn: STRING, MaxDepth: INTEGER, MaxPaths: INTEGER, FailOnEscalation: BOOLEAN } },
      help: `every principal that is admin or can become admin (or reach --target-arn), with every path; --fail-on-escalation exits ${EXIT_ESCALATION} when one not admin can`,
    },
    lint: { input: { kind: 'structure', members: { PolicyInputList: STRINGS }, required: ['PolicyInputList'] }, help: 'unknown actions and condition keys in policy documents, from the action data' },
  }
}

export function policyHelp(): string {
  const lines = Object.entries(commands()).map(([name, c]) => `  ${name.padEnd(27)}${c.help}`)
  return `usage: iam-edge policy <command> [flags]\n\nIAM policy evaluation, offline (iam-edge/policy):\n${lines.join('\n')}\n\naccount details: --account-details FILE takes what \`aws iam get-account-authorization-details\`\n(or iam-edge iam get-account-authorization-details) prints; without it, the account is read live\nwith the credentials, --profile and --endpoint-url as the AWS CLI finds them (a proxy works too).\n`
}

export async function runPolicy(io: PolicyIO, flags: GlobalFlags, command: string | undefined, argv: readonly string[]): Promise<number> {
  const table = commands()
  if (command === undefined) {
    io.stdout(policyHelp())
    return flags.help ? 0 : 252
  }
  const spec = table[command]
  if (!spec) throw new UsageError(`unknown command ${JSON.stringify(command)} for policy; one of ${Object.keys(table).join(', ')}`)
  if (flags.help) {
    const lines = Object.keys(spec.input.members).map((m) => `  --${kebab(m)}${(spec.input.required ?? []).includes(m) ? '   (required)' : ''}`)
    io.stdout(`usage: iam-edge policy ${command} [flags]\n\n${spec.help}\n\n${lines.join('\n')}\n`)
    return 0
  }
  const { input } = parseOperationFlags(spec.input, argv, `policy ${command}`, io.readParamFile)
  try {
    switch (command) {
      case 'simulate-custom-policy': {
        const { ServiceControlPolicyInputList: scps, ResourceControlPolicyInputList: rcps, SessionPolicyInputList: sessions, ...request } = input
        await warnLint(io, (request as { PolicyInputList?: string[] }).PolicyInputList ?? [])
        const out = simulateCustomPolicy({ ...(request as unknown as SimulateCustomPolicyRequest), MaxItems: 1000 }, extensionsOf(scps, rcps, sessions))
        const all = [...(out.EvaluationResults ?? [])]
        let marker = out.Marker
        while (out.IsTruncated && marker !== undefined) {
          const more = simulateCustomPolicy({ ...(request as unknown as SimulateCustomPolicyRequest), MaxItems: 1000, Marker: marker }, extensionsOf(scps, rcps, sessions))
          all.push(...(more.EvaluationResults ?? []))
          marker = more.IsTruncated ? more.Marker : undefined
        }
        io.stdout(await printed(toCli({ EvaluationResults: all }, op('SimulateCustomPolicy').output), flags, 'SimulateCustomPolicy'))
        return 0
      }
      case 'simulate-principal-policy': {
        const { AccountDetails: file, ServiceControlPolicyInputList: scps, ResourceControlPolicyInputList: rcps, SessionPolicyInputList: sessions, ...request } = input
        const account = await accountOf(io, flags, file)
        const all = []
        let marker: string | undefined
        do {
          const page = simulatePrincipalPolicy(account, { ...(request as unknown as SimulatePrincipalPolicyRequest), MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }, extensionsOf(scps, rcps, sessions))
          all.push(...(page.EvaluationResults ?? []))
          marker = page.IsTruncated ? page.Marker : undefined
        } while (marker !== undefined)
        io.stdout(await printed(toCli({ EvaluationResults: all }, op('SimulatePrincipalPolicy').output), flags, 'SimulatePrincipalPolicy'))
        return 0
      }
      case 'who-can': {
        const account = await accountOf(io, flags, input.AccountDetails)
        const actions = input.ActionNames as string[]
        const resources = (input.ResourceArns as string[] | undefined) ?? ['*']
        const results = actions.flatMap((action) => resources.map((resource) => whoCan(account, action, resource, input.ContextEntries as never)))
        io.stdout(await printed({ WhoCan: results }, flags, 'WhoCan'))
        return 0
      }
      case 'escalations': {
        const account = await accountOf(io, flags, input.AccountDetails)
        const options = {
          ...(input.TargetArn !== undefined ? { target: input.TargetArn as string } : {}),
          ...(input.MaxDepth !== undefined ? { maxDepth: positive('--max-depth', input.MaxDepth) } : {}),
          ...(input.MaxPaths !== undefined ? { maxPaths: positive('--max-paths', input.MaxPaths) } : {}),
        }
        if (options.target !== undefined && !account.byArn.has(options.target)) throw new UsageError(`--target-arn ${options.target} is not a user or role of account ${account.id}`)
        const result = escalations(account, options)
        io.stdout(await printed(result, flags, 'Escalations'))
        const escalating = result.Escalations.filter((e) => !e.IsAdmin && e.Paths.length > 0)
        if (input.FailOnEscalation === true && escalating.length > 0) {
          io.stderr(`iam-edge: ${escalating.length} principal${escalating.length === 1 ? '' : 's'} not admin can become admin: ${escalating.slice(0, 5).map((e) => e.PrincipalArn).join(', ')}${escalating.length > 5 ? ', …' : ''}\n`)
          return EXIT_ESCALATION
        }
        return 0
      }
      default: {
        // lint
        const warnings = await warnLint(io, input.PolicyInputList as string[])
        io.stdout(await printed({ Warnings: warnings }, flags, 'Lint'))
        return 0
      }
    }
  } catch (error) {
    if (error instanceof PolicyError || error instanceof SimulationInputError) {
      io.stderr(`\nAn error occurred (${error.code}) when calling the ${command === 'simulate-principal-policy' ? 'SimulatePrincipalPolicy' : 'SimulateCustomPolicy'} operation: ${error.message}\n`)
      return 254
    }
    if (error instanceof AccountError) throw new UsageError(`account details: ${error.message}`)
    throw error
  }
}

function positive(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UsageError(`${flag} is a whole number of at least 1`)
  return value
}

function extensionsOf(scps: unknown, rcps: unknown, sessions: unknown): SimulationExtensions {
  const out: SimulationExtensions = {}
  if (Array.isArray(scps) && scps.length > 0) out.serviceControlPolicies = [scps as string[]]
  if (Array.isArray(rcps) && rcps.length > 0) out.resourceControlPolicies = [rcps as string[]]
  if (Array.isArray(sessions) && sessions.length > 0) out.sessionPolicies = sessions as string[]
  return out
}

/** Lint warnings on stderr (action data loaded on demand); the documents' own errors are the simulation's to report. */
async function warnLint(io: PolicyIO, documents: readonly string[]): Promise<string[]> {
  const data = await loadActionData()
  const warnings: string[] = []
  documents.forEach((text, i) => {
    try {
      const policy = readPolicy(text, { id: `PolicyInputList.${i + 1}` })
      warnings.push(...policy.warnings.map((w) => `PolicyInputList.${i + 1}: ${w}`), ...data.lint(policy))
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error
    }
  })
  for (const w of warnings) io.stderr(`iam-edge: warning: ${w}\n`)
  return warnings
}

/** The account: a saved GetAccountAuthorizationDetails (any of its forms), or read live, every page. */
async function accountOf(io: PolicyIO, flags: GlobalFlags, file: unknown): Promise<Account> {
  let account: Account
  if (typeof file === 'string') {
    // a path, or (file://path, read by the flag parser as the AWS CLI reads it) the file's text
    const given = /^\s*[[{]/.test(file)
    const path = given ? 'file://…' : file
    const text = given ? file : io.readFile?.(path)
    if (text === undefined) throw new UsageError(`--account-details: no such file ${path}`)
    let details: unknown
    try {
      details = JSON.parse(text)
    } catch (error) {
      throw new UsageError(`--account-details ${path}: not JSON (${error instanceof Error ? error.message : 'unreadable'})`)
    }
    account = readAccount(details as object)
  } else {
    const client = io.iam()
    const pages: object[] = []
    for await (const page of paginate(client as never, op('GetAccountAuthorizationDetails') as never, {}, { pageSize: 1000 })) pages.push(page as object)
    account = readAccount(pages)
  }
  if (flags.debug) io.stderr(`iam-edge debug: account ${account.id}: ${account.users.length} users, ${account.roles.length} roles, ${account.groups.length} groups, ${account.policies.size} managed policies\n`)
  for (const w of account.warnings) io.stderr(`iam-edge: warning: ${w}\n`)
  return account
}
