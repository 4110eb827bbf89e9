// The views that ask the evaluator: paths to admin (every path, each hop with the statements
// that grant it), who can do an action on a resource, and, on a principal's page, what it can
// actually do (by service and access level) and a "can it do this?" form.
import { type AccessLevel, type AccountPrincipal, type EscalationEntry, type EscalationHop, simulatePrincipalPolicy, whoCan } from '../src/policy/index.js'
import { locate, locateEvidence, type Matched } from './analysis.js'
import { type Child, h, mount } from './dom.js'
import { byService, effectivePermissions, LEVELS, type ServiceRow } from './effective.js'
import { entityOf, VIEW_OF } from './entity.js'
import { link, type Route, setParams } from './route.js'
import { renderTable } from './table.js'
import { unusedSection } from './unused.js'
import type { Data } from './data.js'

const nameOf = (arn: string): string => entityOf(arn)?.name ?? arn

function arnLink(data: Data, arn: string): Child {
  const e = entityOf(arn)
  if (!e || !data.analysis.model.byArn.has(arn) && e.kind !== 'policy' && e.kind !== 'group') return arn
  return h('a', { href: link(VIEW_OF[e.kind], e.kind === 'policy' ? arn : e.name) }, `${e.kind} ${e.name}`)
}

/** Statements as links to where they live. */
function statementLinks(data: Data, principal: string | undefined, matched: readonly Matched[]): Child {
  if (matched.length === 0) return 'no statement'
  return matched.map((m, i) => {
    const where = locate(data.analysis.model, principal, m)
    return [i > 0 ? ', ' : '', where.href ? h('a', { href: where.href }, where.label) : where.label]
  })
}

function hopView(data: Data, hop: EscalationHop): HTMLElement {
  return h('li', { class: 'hop' },
    h('p', null, arnLink(data, hop.Principal), ' — ', h('strong', null, hop.Method), ` (${hop.MethodId}) on `, arnLink(data, hop.Target), hop.Gains !== hop.Target ? [', gaining ', arnLink(data, hop.Gains)] : '', hop.BecomesAdmin ? ' — becomes admin' : '', hop.Conditional ? ' — conditional' : ''),
    hop.Assumes && h('p', { class: 'note' }, `Assumes ${hop.Assumes}.`),
    h('ul', null, hop.Permissions.map((p) => h('li', null, h('code', null, p.Action), ' on ', h('code', null, p.Resource), p.Conditional ? ' (conditional)' : '', ': ', statementLinks(data, hop.Principal, p.MatchedStatements)))),
  )
}

function entryView(data: Data, e: EscalationEntry): HTMLElement {
  return h('article', { 'aria-labelledby': 'title-detail' },
    h('h2', { id: 'title-detail' }, `Paths to admin: ${nameOf(e.PrincipalArn)}`),
    h('p', null, arnLink(data, e.PrincipalArn), e.IsAdmin ? ' is admin' : ` can become admin by ${e.Paths.length}${e.Truncated ? '+' : ''} path${e.Paths.length === 1 ? '' : 's'}`, e.Conditional ? ', only while conditions hold.' : '.'),
    e.IsAdmin && h('section', null, h('h3', null, 'What makes it admin'), h('p', null, statementLinks(data, e.PrincipalArn, e.AdminStatements ?? []))),
    e.Paths.length > 0 && h('ol', { class: 'paths' }, e.Paths.map((p, i) => h('li', null,
      h('h3', null, `Path ${i + 1}: ${p.Hops.length} hop${p.Hops.length === 1 ? '' : 's'}${p.Conditional ? ', conditional' : ''}`),
      h('ol', null, p.Hops.map((hop) => hopView(data, hop))),
    ))),
    h('p', null, h('a', { href: link('graph', undefined, { focus: e.PrincipalArn }) }, 'Show it in the trust graph'), ' · ', h('a', { href: link('paths') }, 'Every principal')),
  )
}

