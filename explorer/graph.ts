// The trust graph: who may assume which role, from the roles' trust policies, laid out by dagre
// (a well-kept layered-graph layout; loaded only when this view opens, its own chunk). Principals
// (users, roles, the account, other accounts, AWS services, SAML/OIDC providers, `*`) point at
// the roles they may assume. Trust of `*` and trust of another account without sts:ExternalId are
// drawn in the warning colour. Zoom and pan with the buttons, the wheel, dragging or the keys;
// every node is a link (Tab reaches it, Enter opens the role).
import { Graph, layout } from '@dagrejs/dagre'
import { h, svg } from './dom.js'
import { accountIdOf, hasExternalId, principalAccount, trustedPrincipals } from './findings.js'
import { decodeDocument, statements } from './model.js'
import { link } from './route.js'
import type { Data } from './views.js'

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
      const externalId = hasExternalId(st)
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
          else if (roleByArn.has(p.id)) node = nodes.get(p.id) ?? { id: p.id, label: p.id.split('/').pop() ?? p.id, kind: 'role', href: link('roles', p.id.split('/').pop() ?? p.id) }
          else node = { id: p.id, label: p.id.split('/').pop() ?? p.id, kind: 'user', ...(p.id.includes(':user/') ? { href: link('users', p.id.split('/').pop() ?? p.id) } : {}) }
        }
        if (!nodes.has(node.id)) nodes.set(node.id, node)
        edges.push({ from: node.id, to: roleId, risky, ...(why ? { why } : {}) })
      }
    }
  }
  return { nodes, edges }
}

export function trustGraph(data: Data): HTMLElement {
  const { nodes, edges } = trustEdges(data)
  const g = new Graph({ multigraph: true })
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 80, marginx: 10, marginy: 10 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const n of nodes.values()) g.setNode(n.id, { width: Math.max(60, n.label.length * charWidth + 20), height: NODE_H })
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
    const path = svg('path', { d, class: e.risky ? 'edge risky' : 'edge', 'marker-end': e.risky ? 'url(#arrow-risky)' : 'url(#arrow)' })
    if (e.why) path.appendChild(svg('title', {}, `${nodes.get(e.from)?.label} → ${nodes.get(e.to)?.label}: ${e.why}`))
    scene.appendChild(path)
  })
  for (const n of nodes.values()) {
    const pos = g.node(n.id)
    const w = pos.width
    const group = svg('g', { class: `node node-${n.kind}`, transform: `translate(${(pos.x - w / 2).toFixed(1)},${(pos.y - NODE_H / 2).toFixed(1)})` }, svg('rect', { width: w, height: NODE_H, rx: 5 }), svg('text', { x: w / 2, y: NODE_H / 2 + 4, 'text-anchor': 'middle' }, n.label))
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
  // a group, not an image: its nodes are links
  const canvas = svg('svg', { class: 'graph', role: 'group', 'aria-label': `Trust graph: ${nodes.size} principals and roles, ${edges.length} trust relations, ${edges.filter((e) => e.risky).length} risky`, viewBox: `0 0 ${width} ${height}`, tabindex: 0 }, defs, scene)

  // zoom and pan by moving the viewBox
  let view = { x: 0, y: 0, w: width, h: height }
  const apply = () => canvas.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`)
  const zoom = (factor: number) => {
    const cx = view.x + view.w / 2
    const cy = view.y + view.h / 2
    view = { w: view.w * factor, h: view.h * factor, x: cx - (view.w * factor) / 2, y: cy - (view.h * factor) / 2 }
    apply()
  }
  const pan = (dx: number, dy: number) => {
    view = { ...view, x: view.x + dx * view.w, y: view.y + dy * view.h }
    apply()
  }
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault()
    zoom((e as WheelEvent).deltaY > 0 ? 1.15 : 1 / 1.15)
  }, { passive: false })
  let drag: { x: number; y: number } | undefined
  canvas.addEventListener('pointerdown', (e) => {
    if ((e.target as Element).closest('a')) return
    drag = { x: e.clientX, y: e.clientY }
  })
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return
    const rect = canvas.getBoundingClientRect()
    pan(-(e.clientX - drag.x) / rect.width, -(e.clientY - drag.y) / rect.height)
    drag = { x: e.clientX, y: e.clientY }
  })
  canvas.addEventListener('pointerup', () => (drag = undefined))
  canvas.addEventListener('keydown', (e) => {
    const keys: Record<string, () => void> = { '+': () => zoom(1 / 1.25), '=': () => zoom(1 / 1.25), '-': () => zoom(1.25), ArrowLeft: () => pan(-0.1, 0), ArrowRight: () => pan(0.1, 0), ArrowUp: () => pan(0, -0.1), ArrowDown: () => pan(0, 0.1), '0': () => { view = { x: 0, y: 0, w: width, h: height }; apply() } }
    const act = keys[e.key]
    if (act && e.target === canvas) {
      e.preventDefault()
      act()
    }
  })

  const risky = edges.filter((e) => e.risky)
  return h('section', { 'aria-labelledby': 'title-graph' },
    h('h2', { id: 'title-graph' }, 'Trust graph'),
    h('p', null, `${nodes.size} principals and roles, ${edges.length} trust relations. Arrows point from who may assume to the role. `, h('span', { class: 'risky-key' }, 'Red'), ': trust of anyone, or of another account without an external id.'),
    h('div', { class: 'tools' },
      h('button', { type: 'button', onclick: () => zoom(1 / 1.25) }, 'Zoom in'),
      h('button', { type: 'button', onclick: () => zoom(1.25) }, 'Zoom out'),
      h('button', { type: 'button', onclick: () => { view = { x: 0, y: 0, w: width, h: height }; apply() } }, 'Reset view'),
      h('span', { class: 'hint' }, 'Focus the graph to pan with the arrow keys and zoom with + and −.'),
    ),
    h('div', { class: 'graph-frame' }, canvas),
    section(risky),
  )

  function section(list: typeof risky): HTMLElement {
    return h('section', null, h('h3', null, `Risky trust (${list.length})`), list.length === 0 ? h('p', null, 'None.') : h('ul', null, list.map((e) => {
      const role = nodes.get(e.to)
      return h('li', null, `${nodes.get(e.from)?.label} → `, role?.href ? h('a', { href: role.href }, role.label) : (role?.label ?? e.to), `: ${e.why}`)
    })))
  }
}
