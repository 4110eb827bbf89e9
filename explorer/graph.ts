// The trust graph: who may assume which role, from the roles' trust policies, laid out by dagre
// (a well-kept layered-graph layout; loaded only when this view opens, its own chunk). Principals
// (users, roles, the account, other accounts, AWS services, SAML/OIDC providers, `*`) point at
// the roles they may assume. Trust of `*` and trust of another account without sts:ExternalId are
// drawn in the warning colour. Zoom and pan with the buttons, the wheel, dragging or the keys;
// every node is a link (Tab reaches it, Enter opens the role).
import { Graph, layout } from '@dagrejs/dagre'
import { h, svg } from './dom.js'
import { accountIdOf, externalIdGuard, orgGuarded, principalAccount, trustedPrincipals } from './findings.js'
import { decodeDocument, statements } from './model.js'
import { entityOf, VIEW_OF } from './entity.js'
import { link, type Route } from './route.js'
import type { Data } from './data.js'

interface NodeInfo {
  id: string
  label: string
  kind: 'role' | 'user' | 'account' | 'other-account' | 'service' | 'federated' | 'anyone'
  href?: string
}

const NODE_H = 30
const charWidth = 7.2

/** Nodes and edges of the trust graph, from the roles' trust policies. */
function trustEdges(data: Data): { nodes: Map<string, NodeInfo>; edges: Array<{ from: string; to: string; risky: boolean; why?: string }> } {
  const self = accountIdOf(data.account)
  const nodes = new Map<string, NodeInfo>()
  const edges: Array<{ from: string; to: string; risky: boolean; why?: string }> = []
  const roleByArn = new Map((data.account.details.RoleDetailList ?? []).map((r) => [r.Arn, r]))
  for (const role of data.account.details.RoleDetailList ?? []) {
    const roleId = role.Arn
    nodes.set(roleId, { id: roleId, label: role.RoleName, kind: 'role', href: link('roles', role.RoleName) })
    for (const st of statements(decodeDocument(role.AssumeRolePolicyDocument))) {
      if (st.Effect !== 'Allow') continue
      const externalId = externalIdGuard(st) || orgGuarded(st)
      for (const p of trustedPrincipals(st)) {
        let node: NodeInfo
        let risky = false
        let why: string | undefined
        if (p.kind === '*') {
          node = { id: '*', label: 'anyone (*)', kind: 'anyone' }
          risky = true
          why = 'trusts anyone'
        } else if (p.kind === 'Service') node = { id: p.id, label: p.id, kind: 'service' }
        else if (p.kind === 'Federated') node = { id: p.id, label: p.id.split('/').pop() ?? p.id, kind: 'federated' }
        else {
          const account = principalAccount(p.id)
          if (account && account !== self) {
            node = { id: `account:${account}`, label: `account ${account}`, kind: 'other-account' }
            if (!externalId) {
              risky = true
              why = 'another account, no external id'
            }
          } else if (/:root$/.test(p.id) || /^\d{12}$/.test(p.id)) node = { id: `account:${account}`, label: 'this account', kind: 'account' }
          else {
            const en = entityOf(p.id)
            const label = en?.name ?? p.id
            if (roleByArn.has(p.id)) node = nodes.get(p.id) ?? { id: p.id, label, kind: 'role', href: link('roles', label) }
            else node = { id: p.id, label, kind: 'user', ...(en?.kind === 'user' ? { href: link('users', en.name) } : {}) }
          }
        }
        if (!nodes.has(node.id)) nodes.set(node.id, node)
        edges.push({ from: node.id, to: roleId, risky, ...(why ? { why } : {}) })
      }
    }
  }
  return { nodes, edges }
}

/** Principals and roles within `depth` trust relations of `focus`, at most `max` of them (nearest first). */
function neighbourhood(edges: ReadonlyArray<{ from: string; to: string }>, focus: string, depth: number, max: number): { ids: Set<string>; more: number } {
  const near = new Map<string, Set<string>>()
  const link_ = (a: string, b: string) => near.set(a, (near.get(a) ?? new Set()).add(b))
  for (const e of edges) {
    link_(e.from, e.to)
    link_(e.to, e.from)
  }
  const ids = new Set([focus])
  let frontier = [focus]
  let more = 0
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = []
    for (const id of frontier) {
      for (const n of near.get(id) ?? []) {
        if (ids.has(n)) continue
        if (ids.size >= max) {
          more++
          continue
        }
        ids.add(n)
        next.push(n)
      }
    }
    frontier = next
  }
  return { ids, more }
}

/** Accounts up to this many nodes are drawn whole; larger ones around one principal at a time. */
const WHOLE = 60

