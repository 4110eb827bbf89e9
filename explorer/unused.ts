// Unused access, on request: IAM's Access Advisor (GenerateServiceLastAccessedDetails, then
// GetServiceLastAccessedDetails until the job completes) for one user or role, through the proxy
// like every other call. The proxy lets the job through only when its operator turned
// ACCESS_ADVISOR on; otherwise this says so.
import { ApiError, call } from './api.js'
import { h, mount } from './dom.js'

interface ServiceLastAccessed {
  ServiceName: string
  ServiceNamespace: string
  LastAuthenticated?: string
  LastAuthenticatedEntity?: string
}

const DAY_MS = 86_400_000
/** Services not used for this long are listed as unused. */
export const UNUSED_DAYS = 90

/** The services a principal may use but has not used for UNUSED_DAYS (or ever), from Access Advisor's answer. */
export function unusedServices(services: readonly ServiceLastAccessed[], now: Date): Array<{ name: string; namespace: string; last: string | undefined }> {
  return services
    .filter((s) => s.LastAuthenticated === undefined || now.getTime() - Date.parse(s.LastAuthenticated) > UNUSED_DAYS * DAY_MS)
    .map((s) => ({ name: s.ServiceName, namespace: s.ServiceNamespace, last: s.LastAuthenticated }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace))
}

export function unusedSection(arn: string, kind: 'user' | 'role'): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' })
  const button = h('button', { type: 'button', onclick: () => void run() }, 'Check unused services (Access Advisor)')
  const run = async () => {
    button.disabled = true
    mount(out, h('p', { role: 'status' }, 'Asking IAM’s Access Advisor…'))
    try {
      const { JobId } = await call<{ JobId: string }>('GenerateServiceLastAccessedDetails', { Arn: arn })
      let answer: { JobStatus: string; ServicesLastAccessed?: ServiceLastAccessed[]; Error?: { Message?: string } } | undefined
      for (let attempt = 0, wait = 500; attempt < 8; attempt++, wait = Math.min(wait * 2, 4000)) {
        // while the job runs, each poll skips the cache (it costs this caller's budget share)
        answer = await call('GetServiceLastAccessedDetails', { JobId }, { fresh: attempt > 0 })
        if (answer?.JobStatus !== 'IN_PROGRESS') break
        await new Promise((r) => setTimeout(r, wait))
      }
      if (!answer || answer.JobStatus === 'IN_PROGRESS') throw new Error('Access Advisor has not finished; try again in a minute')
      if (answer.JobStatus === 'FAILED') throw new Error(`Access Advisor failed: ${answer.Error?.Message ?? 'no reason given'}`)
      const unused = unusedServices(answer.ServicesLastAccessed ?? [], new Date())
      const total = answer.ServicesLastAccessed?.length ?? 0
      mount(out,
        h('p', null, `${unused.length} of the ${total} services this ${kind}'s policies allow were not used in the last ${UNUSED_DAYS} days.`),
        unused.length > 0 && h('ul', null, unused.map((s) => h('li', null, `${s.name} (${s.namespace}): ${s.last ? `last used ${s.last.slice(0, 10)}` : 'never used'}`))),
      )
    } catch (error) {
      const off = error instanceof ApiError && error.notAllowed && /ACCESS_ADVISOR/.test(error.message)
      mount(out, h('p', { class: off ? 'missing' : 'error', role: off ? 'note' : 'alert' }, off ? 'Unused access is off on this proxy: its operator can set ACCESS_ADVISOR=on (IAM classes Access Advisor as read; AWS’s IAMReadOnlyAccess allows it).' : error instanceof Error ? error.message : String(error)))
    } finally {
      button.disabled = false
    }
  }
  return h('section', null, h('h3', null, 'Unused access'), button, out)
}
