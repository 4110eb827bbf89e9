// The INI dialect of ~/.aws/config and ~/.aws/credentials, read by the rules botocore reads it with
// (Python's RawConfigParser, then botocore's nested sections): full-line comments starting `#` or
// `;`, `name = value` or `name: value` with names lowercased, indented lines continuing a value, a
// value that starts on the next line read as nested `key = value` pairs (the `services` sections),
// `[DEFAULT]` values inherited by every section, and a repeated section or name refused.

/** A value: text, or the nested pairs of an indented block. */
export type IniValue = string | Readonly<Record<string, string>>
export type IniSection = Record<string, IniValue>

/** A malformed config or credentials file, with the file and line. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError'
}

export function parseIni(text: string, file: string): Map<string, IniSection> {
  const raw = new Map<string, Map<string, string[]>>()
  const defaults = new Map<string, string[]>()
  // typed, so that a call narrows what follows it
  const fail: (line: number, problem: string) => never = (line, problem) => {
    throw new ConfigFileError(`${file}, line ${line}: ${problem}`)
  }
  let section: Map<string, string[]> | undefined
  let option: string | undefined
  let optionIndent = Number.POSITIVE_INFINITY
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const value = line.trim()
    if (value.startsWith('#') || value.startsWith(';')) continue
    if (value === '') {
      // a blank line inside a continued value is kept (trailing ones are dropped below)
      if (section && option !== undefined) section.get(option)?.push('')
      continue
    }
    const indent = line.search(/\S/)
    if (section && option !== undefined && indent > optionIndent) {
      section.get(option)?.push(value)
      continue
    }
    optionIndent = indent
    const header = /^\[(.+)\]/.exec(value)
    if (header) {
      const name = header[1] as string
      if (name === 'DEFAULT') section = defaults
      else if (raw.has(name)) fail(i + 1, `section [${name}] appears twice`)
      else raw.set(name, (section = new Map()))
      option = undefined
      continue
    }
    if (!section) fail(i + 1, `${JSON.stringify(value.slice(0, 40))} comes before any [section] header`)
    const [, name, setting = ''] = /^(.*?)\s*[=:]\s*(.*)$/.exec(value) ?? []
    if (!name) fail(i + 1, `expected "name = value", found ${JSON.stringify(value.slice(0, 40))}`)
    const key = name.toLowerCase()
    if (section.has(key)) fail(i + 1, `${key} is set twice in one section`)
    section.set(key, [setting])
    option = key
  }
  const out = new Map<string, IniSection>()
  for (const [name, options] of raw) {
    const sectionOut: IniSection = {}
    for (const [key, parts] of [...defaults, ...options]) {
      const joined = parts.join('\n').trimEnd()
      sectionOut[key] = joined.startsWith('\n') ? nested(joined, file, name, key) : joined
    }
    out.set(name, sectionOut)
  }
  return out
}

function nested(value: string, file: string, section: string, key: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of value.split('\n')) {
    const text = line.trim()
    if (!text) continue
    const eq = text.indexOf('=')
    if (eq < 0) throw new ConfigFileError(`${file}, [${section}] ${key}: nested line ${JSON.stringify(text)} is not "name = value"`)
    out[text.slice(0, eq).trim()] = text.slice(eq + 1).trim()
  }
  return out
}

/**
 * Splits a section name into words as POSIX shell does (Python's shlex.split, which botocore uses):
 * whitespace separates, quotes group, backslash escapes. undefined when a quote is left open.
 */
export function shellWords(text: string): string[] | undefined {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) return undefined
      word = (word ?? '') + text.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      word ??= ''
      for (i++; ; i++) {
        if (i >= text.length) return undefined
        const d = text[i] as string
        if (d === '"') break
        if (d === '\\' && '\\"$`\n'.includes(text[i + 1] ?? '')) word += text[++i]
        else word += d
      }
    } else if (c === '\\') {
      word = (word ?? '') + (text[++i] ?? '')
    } else {
      word = (word ?? '') + c
    }
  }
  if (word !== undefined) words.push(word)
  return words
}
