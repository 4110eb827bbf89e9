// Property-based round trips over every generated shape: input → Query form → input, and
// output → the XML a service sends → parsed output.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { iamOperations } from '../../src/iam/generated/registry.js'
import { parseOutput } from '../../src/query/parse.js'
import { serializeInput } from '../../src/query/serialize.js'
import type { Operation } from '../../src/query/shapes.js'
import { xmldomReader } from '../../src/query/xmldom.js'
import { stsOperations } from '../../src/sts/generated/registry.js'
import { fromQuery, toXml, valueOf } from '../support/shape-arbitrary.js'

const operations: Operation[] = [...Object.values(iamOperations), ...Object.values(stsOperations)]
const runs = Number(process.env.ROUNDTRIP_RUNS ?? 25)

/** Dates, bytes and everything else compared structurally. */
function normalize(value: unknown): unknown {
  if (value instanceof Date || value instanceof Uint8Array) return value
  if (Array.isArray(value)) return value.map(normalize)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]))
  return value
}

/**
 * What survives the Query form: a structure with nothing set has no keys, so it reads back absent,
 * and a list item without keys ends the list there (an empty list itself is sent as `Name=`).
 */
function onTheWire(value: unknown, top = true): unknown {
  if (value instanceof Date || value instanceof Uint8Array) return value
  if (Array.isArray(value)) {
    if (value.length === 0) return []
    const items: unknown[] = []
    for (const item of value) {
      const wire = onTheWire(item, false)
      if (wire === undefined) break
      items.push(wire)
    }
    return items.length === 0 ? undefined : items
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, onTheWire(v, false)] as const).filter(([, v]) => v !== undefined)
    return entries.length === 0 && !top ? undefined : Object.fromEntries(entries)
  }
  return value
}

describe(`round trips over all ${operations.length} operations (${runs} values each)`, () => {
  it('serializeInput then reading the form back gives the input', () => {
    for (const op of operations) {
      fc.assert(
        fc.property(valueOf(op.input), (input) => {
          const params = serializeInput(op, input as object)
          expect([op.name, fromQuery(op.input, params)]).toEqual([op.name, onTheWire(input)])
        }),
        { numRuns: runs, seed: 1 },
      )
    }
  })

  it('the XML for an output parses back to it, with both readers', () => {
    let checked = 0
    for (const op of operations) {
      const output = op.output
      if (!output) continue
      checked++
      fc.assert(
        fc.property(valueOf(output), (value) => {
          const inner = toXml(op.resultWrapper ?? 'Result', output, value)
          const xml = `<${op.name}Response xmlns="${op.service.xmlNamespace}">${inner}<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${op.name}Response>`
          expect([op.name, parseOutput(op, xml)]).toEqual([op.name, normalize(value)])
          expect(parseOutput(op, xml, xmldomReader)).toEqual(normalize(value))
        }),
        { numRuns: runs, seed: 2 },
      )
    }
    expect(checked).toBe(operations.filter((op) => op.output).length)
    expect(checked).toBeGreaterThan(100)
  })
})
