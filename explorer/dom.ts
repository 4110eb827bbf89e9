// The explorer's whole rendering layer: elements built with createElement, every string set as a
// text node or an attribute value, never parsed as HTML. That makes an IAM string such as a
// role description `<img src=x onerror=alert(1)>` show as those characters by construction, and
// it costs a few hundred bytes where a UI library would cost kilobytes (the first view's budget
// is 80 KB; this leaves it almost all for data).

export type Child = Node | string | number | null | undefined | false | Child[]
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue
      if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value)
      else if (name === 'href' && typeof value === 'string' && !/^(#|\/|\?)/.test(value)) throw new Error(`refusing a non-local link: ${value}`)
      else el.setAttribute(name, value === true ? '' : String(value))
    }
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

/** Replaces an element's content. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

/** An SVG element (the trust graph), attributes as given. */
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Array<SVGElement | string>): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag)
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value))
  for (const child of children) el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  return el as SVGElement
}
