import { IamEdgeError } from './base.js'

/** The response body is not well-formed XML, or not the XML the operation's shape expects. */
export class XmlParseError extends IamEdgeError {
  override name = 'XmlParseError' as const
  /** character offset in the document where the problem was found, when known */
  readonly offset: number | undefined

  constructor(message: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? message : `${message} (at offset ${offset})`, options)
    this.offset = offset
  }
}
