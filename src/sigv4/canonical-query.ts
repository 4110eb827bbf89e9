import { canonicalComponent } from './encoding.js'

/** Query pairs exactly as written (still percent-encoded); repeated and empty keys kept. */
export function parseQuery(query: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  if (query === '') return pairs
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const key = eq === -1 ? part : part.slice(0, eq)
    const value = eq === -1 ? '' : part.slice(eq + 1)
    pairs.push([key, value])
  }
  return pairs
}

/** Canonically encoded pairs sorted by key, then value (byte order of the encoded strings). */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  const encoded = pairs.map(([k, v]) => [canonicalComponent(k), canonicalComponent(v)] as const)
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  let out = ''
  for (const [k, v] of encoded) out += `${out === '' ? '' : '&'}${k}=${v}`
  return out
}
