import type { Operation, Shape, StructureShape } from '../query/shapes.js'
import { GLOBAL_FLAGS, resolveShape } from './args.js'
import { kebab } from './names.js'

export function mainHelp(services: readonly string[]): string {
  return `usage: iam-edge <service> <command> [flags]

services: ${services.join(', ')}
policy:   iam-edge policy <command>: IAM policy evaluation offline (simulate-custom-policy,
          simulate-principal-policy, who-can, escalations, lint)
global flags: --profile NAME, --endpoint-url URL, --region REGION,
              --output json|text|table|yaml, --query JMESPATH,
              --max-items N, --page-size N, --starting-token TOKEN, --no-paginate,
              --cli-connect-timeout S, --cli-read-timeout S, --debug, --version, --help
command flags: values as JSON, shorthand (Key=a,Value=b), file://path or fileb://path;
              --cli-input-json JSON|file://path, --generate-cli-skeleton
credentials: as the AWS CLI finds them (environment, --profile / AWS_PROFILE, ~/.aws)
run \`iam-edge <service> --help\` for its commands.
`
}

export function serviceHelp(service: string, operations: Readonly<Record<string, Operation>>): string {
  const names = Object.values(operations)
    .map((op) => `  ${kebab(op.name)}${op.readOnly ? '' : '   (writes)'}`)
    .sort()
  return `usage: iam-edge ${service} <command> [flags]\n\ncommands (${names.length}):\n${names.join('\n')}\n`
}

export function commandHelp(service: string, op: Operation): string {
  const input: StructureShape = op.input
  const required = new Set(input.required ?? [])
  const lines = Object.entries(input.members).map(([name, s]) => {
    const shape = resolveShape(s)
    return `  --${kebab(name)} ${describe(shape)}${required.has(name) ? '   (required)' : ''}`
  })
  const paging = op.paginator ? '\npagination: automatic; --max-items, --page-size, --starting-token, --no-paginate\n' : ''
  return `usage: iam-edge ${service} ${kebab(op.name)} [flags]\n\n${lines.length > 0 ? lines.join('\n') : '  (no flags)'}\n${paging}\nreference: ${op.docs}\n`
}

function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'boolean':
      return '(switch; --no-… to set false)'
    case 'list': {
      const member = resolveShape(shape.member)
      return member.kind === 'structure' ? '<JSON list or Key=Value,… items>' : `<${member.kind}> …`
    }
    case 'structure':
      return '<JSON or Key=Value,…>'
    case 'map':
      return '<JSON object>'
    default:
      return shape.enum ? `<${shape.enum.join('|')}>` : `<${shape.kind}>`
  }
}

export { GLOBAL_FLAGS }
