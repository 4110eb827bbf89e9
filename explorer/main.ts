// The explorer: sign in (a proxy token kept in sessionStorage, or nothing behind Cloudflare
// Access), load the account once, then render the view the URL names.
import { loadActionData } from '../src/policy/index.js'
import { readModel } from './analysis.js'
import { ApiError, refreshNext, token } from './api.js'
import { actionDataFindings } from './categories.js'
import { h, mount } from './dom.js'
import { escalationFindings, findings, riskOf, sortFindings } from './findings.js'
import { loadAccount } from './load.js'
import { currentRoute, link, type Route } from './route.js'
import { searchPathsOffThread } from './paths-client.js'
import { pathsView, whoCanView } from './security.js'
import { type Data, prepare } from './data.js'
import { findingsView, groupDetail, groups, notFound, overview, policies, policyDetail, roleDetail, roles, userDetail, users } from './views.js'

const NAV: ReadonlyArray<readonly [view: string, label: string]> = [
  ['', 'Overview'],
  ['users', 'Users'],
  ['roles', 'Roles'],
  ['groups', 'Groups'],
  ['policies', 'Policies'],
  ['paths', 'Paths to admin'],
  ['who-can', 'Who can'],
  ['graph', 'Trust graph'],
  ['findings', 'Findings'],
]

// each entity: its table, and its detail view by name (ARN for policies)
// (a Map: the view comes from the URL, and `#/constructor` must not find Object's)
const ENTITY_VIEWS = new Map<string, readonly [(data: Data, r: Route) => HTMLElement, (data: Data, id: string, r: Route) => HTMLElement]>([
  ['users', [users, userDetail]],
  ['roles', [roles, roleDetail]],
  ['groups', [groups, groupDetail]],
  ['policies', [policies, policyDetail]],
])

/** The paths worker's file, named by the build (undefined where the page was built without it: the search runs here). */
declare const __PATHS_WORKER__: string | undefined
const PATHS_WORKER = typeof __PATHS_WORKER__ === 'string' ? new URL(__PATHS_WORKER__, import.meta.url).href : undefined

const root = document.getElementById('app') as HTMLElement
let data: Data | undefined

function shell(main: HTMLElement): void {
  const r = currentRoute()
  const aliases = data?.account.aliases ?? []
  mount(
    root,
    h('a', { href: '#main', class: 'skip' }, 'Skip to content'),
    h('header', null,
      h('h1', null, 'IAM explorer'),
      data && h('p', { class: 'account' }, aliases.length ? aliases.join(', ') : (data.account.details.UserDetailList?.[0]?.Arn.split(':')[4] ?? '')),
      data && h('p', { class: 'freshness' }, 'As of ', h('time', { datetime: data.asOf.toISOString() }, data.asOf.toLocaleString()), ' ', h('button', { type: 'button', class: 'refresh', onclick: () => { refreshNext(true); void start().finally(() => refreshNext(false)) } }, 'Refresh')),
      token.get() && h('button', { type: 'button', class: 'signout', onclick: () => { token.clear(); data = undefined; start() } }, 'Sign out'),
    ),
    h('nav', { 'aria-label': 'Views' }, h('ul', null, NAV.map(([view, label]) => h('li', null, h('a', { href: link(view), 'aria-current': r.view === view ? 'page' : undefined }, label))))),
    h('main', { id: 'main', tabindex: -1 },
      data?.truncated && h('p', { class: 'missing', role: 'note' }, 'This account is larger than the proxy reads in one go (50 pages of GetAccountAuthorizationDetails): what follows is part of it, and so are the findings.'),
      main),
  )
}

const VIEWS = new Map<string, (data: Data, r: Route) => HTMLElement>([
  ['', overview],
  ['findings', findingsView],
  ['paths', pathsView],
  ['who-can', whoCanView],
])

async function render(): Promise<void> {
  if (!data) return
  const r = currentRoute()
  let view: HTMLElement
  const entity = ENTITY_VIEWS.get(r.view)
  const page = VIEWS.get(r.view)
  if (entity) view = r.id === undefined ? entity[0](data, r) : entity[1](data, r.id, r)
  else if (page) view = page(data, r)
  else if (r.view === 'graph') {
    shell(h('p', { role: 'status' }, 'Laying out the trust graph…'))
    const { trustGraph } = await import('./graph.js')
    view = trustGraph(data, r)
  } else view = notFound()
  shell(view)
  // the title is the view's own heading: fixed text and names from the account, never the URL's
  document.title = `${view.querySelector('h2')?.textContent ?? 'Overview'} · IAM explorer`
  const statement = r.params.get('statement')
  if (statement) document.getElementById(`statement-${Number(statement)}`)?.scrollIntoView({ block: 'center' })
}

/** Draws the view again with what has arrived, unless the user is typing in one of its fields. */
function redraw(): void {
  if (!(document.activeElement instanceof HTMLInputElement)) void render()
}

function signIn(message?: string): void {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': message ? 'signin-error' : undefined })
  mount(
    root,
    h('header', null, h('h1', null, 'IAM explorer')),
    h('main', { id: 'main' },
      h('form', { class: 'signin', onsubmit: (e: Event) => {
        e.preventDefault()
        token.set(input.value.trim())
        start()
      } },
        h('h2', null, 'Sign in to the proxy'),
        h('p', null, 'Paste a bearer token the proxy’s operator issued you. It stays in this tab only (sessionStorage); no AWS key ever reaches this page.'),
        message && h('p', { id: 'signin-error', class: 'error', role: 'alert' }, message),
        h('label', { for: 'token' }, 'Proxy token'),
        input,
        h('button', { type: 'submit' }, 'Sign in'),
      ),
    ),
  )
  input.focus()
}

async function start(): Promise<void> {
  mount(root, h('main', { id: 'main' }, h('p', { role: 'status' }, 'Loading the account…')))
  try {
    // marks for npm run bench:explorer: where a first render's time goes
    performance.mark('explorer:start')
    const loaded = await loadAccount()
    performance.mark('explorer:loaded')
    const analysis = readModel(loaded.account.details)
    performance.mark('explorer:read')
    const current = prepare(loaded, analysis, findings(loaded.account, analysis))
    performance.mark('explorer:findings')
    data = current
    await render()
    performance.mark('explorer:rendered')
    // after the first view: every path to admin (in a worker), then the action data's findings
    await searchPathsOffThread(analysis, loaded.account.details, PATHS_WORKER)
    if (data !== current) return
    current.findings = sortFindings([...current.findings, ...escalationFindings(analysis)])
    current.risk = riskOf(current.findings)
    performance.mark('explorer:paths')
    redraw()
    void loadActionData().then((actions) => {
      if (data !== current) return
      current.actions = actions
      current.findings = sortFindings([...current.findings, ...actionDataFindings(actions, analysis, current.attached, current.bounds)])
      current.risk = riskOf(current.findings)
      performance.mark('explorer:categories')
      redraw()
    })
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) {
      const had = token.get()
      token.clear()
      signIn(had ? 'The proxy did not accept that token.' : error.code.startsWith('Access') ? `Cloudflare Access: ${error.message}. Reload to sign in to Access again, or use a proxy token.` : undefined)
      return
    }
    mount(root, h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, `The explorer could not load the account: ${error instanceof Error ? error.message : String(error)}`)))
  }
}

window.addEventListener('hashchange', () => {
  void render().then(() => {
    // a new view: focus its heading region for screen readers and keyboard users
    document.getElementById('main')?.focus()
  })
})
void start()
