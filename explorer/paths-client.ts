// The page's side of the paths worker (paths-worker.ts): posts the export, takes the escalations
// back into the analysis; the search runs on the page itself where workers are unavailable.
import { type Analysis, searchPaths } from './analysis.js'
import type { EscalationEntry } from '../src/policy/index.js'
import type { AuthorizationDetails } from './model.js'

/**
 * The same search in a worker (`url`: the built paths-worker), so the page stays responsive;
 * on the main thread when workers are unavailable or the worker fails to start.
 */
export function searchPathsOffThread(analysis: Analysis, details: AuthorizationDetails, url: string | undefined, now: Date = new Date()): Promise<Analysis> {
  if (!analysis.pending) return Promise.resolve(analysis)
  if (url === undefined || typeof Worker === 'undefined') return Promise.resolve(searchPaths(analysis, now))
  return new Promise((resolve) => {
    const worker = new Worker(url, { type: 'module' })
    const done = (entries: EscalationEntry[] | undefined) => {
      worker.terminate()
      if (entries === undefined) {
        resolve(searchPaths(analysis, now))
        return
      }
      analysis.escalations = new Map(entries.map((e) => [e.PrincipalArn, e]))
      analysis.pending = false
      resolve(analysis)
    }
    worker.onmessage = (event: MessageEvent<{ ok: boolean; escalations?: EscalationEntry[] }>) => done(event.data.ok ? event.data.escalations : undefined)
    worker.onerror = () => done(undefined)
    worker.postMessage({ details, now: now.getTime() })
  })
}

