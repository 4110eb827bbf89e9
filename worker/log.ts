/** One JSON line per request; no keys, tokens, signatures, bodies or parameter values. */
export interface RequestLog {
  route: 'query' | 'json' | 'health' | 'other'
  action?: string
  caller?: string
  cache?: string
  upstream?: number
  status: number
  code?: string
  ms: number
}

export function logRequest(entry: RequestLog): void {
  console.log(JSON.stringify(entry))
}
