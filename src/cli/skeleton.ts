// --generate-cli-skeleton: the input an operation takes, with placeholder values, printed as the
// AWS CLI prints it (ready for --cli-input-json): '' for strings (an enum's first value), 0 for
// numbers (0.0 for floats), true for booleans, 1970-01-01T00:00:00 for timestamps, null for blobs,
// one item per list, a map as {"KeyName": …}, and {} where a structure recurs into itself.
import { resolveShape, type Shape } from '../query/shapes.js'

const FLOAT = '\u0000float\u0000'

function skeleton(shape: Shape, path: readonly Shape[]): unknown {
  switch (shape.kind) {
    case 'structure': {
      if (path.includes(shape)) return {}
      const out: Record<string, unknown> = {}
      for (const [name, member] of Object.entries(shape.members)) out[name] = skeleton(resolveShape(member), [...path, shape])
      return out
    }
    case 'list':
      return [skeleton(resolveShape(shape.member), path)]
    case 'map':
      return { KeyName: skeleton(resolveShape(shape.value), path) }
    case 'string':
      return shape.enum?.[0] ?? ''
    case 'integer':
    case 'long':
      return 0
    case 'float':
    case 'double':
      return FLOAT
    case 'boolean':
      return true
    case 'timestamp':
      return '1970-01-01T00:00:00'
    case 'blob':
      return null
  }
}

/** The skeleton as JSON, four-space indented. */
export function formatSkeleton(input: Shape): string {
  return JSON.stringify(skeleton(input, []), null, 4).replaceAll(JSON.stringify(FLOAT), '0.0')
}
