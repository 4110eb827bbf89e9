// The view's state in the URL: `#/view/id?key=value`, so any view can be shared as a link.

export interface Route {
  view: string
  id: string | undefined
  params: URLSearchParams
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '')
  const q = hash.indexOf('?')
  const path = q === -1 ? hash : hash.slice(0, q)
  const [view = '', ...rest] = path.split('/')
  let id: string | undefined
  try {
    id = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined
  } catch {
    id = undefined
  }
  return { view, id, params: new URLSearchParams(q === -1 ? '' : hash.slice(q + 1)) }
}

export const link = (view: string, id?: string, params?: Record<string, string>): string => {
  const query = params ? new URLSearchParams(params).toString() : ''
  return `#/${view}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${query ? `?${query}` : ''}`
}

/** Updates the query part of the current route without a new history entry or a re-render. */
export function setParams(next: Record<string, string | undefined>): void {
  const r = currentRoute()
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) r.params.delete(k)
    else r.params.set(k, v)
  }
  const query = r.params.toString()
  history.replaceState(null, '', `#/${r.view}${r.id === undefined ? '' : `/${encodeURIComponent(r.id)}`}${query ? `?${query}` : ''}`)
}