/** `#/paths`: every principal that is admin or can become admin; `#/paths/ARN`: one principal's paths. */
export function pathsView(data: Data, route: Route): HTMLElement {
  if (data.analysis.pending) return h('section', { 'aria-labelledby': 'title-paths' }, h('h2', { id: 'title-paths' }, 'Paths to admin'), h('p', { role: 'status' }, 'Finding every path to admin…'))
  if (route.id !== undefined) {
    const e = data.analysis.escalations.get(route.id)
    if (e) return entryView(data, e)
    const p = data.analysis.model.byArn.get(route.id)
    if (!p) return h('section', { 'aria-labelledby': 'title-notfound' }, h('h2', { id: 'title-notfound' }, 'Not found'), h('p', null, 'Nothing in this account matches that link.'))
    return h('article', { 'aria-labelledby': 'title-detail' }, h('h2', { id: 'title-detail' }, `Paths to admin: ${p.name}`), h('p', null, arnLink(data, p.arn), ' is not admin and has no path to admin within five hops.'))
  }
  const rows = [...data.analysis.escalations.values()]
  return renderTable<EscalationEntry>({
    title: 'Paths to admin', name: 'paths', params: route.params, rows, sort: 'kind',
    columns: [
      { key: 'principal', label: 'Principal', value: (e) => nameOf(e.PrincipalArn), link: (e) => link('paths', e.PrincipalArn) },
      { key: 'kind', label: 'Standing', value: (e) => (e.IsAdmin ? 'admin' : 'can become admin'), sortBy: (e) => (e.IsAdmin ? 1 : 0) },
      { key: 'type', label: 'Type', value: (e) => e.PrincipalType },
      { key: 'paths', label: 'Paths', value: (e) => (e.IsAdmin ? 0 : e.Paths.length) },
      { key: 'shortest', label: 'Shortest', value: (e) => e.Paths[0]?.Hops.map((x) => `${x.Method} → ${nameOf(x.Gains)}`).join(', then ') ?? '' },
      { key: 'conditional', label: 'Conditional', value: (e) => (e.Conditional ? 'yes' : 'no') },
    ],
    filters: [{ key: 'admin', label: 'Standing', options: [['yes', 'Admin'], ['no', 'Can become admin']], test: (e, v) => e.IsAdmin === (v === 'yes') }],
    text: (e) => e.PrincipalArn,
    json: (e) => e,
  })
}

/** `#/who-can?action=…&resource=…`: every principal allowed, with its statements and the conditions it rests on. */
export function whoCanView(data: Data, route: Route): HTMLElement {
  const action = route.params.get('action') ?? ''
  const resource = route.params.get('resource') ?? ''
  const actionInput = h('input', { id: 'who-action', name: 'action', value: action, required: true, autocomplete: 'off', placeholder: 's3:GetObject', 'aria-describedby': 'who-help' })
  const resourceInput = h('input', { id: 'who-resource', name: 'resource', value: resource, autocomplete: 'off', placeholder: 'arn:aws:s3:::bucket/key (empty: every resource)' })
  const answer = h('div', { 'aria-live': 'polite' })
  const form = h('form', { class: 'ask', onsubmit: (e: Event) => {
    e.preventDefault()
    setParams({ action: actionInput.value.trim() || undefined, resource: resourceInput.value.trim() || undefined })
    show(actionInput.value.trim(), resourceInput.value.trim())
  } },
    h('label', { for: 'who-action' }, 'Action'), actionInput,
    h('label', { for: 'who-resource' }, 'Resource'), resourceInput,
    h('button', { type: 'submit' }, 'Who can?'),
    h('p', { id: 'who-help', class: 'note' }, 'Every user and role is evaluated with all of its policies, its boundary and every Deny; a principal allowed only under conditions on keys the request does not give is marked conditional.'),
  )
  const show = (a: string, r: string) => {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) {
      mount(answer, a === '' ? '' : h('p', { class: 'error', role: 'alert' }, 'An action is service:Action, such as s3:GetObject.'))
      return
    }
    const result = whoCan(data.analysis.model, a, r || '*')
    mount(answer,
      h('p', null, `${result.Principals.length} principal${result.Principals.length === 1 ? '' : 's'} can ${a} on ${r || 'every resource'}.`),
      result.Principals.length > 0 && h('table', null,
        h('thead', null, h('tr', null, ['Principal', 'Conditional', 'Condition keys', 'Statements'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, result.Principals.map((p) => h('tr', null,
          h('th', { scope: 'row' }, arnLink(data, p.PrincipalArn)),
          h('td', null, p.Conditional ? 'yes' : 'no'),
          h('td', null, p.ConditionKeys.join(', ')),
          h('td', null, statementLinks(data, data.analysis.model.byArn.has(p.PrincipalArn) ? p.PrincipalArn : undefined, p.MatchedStatements)),
        ))),
      ),
    )
  }
  if (action) show(action, resource)
  return h('section', { 'aria-labelledby': 'title-who' }, h('h2', { id: 'title-who' }, 'Who can'), form, answer)
}

/** On a user's or role's page: what it can do, and the "can it do this?" form. */
export function principalTools(data: Data, arn: string): HTMLElement | undefined {
  const p = data.analysis.model.byArn.get(arn)
  if (!p) return undefined
  const entry = data.analysis.escalations.get(arn)
  return h('div', null,
    h('section', null, h('h3', null, 'Standing'),
      data.analysis.pending ? h('p', { role: 'status' }, 'Finding every path to admin…') : h('p', null, entry?.IsAdmin ? 'Admin' : entry && entry.Paths.length > 0 ? `Can become admin (${entry.Paths.length}${entry.Truncated ? '+' : ''} paths)` : 'Not admin, and no path to admin was found.', ' ', entry && h('a', { href: link('paths', arn) }, 'See how'))),
    canForm(data, p),
    effectiveSection(data, p),
    unusedSection(p.arn, p.type),
  )
}

function canForm(data: Data, p: AccountPrincipal): HTMLElement {
  const id = (x: string) => `can-${x}`
  const actionInput = h('input', { id: id('action'), required: true, autocomplete: 'off', placeholder: 'iam:PassRole' })
  const resourceInput = h('input', { id: id('resource'), autocomplete: 'off', placeholder: 'arn:… (empty: every resource)' })
  const answer = h('div', { 'aria-live': 'polite' })
  return h('section', null,
    h('h3', null, `Can this ${p.type} do…`),
    h('form', { class: 'ask', onsubmit: (e: Event) => {
      e.preventDefault()
      const action = actionInput.value.trim()
      if (!/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(action)) {
        mount(answer, h('p', { class: 'error', role: 'alert' }, 'An action is service:Action, such as iam:PassRole.'))
        return
      }
      const resource = resourceInput.value.trim() || '*'
      try {
        const r = simulatePrincipalPolicy(data.analysis.model, { PolicySourceArn: p.arn, ActionNames: [action], ResourceArns: [resource] }).EvaluationResults?.[0]
        mount(answer,
          h('p', { class: `decision decision-${r?.EvalDecision ?? 'implicitDeny'}` }, `${r?.EvalDecision ?? 'implicitDeny'}: ${action} on ${resource}`),
          h('p', null, 'Deciding statements: ', statementLinks(data, p.arn, r?.MatchedStatements ?? [])),
          (r?.MissingContextValues?.length ?? 0) > 0 && h('p', null, `Context keys the answer depends on that the request does not give: ${(r?.MissingContextValues ?? []).join(', ')}.`),
          r?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false && h('p', null, 'The permissions boundary does not allow it.'),
        )
      } catch (error) {
        mount(answer, h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)))
      }
    } },
      h('label', { for: id('action') }, 'Action'), actionInput,
      h('label', { for: id('resource') }, 'Resource'), resourceInput,
      h('button', { type: 'submit' }, 'Ask'),
    ),
    answer,
  )
}

