/** One element of a parsed Query response: local name, child elements, and its own text. */
export interface XmlElement {
  /** local name: a namespace prefix is dropped */
  readonly name: string
  readonly children: readonly XmlElement[]
  /** the element's direct text and CDATA, entities decoded, concatenated */
  readonly text: string
}

/** Turns a document into its root element, or throws XmlParseError. */
export type XmlReader = (text: string) => XmlElement
