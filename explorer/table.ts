// A table view: a search box, sortable columns, filters, counts, pages of 100 rows, each row
// linking to its detail, and CSV / JSON export of what the filters select. Typing re-renders the
// rows only (a keystroke must stay well under 50 ms on 2,000 rows), and the state lives in the
// URL so the view can be shared as a link.
import { h, mount } from './dom.js'
import { download, toCsv } from './export.js'
import { setParams } from './route.js'

export interface Column<T> {
  key: string
  label: string
  value: (row: T) => string | number
  /** what sorting compares, when not the value shown */
  sortBy?: (row: T) => string | number
  /** the cell links here (a #/… route) */
  link?: (row: T) => string
}

export interface Filter<T> {
  key: string
  label: string
  options: ReadonlyArray<readonly [value: string, label: string]>
  test: (row: T, value: string) => boolean
}

export interface TableSpec<T> {
  title: string
  /** the route of the view (for export names and links) */
  name: string
  rows: readonly T[]
  columns: ReadonlyArray<Column<T>>
  filters?: ReadonlyArray<Filter<T>>
  /** what the search box matches beside every column's value (lowercased once) */
  text: (row: T) => string
  /** what JSON export writes for a row */
  json: (row: T) => unknown
  params: URLSearchParams
  /** the column sorted by at first (default: the first) */
  sort?: string
}

const PAGE = 100

export function renderTable<T>(spec: TableSpec<T>): HTMLElement {
  const { params, columns } = spec
  // the search matches every visible column, and what `text` adds (ARNs and the like)
  const haystack = spec.rows.map((row) => `${spec.text(row)}\n${columns.map((c) => String(c.value(row))).join('\n')}`.toLowerCase())
  let query = params.get('q') ?? ''
  const initialSort = spec.sort ?? columns[0]?.key ?? ''
  let sort = params.get('sort') ?? initialSort
  let dir = params.get('dir') === 'desc' ? -1 : 1
  let page = Math.max(0, Number(params.get('page') ?? 1) - 1 || 0)
  const filterValues = new Map((spec.filters ?? []).map((f) => [f.key, params.get(f.key) ?? '']))

  const tbody = h('tbody')
  const count = h('p', { class: 'count', 'aria-live': 'polite' })
  const pager = h('div', { class: 'pager' })
  const headRow = h('tr')

  const selected = (): T[] => {
    const q = query.trim().toLowerCase()
    const out: T[] = []
    spec.rows.forEach((row, i) => {
      if (q && !(haystack[i] as string).includes(q)) return
      for (const f of spec.filters ?? []) {
        const v = filterValues.get(f.key)
        if (v && !f.test(row, v)) return
      }
      out.push(row)
    })
    const col = columns.find((c) => c.key === sort)
    if (col) {
      out.sort((a, b) => {
        const key = col.sortBy ?? col.value
        const x = key(a)
        const y = key(b)
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir
      })
    }
    return out
  }

  const sync = () => {
    const next: Record<string, string | undefined> = { q: query || undefined, sort: sort === initialSort ? undefined : sort, dir: dir === -1 ? 'desc' : undefined, page: page > 0 ? String(page + 1) : undefined }
    for (const [k, v] of filterValues) next[k] = v || undefined
    setParams(next)
  }

  const renderHead = () => {
    mount(
      headRow,
      columns.map((c) =>
        h(
          'th',
          { scope: 'col', 'aria-sort': c.key === sort ? (dir === 1 ? 'ascending' : 'descending') : undefined },
          h('button', { type: 'button', class: 'sort', onclick: () => {
            dir = c.key === sort ? -dir : 1
            sort = c.key
            page = 0
            renderHead()
            renderRows()
            sync()
          } }, c.label, c.key === sort ? (dir === 1 ? ' ▲' : ' ▼') : ''),
        ),
      ),
    )
  }

  const renderRows = () => {
    const rows = selected()
    const pages = Math.max(1, Math.ceil(rows.length / PAGE))
    page = Math.min(page, pages - 1)
    const shown = rows.slice(page * PAGE, page * PAGE + PAGE)
    mount(tbody, shown.map((row) => h('tr', null, columns.map((c, i) => {
      const v = c.value(row)
      const content = c.link ? h('a', { href: c.link(row) }, String(v)) : String(v)
      return i === 0 ? h('th', { scope: 'row' }, content) : h('td', null, content)
    }))))
    mount(count, rows.length === 0 ? `No ${spec.title.toLowerCase()} match.` : `${rows.length === spec.rows.length ? '' : `${rows.length.toLocaleString('en-US')} of `}${spec.rows.length.toLocaleString('en-US')} ${spec.title.toLowerCase()}${pages > 1 ? `, page ${page + 1} of ${pages}` : ''}`)
    mount(
      pager,
      pages > 1 && h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; renderRows(); sync() } }, 'Previous page'),
      pages > 1 && h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => { page++; renderRows(); sync() } }, 'Next page'),
    )
  }

  const search = h('input', { id: `search-${spec.name}`, type: 'search', value: query, autocomplete: 'off', oninput: (e: Event) => {
    query = (e.target as HTMLInputElement).value
    page = 0
    renderRows()
    sync()
  } })

  const filters = (spec.filters ?? []).map((f) =>
    h('span', { class: 'filter' },
      h('label', { for: `filter-${spec.name}-${f.key}` }, f.label),
      h('select', { id: `filter-${spec.name}-${f.key}`, onchange: (e: Event) => {
        filterValues.set(f.key, (e.target as HTMLSelectElement).value)
        page = 0
        renderRows()
        sync()
      } }, h('option', { value: '' }, 'All'), f.options.map(([value, label]) => h('option', { value, selected: filterValues.get(f.key) === value }, label))),
    ),
  )

  const exportCsv = () => download(`${spec.name}.csv`, 'text/csv', toCsv([columns.map((c) => c.label), ...selected().map((row) => columns.map((c) => String(c.value(row))))]))
  const exportJson = () => download(`${spec.name}.json`, 'application/json', JSON.stringify(selected().map(spec.json), null, 2))

  renderHead()
  renderRows()
  return h('section', { 'aria-labelledby': `title-${spec.name}` },
    h('h2', { id: `title-${spec.name}` }, spec.title),
    h('div', { class: 'tools' },
      h('span', { class: 'filter' }, h('label', { for: `search-${spec.name}` }, 'Search'), search),
      filters,
      h('button', { type: 'button', onclick: exportCsv }, 'Export CSV'),
      h('button', { type: 'button', onclick: exportJson }, 'Export JSON'),
    ),
    count,
    h('div', { class: 'scroll' }, h('table', null, h('thead', null, headRow), tbody)),
    pager,
  )
}
