// The explorer: sign in (a proxy token kept in sessionStorage, or nothing behind Cloudflare
// Access), load the account once, then render the view the URL names.
import { ApiError, token } from './api.js'
import { h, mount } from './dom.js'
import { findings } from './findings.js'
import { loadAccount } from './load.js'
import { currentRoute, link, type Route } from './route.js'
import { type Data, findingsView, groupDetail, groups, overview, policies, policyDetail, prepare, roleDetail, roles, userDetail, users } from './views.js'

const NAV: ReadonlyArray<readonly [view: string, label: string]> = [
  ['', 'Overview'],
  ['users', 'Users'],
  ['roles', 'Roles'],
  ['groups', 'Groups'],
  ['policies', 'Policies'],
  ['graph', 'Trust graph'],
  ['findings', 'Findings'],
]

// each entity: its table, and its detail view by name (ARN for policies)
// (a Map: the view comes from the URL, and `#/constructor` must not find Object's)
const ENTITY_VIEWS = new Map<string, readonly [(data: Data, r: Route) => HTMLElement, (data: Data, id: string) => HTMLElement]>([
  ['users', [users, userDetail]],
  ['roles', [roles, roleDetail]],
  ['groups', [groups, groupDetail]],
  ['policies', [policies, policyDetail]],
])

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
      token.get() && h('button', { type: 'button', class: 'signout', onclick: () => { token.clear(); data = undefined; start() } }, 'Sign out'),
    ),
    h('nav', { 'aria-label': 'Views' }, h('ul', null, NAV.map(([view, label]) => h('li', null, h('a', { href: link(view), 'aria-current': r.view === view ? 'page' : undefined }, label))))),
    h('main', { id: 'main', tabindex: -1 }, main),
  )
}

async function render(): Promise<void> {
  if (!data) return
  const r = currentRoute()
  let view: HTMLElement
  const entity = ENTITY_VIEWS.get(r.view)
  if (entity) view = r.id === undefined ? entity[0](data, r) : entity[1](data, r.id)
  else if (r.view === 'findings') view = findingsView(data, r)
  else if (r.view === 'graph') {
    shell(h('p', { role: 'status' }, 'Laying out the trust graph…'))
    const { trustGraph } = await import('./graph.js')
    view = trustGraph(data)
  } else view = overview(data)
  shell(view)
  document.title = `${view.querySelector('h2')?.textContent ?? 'Overview'} · IAM explorer`
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
    const loaded = await loadAccount()
    data = prepare(loaded.account, loaded.missing, findings(loaded.account))
    await render()
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
