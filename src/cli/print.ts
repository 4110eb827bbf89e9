// How a command's result is printed, as the AWS CLI prints it: --query (JMESPath) on the whole
// result, then json, text, table or yaml.
import { search } from 'jmespath'
import { UsageError } from './args.js'
import { formatJson, formatTable } from './output.js'
import { formatText } from './text.js'

export interface PrintFlags {
  output: 'json' | 'table' | 'text' | 'yaml'
  query?: string
}

/** The text a result prints as. `title` heads a table. */
export async function printed(result: unknown, flags: PrintFlags, title: string): Promise<string> {
  if (flags.output === 'text') {
    // as the AWS CLI: the query applies to the answer without NextToken, which follows on its own line
    const { NextToken: token, ...rest } = (result ?? {}) as Record<string, unknown>
    const queried = flags.query === undefined ? rest : query(rest, flags.query)
    return formatText(queried as Parameters<typeof formatText>[0]) + (typeof token === 'string' ? `NEXTTOKEN\t${token}\n` : '')
  }
  const queried = flags.query === undefined ? result : query(result, flags.query)
  if (flags.output === 'yaml') {
    // loaded only for yaml output, so it costs nothing at startup; YAML 1.1 quoting, so that
    // dates and yes/no strings stay strings for 1.1 readers too (PyYAML)
    const { stringify } = await import('yaml')
    return stringify(queried, { version: '1.1', indentSeq: false, lineWidth: 0, singleQuote: true })
  }
  return flags.output === 'table' && queried !== null && typeof queried === 'object' && !Array.isArray(queried) ? formatTable(queried, title) : formatJson(queried)
}

/** --query: JMESPath (the reference implementation), on the output as printed. */
export function query(output: unknown, expression: string): unknown {
  try {
    const result: unknown = search(output as Parameters<typeof search>[0], expression)
    return result
  } catch (error) {
    throw new UsageError(`Bad value for --query ${expression}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
