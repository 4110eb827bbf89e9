// Runtime descriptions of the Query-protocol shapes, emitted by scripts/codegen from the botocore
// models. Only what serialization, parsing and validation need: names, kinds, constraints.

export type ScalarKind = 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob'

export interface ScalarShape {
  readonly kind: ScalarKind
  /** min/max length for strings and blobs, min/max value for numbers */
  readonly min?: number
  readonly max?: number
  readonly pattern?: string
  readonly enum?: readonly string[]
  /** the wire value is a URL-encoded policy document (IAM's policyDocumentType) */
  readonly urlEncoded?: boolean
}

export interface ListShape {
  readonly kind: 'list'
  readonly member: Shape
  /** element name inside the list; Query lists use `member` unless the model says otherwise */
  readonly memberName?: string
  readonly flattened?: boolean
  readonly min?: number
  readonly max?: number
}

export interface MapShape {
  readonly kind: 'map'
  readonly key: Shape
  readonly value: Shape
  readonly min?: number
  readonly max?: number
}

export interface StructureShape {
  readonly kind: 'structure'
  /** a thunk stands in for a shape that refers back to itself */
  readonly members: Readonly<Record<string, Shape | (() => Shape)>>
  readonly required?: readonly string[]
}

export type Shape = ScalarShape | ListShape | MapShape | StructureShape

/** A member's shape; a thunk stands in for a shape that refers back to itself. */
export function resolveShape(s: Shape | (() => Shape)): Shape {
  return typeof s === 'function' ? s() : s
}

export interface ServiceInfo {
  /** signing name and endpoint prefix: 'iam' | 'sts' */
  readonly id: 'iam' | 'sts'
  readonly version: string
  readonly xmlNamespace: string
}

export interface Paginator {
  readonly inputToken: string
  readonly outputToken: string
  readonly moreResults?: string
  readonly limitKey?: string
  /** some paginators (GetAccountAuthorizationDetails) name several result lists */
  readonly resultKey: string | readonly string[]
}

/**
 * One operation: a tiny descriptor, one export each, so bundles carry only what they import.
 * `I` and `O` exist only in the type system.
 */
export interface Operation<I extends object = object, O extends object = object> {
  readonly service: ServiceInfo
  readonly name: string
  readonly input: StructureShape
  readonly output?: StructureShape
  /** element wrapping the output inside `<NameResponse>`: `<NameResult>` */
  readonly resultWrapper?: string
  /** modeled error codes */
  readonly errors: readonly string[]
  /** Get*, List*, Simulate*, GetContextKeysFor*: allowed through the proxy */
  readonly readOnly: boolean
  /** sent without a signature (the model's noAuth operations): no credentials are asked for */
  readonly unsigned?: true
  readonly paginator?: Paginator
  /** link to the AWS API reference page */
  readonly docs: string
  /**
   * Phantom carrying I and O for the type system; never set at runtime. A method signature keeps
   * it bivariant, so every operation is also an `Operation` (registries, the proxy).
   */
  __io?(input: I): O
}

export type InputOf<Op> = Op extends Operation<infer I, object> ? I : never
export type OutputOf<Op> = Op extends Operation<object, infer O> ? O : never

export type Acceptor =
  | { readonly state: AcceptorState; readonly matcher: 'status'; readonly expected: number }
  | { readonly state: AcceptorState; readonly matcher: 'error'; readonly expected: string }
  | {
      readonly state: AcceptorState
      readonly matcher: 'path' | 'pathAll' | 'pathAny'
      readonly argument: string
      readonly expected: string | number | boolean
    }
export type AcceptorState = 'success' | 'retry' | 'failure'

export interface Waiter<I extends object = object, O extends object = object> {
  readonly name: string
  readonly operation: Operation<I, O>
  /** seconds between attempts */
  readonly delay: number
  readonly maxAttempts: number
  readonly acceptors: readonly Acceptor[]
}

/** Response metadata attached to every output as `$metadata`. */
export interface ResponseMetadata {
  readonly requestId?: string
  readonly httpStatusCode: number
  readonly attempts: number
}
