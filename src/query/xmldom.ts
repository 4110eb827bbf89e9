// The opt-in reader built on @xmldom/xmldom (`iam-edge/xmldom`): the same XmlElement tree and the
// same refusals as the built-in reader, for those who prefer a general-purpose XML parser, and
// the reference the built-in reader is tested against.
import { DOMParser, type Element, type Node } from '@xmldom/xmldom'
import { XmlParseError } from './errors.js'
import { NOT_XML_CHAR } from './xml/entities.js'
import type { XmlElement, XmlReader } from './xml/types.js'

const ELEMENT = 1
const TEXT = 3
const CDATA = 4
const ENTITY_REFERENCE = 5
const PROCESSING_INSTRUCTION = 7
const DOCUMENT_TYPE = 10

export interface XmldomReaderOptions {
  /** deepest element nesting accepted (default 256, as the built-in reader) */
  maxDepth?: number
}

export function createXmldomReader(options: XmldomReaderOptions = {}): XmlReader {
  const maxDepth = options.maxDepth ?? 256
  return (text: string): XmlElement => {
    if (/<!DOCTYPE/i.test(text)) throw new XmlParseError('a DOCTYPE is not allowed in a Query response (entity definitions are refused)', text.search(/<!DOCTYPE/i))
    let reported: string | undefined
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        reported ??= `${level}: ${message}`
        throw new XmlParseError(`xmldom ${reported}`)
      },
    })
    let doc
    try {
      doc = parser.parseFromString(text, 'text/xml')
    } catch (cause) {
      // xmldom wraps what onError throws; report the first problem it saw
      throw new XmlParseError(`xmldom ${reported ?? (cause instanceof Error ? cause.message : String(cause))}`, undefined, { cause })
    }
    for (let node = doc.firstChild, first = true; node; node = node.nextSibling, first = false) {
      if (node.nodeType === DOCUMENT_TYPE) throw new XmlParseError('a DOCTYPE is not allowed in a Query response')
      // xmldom keeps the XML declaration as a processing instruction named xml
      if (node.nodeType === PROCESSING_INSTRUCTION && !(first && node.nodeName === 'xml')) {
        throw new XmlParseError(`processing instruction <?${node.nodeName}> is not allowed`)
      }
    }
    const root = doc.documentElement
    if (!root) throw new XmlParseError('no root element')
    return convert(root, maxDepth)
  }
}

/** Walks the DOM without recursion, so a deep document meets maxDepth, not the call stack. */
function convert(root: Element, maxDepth: number): XmlElement {
  type Out = { name: string; children: Out[]; text: string }
  const make = (el: Element): Out => ({ name: el.localName ?? el.nodeName, children: [], text: '' })
  const top = make(root)
  const work: Array<[Node, Out, number]> = [[root, top, 1]]
  while (work.length > 0) {
    const [node, out, depth] = work.pop() as [Node, Out, number]
    if (out.text !== '' || node !== root) checkChars(out)
    if (depth > maxDepth) throw new XmlParseError(`elements nested deeper than ${maxDepth}`)
    const pending: Array<[Node, Out, number]> = []
    for (let child = node.firstChild; child; child = child.nextSibling) {
      switch (child.nodeType) {
        case ELEMENT: {
          const el = make(child as Element)
          out.children.push(el)
          pending.push([child, el, depth + 1])
          break
        }
        case TEXT:
        case CDATA:
          out.text += (child as Node & { data: string }).data
          break
        case ENTITY_REFERENCE:
          throw new XmlParseError(`undefined entity &${child.nodeName};`)
        case PROCESSING_INSTRUCTION:
          throw new XmlParseError(`processing instruction <?${child.nodeName}> is not allowed`)
        default:
          break
      }
    }
    for (let k = pending.length - 1; k >= 0; k--) work.push(pending[k] as [Node, Out, number])
    checkChars(out)
  }
  return top
}

function checkChars(out: { text: string }): void {
  const bad = NOT_XML_CHAR.exec(out.text)
  if (bad) throw new XmlParseError(`text holds U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}, which XML does not allow`)
}

/** The xmldom reader with default options. */
export const xmldomReader: XmlReader = createXmldomReader()
