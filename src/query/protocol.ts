import type { Operation } from './shapes.js'

/** The error envelope's fields, as parsed from `<ErrorResponse>…<Error>` at any depth. */
export interface ParsedErrorBody {
  code: string
  message: string
  type?: string
  requestId?: string
}

/** Any operation: `I` sits in a parameter position of the phantom, so `never` accepts them all. */
export type AnyOperation = Operation<never, object>

/**
 * The wire format a client speaks. The AWS Query implementation lives in query-protocol.ts; the
 * seam lets tests drive the client with a fake service.
 */
export interface QueryProtocol<Reader = unknown> {
  serialize<I extends object>(op: Operation<I, object>, input: I): URLSearchParams
  /** throws XmlParseError on anything but a complete, well-formed answer */
  parseOutput<O extends object>(op: Operation<never, O>, body: string, reader?: Reader): O
  /** undefined when the body is not an AWS XML error */
  parseError(body: string, reader?: Reader): ParsedErrorBody | undefined
}