function effectiveSection(data: Data, p: AccountPrincipal): HTMLElement {
  const title = h('h3', null, 'Effective permissions')
  if (data.analysis.escalations.get(p.arn)?.IsAdmin) return h('section', null, title, h('p', null, 'Admin: every action of every service, on every resource (', h('a', { href: link('paths', p.arn) }, 'what makes it so'), ').'))
  if (!data.actions) return h('section', null, title, h('p', { role: 'status' }, 'Loading the action data (access levels)…'))
  const actions = data.actions
  const services = byService(actions, effectivePermissions(actions, data.analysis.model, p))
  if (services.length === 0) return h('section', null, title, h('p', null, 'None: no action is allowed, after the boundary and every Deny.'))
  const cell = (s: ServiceRow, level: AccessLevel): string => {
    const l = s.levels.get(level)
    if (!l || l.allowed === 0) return '—'
    const extra = [l.somewhere > 0 ? `${l.somewhere} on named resources only` : '', l.conditional > 0 ? `${l.conditional} conditional` : ''].filter(Boolean).join(', ')
    return `${l.allowed === l.of ? `all ${l.of}` : `${l.allowed} of ${l.of}`}${extra ? ` (${extra})` : ''}`
  }
  const granted = (s: ServiceRow): string => [...new Set(s.evidence.map((e) => locateEvidence(data.analysis.model, p.arn, e).label))].join(', ')
  const table = renderTable<ServiceRow>({
    title: 'Services', name: 'effective', params: new URLSearchParams(), rows: services,
    columns: [
      { key: 'service', label: 'Service', value: (s) => s.service },
      ...LEVELS.map((level) => ({ key: level, label: level, value: (s: ServiceRow) => cell(s, level), sortBy: (s: ServiceRow) => -(s.levels.get(level)?.allowed ?? 0) })),
      { key: 'granted', label: 'Granted by', value: granted },
    ],
    text: (s) => s.rows.flatMap((r) => [...r.everywhere, ...r.somewhere.keys()]).join(' '),
    json: (s) => ({ service: s.service, levels: Object.fromEntries(s.rows.map((r) => [r.level, { everywhere: r.everywhere, somewhere: Object.fromEntries(r.somewhere), conditional: [...r.conditional] }])), grantedBy: granted(s) }),
  })
  return h('section', null,
    title,
    h('p', null, 'By service and access level, after every policy, the boundary and every Deny: how many of the service’s actions are allowed, and how many only on the resources their statements name. Search finds an action by name.'),
    table,
    h('p', { class: 'note' }, `Access levels from AWS's Service Authorization Reference (${actions.date}). The statements behind an action: ask below.`),
  )
}
