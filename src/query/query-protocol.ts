import { parseErrorBody, parseOutput } from './parse.js'
import type { QueryProtocol } from './protocol.js'
import { serializeInput } from './serialize.js'
import type { XmlReader } from './xml/index.js'

export type QueryXmlReader = XmlReader

/** The AWS Query protocol: form-encoded input, XML output and error envelope. */
export const queryProtocol: QueryProtocol<XmlReader> = {
  serialize: serializeInput,
  parseOutput,
  parseError: parseErrorBody,
}
