import { toBase64 } from './base64.js'
import { ValidationError } from './errors.js'
import { type ListShape, type MapShape, type Operation, resolveShape, type ScalarShape, type Shape, type StructureShape } from './shapes.js'

/**
 * The Query-protocol form of an operation's input: Action, Version, then members by the model's
 * rules (`A.B` for nested structures, `Name.member.N` for lists, `Name.entry.N.key/value` for maps,
 * an empty list as `Name=`). Input is checked against the model first: required members,
 * lengths, ranges, enums, unknown members — each refusal a ValidationError naming the member.
 */
export function serializeInput<I extends object>(op: Operation<I, object>, input: I): URLSearchParams {
  const params = new URLSearchParams()
  params.set('Action', op.name)
  params.set('Version', op.service.version)
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(op.name, `input must be an object, got ${describe(input)}`)
  }
  writeStructure(params, '', op.input, input as Record<string, unknown>, '')
  return params
}


function writeStructure(params: URLSearchParams, prefix: string, shape: StructureShape, value: Record<string, unknown>, path: string): void {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape.members, key) && value[key] !== undefined) {
      throw new ValidationError(path + key, `is not a member of this input (known: ${Object.keys(shape.members).join(', ') || 'none'})`)
    }
  }
  for (const required of shape.required ?? []) {
    if (value[required] === undefined || value[required] === null) throw new ValidationError(path + required, 'is required')
  }
  // in the caller's key order, as botocore writes them (unknown keys were refused above)
  for (const name of Object.keys(value)) {
    const v = value[name]
    if (v === undefined || v === null) continue
    write(params, prefix + name, resolveShape(shape.members[name] as Shape | (() => Shape)), v, path + name)
  }
}

function write(params: URLSearchParams, key: string, shape: Shape, value: unknown, path: string): void {
  switch (shape.kind) {
    case 'structure':
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
        throw new ValidationError(path, `must be an object, got ${describe(value)}`)
      }
      writeStructure(params, `${key}.`, shape, value as Record<string, unknown>, `${path}.`)
      return
    case 'list':
      writeList(params, key, shape, value, path)
      return
    case 'map':
      writeMap(params, key, shape, value, path)
      return
    default:
      params.append(key, scalar(shape, value, path))
  }
}

function writeList(params: URLSearchParams, key: string, shape: ListShape, value: unknown, path: string): void {
  if (!Array.isArray(value)) throw new ValidationError(path, `must be an array, got ${describe(value)}`)
  checkCount(shape, value.length, path, 'items')
  // Query's rule for an empty list: the bare name with an empty value
  if (value.length === 0) {
    params.append(key, '')
    return
  }
  const member = resolveShape(shape.member)
  const base = shape.flattened ? key : `${key}.${shape.memberName ?? 'member'}`
  value.forEach((item, i) => {
    if (item === undefined || item === null) throw new ValidationError(`${path}.${i + 1}`, 'list items cannot be null')
    write(params, `${base}.${i + 1}`, member, item, `${path}.${i + 1}`)
  })
}

function writeMap(params: URLSearchParams, key: string, shape: MapShape, value: unknown, path: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(path, `must be an object, got ${describe(value)}`)
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  checkCount(shape, entries.length, path, 'entries')
  entries.forEach(([k, v], i) => {
    write(params, `${key}.entry.${i + 1}.key`, resolveShape(shape.key), k, `${path}.${k}`)
    write(params, `${key}.entry.${i + 1}.value`, resolveShape(shape.value), v, `${path}.${k}`)
  })
}

function scalar(shape: ScalarShape, value: unknown, path: string): string {
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') throw new ValidationError(path, `must be a string, got ${describe(value)}`)
      if (shape.enum && !shape.enum.includes(value)) throw new ValidationError(path, `must be one of ${shape.enum.join(', ')}, got ${JSON.stringify(value)}`)
      checkCount(shape, [...value].length, path, 'characters')
      return value
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const whole = shape.kind === 'integer' || shape.kind === 'long'
      // floats may be NaN or ±Infinity (written as such, as the smithy protocol tests expect)
      if (typeof value !== 'number' || (whole && !Number.isSafeInteger(value))) {
        throw new ValidationError(path, `must be a ${whole ? 'whole ' : ''}number, got ${describe(value)}`)
      }
      if (shape.min !== undefined && value < shape.min) throw new ValidationError(path, `must be at least ${shape.min}, got ${value}`)
      if (shape.max !== undefined && value > shape.max) throw new ValidationError(path, `must be at most ${shape.max}, got ${value}`)
      return String(value)
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new ValidationError(path, `must be true or false, got ${describe(value)}`)
      return value ? 'true' : 'false'
    case 'timestamp': {
      const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(typeof value === 'number' ? value * 1000 : value) : undefined
      if (!date || Number.isNaN(date.getTime())) throw new ValidationError(path, `must be a Date (or ISO 8601 string), got ${describe(value)}`)
      // whole seconds as botocore and the SDKs write them; milliseconds only when there are some
      return date.getUTCMilliseconds() === 0 ? `${date.toISOString().slice(0, 19)}Z` : date.toISOString()
    }
    case 'blob': {
      const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined
      if (!bytes) throw new ValidationError(path, `must be a Uint8Array, ArrayBuffer or string, got ${describe(value)}`)
      checkCount(shape, bytes.length, path, 'bytes')
      return toBase64(bytes)
    }
  }
}

function checkCount(shape: { min?: number; max?: number }, count: number, path: string, unit: string): void {
  if (shape.min !== undefined && count < shape.min) throw new ValidationError(path, `must have at least ${shape.min} ${unit}, got ${count}`)
  if (shape.max !== undefined && count > shape.max) throw new ValidationError(path, `must have at most ${shape.max} ${unit}, got ${count}`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return 'a Date'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}
