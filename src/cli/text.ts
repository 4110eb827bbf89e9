// `--output text`, by the AWS CLI's rules for tab-separated output: a structure's scalar members on
// one line (sorted by name, prefixed by the upper-cased name it sits under), its lists and
// structures after it, each under its own name; a list of structures as one line per item with
// the columns every item shares; a list of scalars as one line per item under its name, or on
// one line when it has no name. Scalars print as Python prints them (True, False, None).

type Value = unknown

export function formatText(value: Value): string {
  const out: string[] = []
  write(value, out, undefined, undefined)
  return out.join('')
}

function write(value: Value, out: string[], name: string | undefined, columns: readonly string[] | undefined): void {
  if (Array.isArray(value)) writeList(value, out, name)
  else if (isRecord(value)) writeRecord(value, out, name, columns)
  else out.push(`${scalar(value)}\n`)
}

function writeList(list: readonly Value[], out: string[], name: string | undefined): void {
  if (list.length === 0) return
  if (list.some(isRecord)) {
    const columns = [...new Set(list.filter(isRecord).flatMap((item) => Object.keys(item).filter((k) => !isNested(item[k]))))].sort()
    for (const item of list) write(item, out, name, columns)
    return
  }
  const scalars = list.filter((v) => !isNested(v))
  if (scalars.length > 0) {
    if (name === undefined) out.push(`${scalars.map(scalar).join('\t')}\n`)
    else for (const v of scalars) out.push(`${name.toUpperCase()}\t${scalar(v)}\n`)
  }
  for (const v of list) if (isNested(v)) write(v, out, name, undefined)
}

function writeRecord(record: Record<string, Value>, out: string[], name: string | undefined, columns: readonly string[] | undefined): void {
  const keys = columns ?? Object.keys(record).filter((k) => !isNested(record[k])).sort()
  const cells = keys.map((k) => (columns === undefined || Object.hasOwn(record, k) ? scalar(record[k]) : ''))
  const nested = (columns === undefined ? Object.keys(record).filter((k) => isNested(record[k])) : Object.keys(record).filter((k) => !columns.includes(k))).sort()
  if (cells.length > 0) out.push(`${[...(name === undefined ? [] : [name.toUpperCase()]), ...cells].join('\t')}\n`)
  for (const k of nested) write(record[k], out, k, undefined)
}

function isRecord(v: Value): v is Record<string, Value> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function isNested(v: Value): boolean {
  return v !== null && typeof v === 'object'
}

function scalar(v: Value): string {
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (v === null || v === undefined) return 'None'
  return String(v)
}
