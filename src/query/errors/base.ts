/** Base of every error this library throws (besides TypeError/RangeError for misuse). */
export class IamEdgeError extends Error {
  override name = 'IamEdgeError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** Name-based guard: works across realms and duplicated copies of the library. */
export function isErrorNamed<T extends Error>(value: unknown, name: string): value is T {
  return value instanceof Error && value.name === name
}
