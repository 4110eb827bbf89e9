export { readXml, type ReadXmlOptions } from './reader.js'
export type { XmlElement, XmlReader } from './types.js'
