import { toBase64 } from '../query/base64.js'
import { timestampText } from '../query/parse.js'
import { resolveShape, type Shape } from '../query/shapes.js'

/**
 * An output as the AWS CLI prints it: members in the model's order, timestamps as the service
 * wrote them, bytes as base64, policy documents as JSON objects (the AWS CLI decodes IAM's
 * URL-encoded documents), `$metadata` dropped, anything the model does not name (NextToken) last.
 */
export function toCli(value: unknown, shape: Shape | undefined, first: readonly string[] = []): unknown {
  if (shape === undefined) return toPlain(value)
  switch (shape.kind) {
    case 'structure': {
      if (value === null || typeof value !== 'object') return toPlain(value)
      const record = value as Record<string, unknown>
      const out: Record<string, unknown> = {}
      // a merged listing leads with its result lists, as the AWS CLI's paginator builds it
      const names = [...first, ...Object.keys(shape.members).filter((n) => !first.includes(n))]
      for (const name of names) {
        const member = Object.hasOwn(shape.members, name) ? shape.members[name] : undefined
        if (member !== undefined && record[name] !== undefined) out[name] = toCli(record[name], resolveShape(member))
      }
      for (const [name, v] of Object.entries(record)) if (!(name in out) && name !== '$metadata' && v !== undefined) out[name] = toPlain(v)
      return out
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => toCli(v, resolveShape(shape.member))) : toPlain(value)
    case 'map':
      return value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCli(v, resolveShape(shape.value))])) : toPlain(value)
    case 'string':
      return shape.urlEncoded && typeof value === 'string' ? jsonDocument(value) : value
    default:
      return toPlain(value)
  }
}

function jsonDocument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Output as the AWS CLI prints it, without a shape: `$metadata` dropped, dates as the service wrote them, bytes as base64. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Date) return timestampText(value) ?? value.toISOString()
  if (value instanceof Uint8Array) return toBase64(value)
  if (Array.isArray(value)) return value.map(toPlain)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (k !== '$metadata' && v !== undefined) out[k] = toPlain(v)
    return out
  }
  return value
}

export function formatJson(output: unknown): string {
  return `${JSON.stringify(output, null, 4)}\n`
}

/**
 * A table: the output's first list of objects as rows (scalar columns only), or its scalar
 * members as name/value rows; nested values are summarized as JSON.
 */
export function formatTable(output: unknown, title: string): string {
  const plain = toPlain(output) as Record<string, unknown>
  const list = Object.entries(plain).find(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object'))
  let header: string[]
  let rows: string[][]
  if (list) {
    const items = list[1] as Array<Record<string, unknown>>
    header = [...new Set(items.flatMap((item) => Object.keys(item).filter((k) => isScalar(item[k]))))]
    rows = items.map((item) => header.map((k) => cell(item[k])))
    title = `${title}: ${list[0]}`
  } else {
    header = ['Name', 'Value']
    rows = Object.entries(plain).map(([k, v]) => [k, cell(v)])
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  const table = [rule, `| ${title.padEnd(rule.length - 4)} |`, rule, line(header), rule, ...rows.map(line), rule]
  // a listing cut short says where to resume, as the JSON output does (--starting-token)
  if (list && typeof plain.NextToken === 'string') {
    const text = `NextToken: ${plain.NextToken}`
    const box = `+${'-'.repeat(text.length + 2)}+`
    table.push(box, `| ${text} |`, box)
  }
  return [...table, ''].join('\n')
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v)
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (isScalar(v)) return String(v)
  const json = JSON.stringify(v)
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}