/**
 * The trust graph, drawn at its natural size in a scrolling frame (labels stay 12 px whatever
 * the account's size): the whole account when it is small, else the neighbourhood of the
 * principal in `?focus=` (a search box picks it), with that principal's paths to admin drawn
 * as escalation edges.
 */
export function trustGraph(data: Data, route: Route): HTMLElement {
  const all = trustEdges(data)
  const focusId = route.params.get('focus') ?? undefined
  // escalation hops of the focused principal: actor → what it gains, named by the method
  const entry = focusId === undefined ? undefined : data.analysis.escalations.get(focusId)
  const hops = (entry?.Paths ?? []).slice(0, 10).flatMap((p) => p.Hops)
  const escalationEdges = [...new Map(hops.filter((x) => x.Principal !== x.Gains).map((x) => [`${x.Principal}\n${x.Gains}`, { from: x.Principal, to: x.Gains, risky: true, escalation: true, why: `${x.Method} (${x.MethodId})` }])).values()]
  const nodes = new Map(all.nodes)
  for (const e of escalationEdges) {
    for (const id of [e.from, e.to]) {
      if (nodes.has(id)) continue
      const en = entityOf(id)
      nodes.set(id, { id, label: en?.name ?? id, kind: en?.kind === 'role' ? 'role' : 'user', ...(en && en.kind !== 'policy' ? { href: link(VIEW_OF[en.kind], en.name) } : {}) })
    }
  }
  const focused = focusId === undefined ? undefined : data.analysis.model.byArn.get(focusId)
  if (focused && !nodes.has(focused.arn)) nodes.set(focused.arn, { id: focused.arn, label: focused.name, kind: focused.type, href: link(VIEW_OF[focused.type], focused.name) })
  let shown: Set<string>
  let more = 0
  if (focusId !== undefined && nodes.has(focusId)) {
    const n = neighbourhood([...all.edges, ...escalationEdges], focusId, 2, WHOLE)
    shown = n.ids
    more = n.more
    for (const e of escalationEdges) {
      shown.add(e.from)
      shown.add(e.to)
    }
  } else shown = nodes.size <= WHOLE ? new Set(nodes.keys()) : new Set()
  const edges = [...all.edges.map((e) => ({ ...e, escalation: false })), ...escalationEdges].filter((e) => shown.has(e.from) && shown.has(e.to))
  const risky = all.edges.filter((e) => e.risky)

  const search = h('input', { id: 'graph-focus', type: 'search', list: 'graph-nodes', autocomplete: 'off', value: focusId === undefined ? '' : (nodes.get(focusId)?.label ?? focusId), 'aria-describedby': 'graph-help' })
  // what the search box can pick: every user and role of the account, and the graph's other nodes
  const pickable = new Map<string, { id: string; label: string }>()
  for (const p of [...data.analysis.model.users, ...data.analysis.model.roles]) pickable.set(p.arn, { id: p.arn, label: p.name })
  for (const n of nodes.values()) if (!pickable.has(n.id)) pickable.set(n.id, { id: n.id, label: n.label })
  const options = h('datalist', { id: 'graph-nodes' }, [...pickable.values()].map((n) => h('option', { value: n.label }, n.id)))
  const form = h('form', { class: 'tools', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault()
    const text = search.value.trim()
    const all_ = [...pickable.values()]
    const found = pickable.get(text) ?? all_.find((n) => n.label === text) ?? all_.find((n) => n.label.toLowerCase().includes(text.toLowerCase()))
    location.hash = link('graph', undefined, found ? { focus: found.id } : {})
  } },
    h('label', { for: 'graph-focus' }, 'Principal or role'), search, options,
    h('button', { type: 'submit' }, 'Show its neighbourhood'),
  )

  const intro = h('p', { id: 'graph-help' }, `${nodes.size} principals and roles, ${all.edges.length} trust relations in the account. Arrows point from who may assume to the role; `, h('span', { class: 'risky-key' }, 'red'), ': trust of anyone, or of another account without an external id; dashed: a step of a path to admin.')
  const heading = h('h2', { id: 'title-graph' }, 'Trust graph')
  if (shown.size === 0) {
    return h('section', { 'aria-labelledby': 'title-graph' }, heading, intro, form,
      h('p', null, `This account has more than ${WHOLE} principals and roles: choose one to draw its neighbourhood, or start from a risky one below.`),
      riskySection(risky, nodes))
  }

  const g = new Graph({ multigraph: true })
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 90, marginx: 12, marginy: 12 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const id of shown) {
    const n = nodes.get(id)
    if (n) g.setNode(id, { width: Math.max(60, n.label.length * charWidth + 20), height: NODE_H })
  }
  edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, String(i)))
  layout(g)
  const size = g.graph()
  const width = Math.max(200, size.width ?? 200)
  const height = Math.max(100, size.height ?? 100)

  const scene = svg('g')
  edges.forEach((e, i) => {
    const points = g.edge({ v: e.from, w: e.to, name: String(i) })?.points ?? []
    if (points.length === 0) return
    const d = points.map((p: { x: number; y: number }, j: number) => `${j ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')
    const path = svg('path', { d, class: `edge${e.risky ? ' risky' : ''}${e.escalation ? ' escalation' : ''}`, 'marker-end': e.risky ? 'url(#arrow-risky)' : 'url(#arrow)' })
    if (e.why) path.appendChild(svg('title', {}, `${nodes.get(e.from)?.label} → ${nodes.get(e.to)?.label}: ${e.why}`))
    scene.appendChild(path)
  })
  // nodes after edges: a node is drawn over any edge that passes near it
  for (const id of shown) {
    const n = nodes.get(id)
    if (!n) continue
    const pos = g.node(id)
    const w = pos.width
    const group = svg('g', { class: `node node-${n.kind}${id === focusId ? ' focus' : ''}`, transform: `translate(${(pos.x - w / 2).toFixed(1)},${(pos.y - NODE_H / 2).toFixed(1)})` }, svg('rect', { width: w, height: NODE_H, rx: 5 }), svg('text', { x: w / 2, y: NODE_H / 2 + 4, 'text-anchor': 'middle' }, n.label))
    if (n.href) {
      const a = svg('a', { href: n.href, 'aria-label': `${n.kind} ${n.label}` })
      a.appendChild(group)
      scene.appendChild(a)
    } else scene.appendChild(group)
  }
  const defs = svg('defs', {},
    svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' })),
    svg('marker', { id: 'arrow-risky', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow risky' })),
  )
  // a group, not an image: its nodes are links. Drawn at its natural size (scale 1: 12 px labels); the frame scrolls.
  let scale = 1
  const canvas = svg('svg', { class: 'graph', role: 'group', 'aria-label': `Trust graph: ${shown.size} principals and roles, ${edges.length} relations, ${edges.filter((e) => e.risky).length} risky`, viewBox: `0 0 ${width} ${height}`, width, height }, defs, scene)
  const setScale = (next: number) => {
    scale = Math.min(2, Math.max(0.75, next))
    canvas.setAttribute('width', String(Math.round(width * scale)))
    canvas.setAttribute('height', String(Math.round(height * scale)))
  }
  setScale(1)
  const frame = h('div', { class: 'graph-frame', tabindex: 0, role: 'region', 'aria-label': 'Trust graph drawing (scroll with the arrow keys)' }, canvas)
  frame.addEventListener('keydown', (e) => {
    if (e.target !== frame) return
    if (e.key === '+' || e.key === '=') setScale(scale * 1.25)
    else if (e.key === '-') setScale(scale / 1.25)
    else if (e.key === '0') setScale(1)
    else return
    e.preventDefault()
  })

  return h('section', { 'aria-labelledby': 'title-graph' },
    heading, intro, form,
    focusId !== undefined && h('p', null, `The neighbourhood of ${nodes.get(focusId)?.label ?? focusId}: ${shown.size} principals and roles within two relations${more > 0 ? `, ${more} more not drawn` : ''}. `, h('a', { href: link('graph') }, 'Clear')),
    h('div', { class: 'tools' },
      h('button', { type: 'button', onclick: () => setScale(scale * 1.25) }, 'Zoom in'),
      h('button', { type: 'button', onclick: () => setScale(scale / 1.25) }, 'Zoom out'),
      h('button', { type: 'button', onclick: () => setScale(1) }, 'Actual size'),
      h('span', { class: 'hint' }, 'Focus the drawing to scroll with the arrow keys and zoom with + and −.'),
    ),
    frame,
    riskySection(risky, nodes),
  )
}

function riskySection(list: ReadonlyArray<{ from: string; to: string; why?: string }>, nodes: ReadonlyMap<string, NodeInfo>): HTMLElement {
  return h('section', null, h('h3', null, `Risky trust (${list.length})`), list.length === 0 ? h('p', null, 'None.') : h('ul', null, list.map((e) => {
    const role = nodes.get(e.to)
    return h('li', null, `${nodes.get(e.from)?.label} → `, role?.href ? h('a', { href: role.href }, role.label) : (role?.label ?? e.to), `: ${e.why} `, h('a', { href: link('graph', undefined, { focus: e.to }) }, '(draw)'))
  })))
}
