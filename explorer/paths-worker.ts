// The search for every path to admin, off the page's main thread: the page posts the export it
// loaded, this worker reads it with iam-edge/policy and answers the escalations (plain data), so
// the page stays responsive while a large account is searched. Loaded after the first view.
import { escalations, readAccount } from '../src/policy/index.js'

interface Request {
  details: Record<string, unknown>
  now: number
}

// a dedicated worker's scope (the project's lib is the DOM's)
const scope = self as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent<Request>) => void) | null }

scope.onmessage = (event) => {
  try {
    const result = escalations(readAccount(event.data.details), { now: new Date(event.data.now) })
    scope.postMessage({ ok: true, escalations: result.Escalations })
  } catch (error) {
    scope.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) })
  }
}
