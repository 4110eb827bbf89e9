// Test-only tools over runtime shapes: random values that satisfy a shape, the XML an AWS Query
// service would send for them, and the inverse of the Query serializer.
import fc from 'fast-check'
import { resolveShape, type Shape, type StructureShape } from '../../src/query/shapes.js'

const char = fc.constantFrom(...'abcXYZ019 -_./:@+=,&<>"\'%{}é日'.split(''), '🙂')

export function valueOf(shape: Shape, depth = 0): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case 'structure': {
      const members: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [name, member] of Object.entries(shape.members)) members[name] = depth > 6 ? fc.constant(undefined) : valueOf(resolveShape(member), depth + 1)
      const required = new Set(shape.required ?? [])
      return fc.record(members, { requiredKeys: [...required].filter((k) => k in members) }).map((v) => {
        const out: Record<string, unknown> = {}
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = x
        return out
      })
    }
    case 'list':
      if (depth > 5) return fc.constant([])
      return fc.array(valueOf(resolveShape(shape.member), depth + 1), { minLength: shape.min ?? 0, maxLength: Math.min(shape.max ?? 3, 3) })
    case 'map':
      return fc.dictionary(fc.string({ unit: fc.constantFrom(...'abcdef'.split('')), minLength: 1, maxLength: 6 }), valueOf(resolveShape(shape.value), depth + 1), { maxKeys: 3 })
    case 'string':
      if (shape.enum) return fc.constantFrom(...shape.enum)
      return fc.array(char, { minLength: shape.min ?? 0, maxLength: Math.min(shape.max ?? 24, (shape.min ?? 0) + 24) }).map((chars) => chars.join(''))
    case 'integer':
    case 'long':
      return fc.integer({ min: shape.min ?? -1e6, max: shape.max ?? 1e6 })
    case 'float':
    case 'double':
      return fc.integer({ min: -1000, max: 1000 }).map((n) => n / 4)
    case 'boolean':
      return fc.boolean()
    case 'timestamp':
      return fc.integer({ min: 0, max: 4102444800000 }).map((ms) => new Date(ms))
    case 'blob':
      return fc.uint8Array({ maxLength: 16 })
  }
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The XML element an AWS Query service writes for `value` of `shape`. */
export function toXml(name: string, shape: Shape, value: unknown): string {
  switch (shape.kind) {
    case 'structure': {
      const v = value as Record<string, unknown>
      let inner = ''
      for (const [member, s] of Object.entries(shape.members)) if (v[member] !== undefined) inner += toXml(member, resolveShape(s), v[member])
      return `<${name}>${inner}</${name}>`
    }
    case 'list': {
      const member = resolveShape(shape.member)
      return `<${name}>${(value as unknown[]).map((item) => toXml(shape.memberName ?? 'member', member, item)).join('')}</${name}>`
    }
    case 'map':
      return `<${name}>${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `<entry><key>${escape(k)}</key>${toXml('value', resolveShape(shape.value), v)}</entry>`)
        .join('')}</${name}>`
    case 'timestamp':
      return `<${name}>${(value as Date).toISOString()}</${name}>`
    case 'blob': {
      let binary = ''
      for (const b of value as Uint8Array) binary += String.fromCharCode(b)
      return `<${name}>${btoa(binary)}</${name}>`
    }
    case 'string':
      // IAM percent-encodes policy documents
      return `<${name}>${escape(shape.urlEncoded ? encodeURIComponent(value as string) : (value as string))}</${name}>`
    default:
      return `<${name}>${String(value)}</${name}>`
  }
}

/** Rebuilds a typed input from Query parameters: the serializer's inverse, for round trips. */
export function fromQuery(shape: StructureShape, params: URLSearchParams): Record<string, unknown> {
  const flat = new Map([...params].filter(([k]) => k !== 'Action' && k !== 'Version'))
  return readStructure(shape, '', flat)
}

function readStructure(shape: StructureShape, prefix: string, flat: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(shape.members)) {
    const v = read(resolveShape(member), `${prefix}${name}`, flat)
    if (v !== undefined) out[name] = v
  }
  return out
}

function read(shape: Shape, key: string, flat: Map<string, string>): unknown {
  const has = (p: string) => [...flat.keys()].some((k) => k === p || k.startsWith(`${p}.`))
  switch (shape.kind) {
    case 'structure':
      return has(key) ? readStructure(shape, `${key}.`, flat) : undefined
    case 'list': {
      if (flat.get(key) === '') return []
      const base = `${key}.${shape.memberName ?? 'member'}`
      const out: unknown[] = []
      for (let i = 1; has(`${base}.${i}`); i++) out.push(read(resolveShape(shape.member), `${base}.${i}`, flat))
      return out.length > 0 ? out : undefined
    }
    case 'map': {
      const out: Record<string, unknown> = {}
      for (let i = 1; has(`${key}.entry.${i}`); i++) out[flat.get(`${key}.entry.${i}.key`) as string] = read(resolveShape(shape.value), `${key}.entry.${i}.value`, flat)
      return Object.keys(out).length > 0 ? out : undefined
    }
    default: {
      const v = flat.get(key)
      if (v === undefined) return undefined
      switch (shape.kind) {
        case 'integer':
        case 'long':
        case 'float':
        case 'double':
          return Number(v)
        case 'boolean':
          return v === 'true'
        case 'timestamp':
          return new Date(v)
        case 'blob':
          return Uint8Array.from(atob(v), (c) => c.charCodeAt(0))
        default:
          return v
      }
    }
  }
}
