import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { XmlParseError } from '../../src/query/errors.js'
import { createXmldomReader, xmldomReader } from '../../src/query/xmldom.js'
import { readXml } from '../../src/query/xml/index.js'

const fixtures = new URL('../fixtures/xml/', import.meta.url)
const files = readdirSync(fixtures).filter((f) => f.endsWith('.xml') || f.endsWith('.html'))

function outcome(read: (t: string) => unknown, text: string): unknown {
  try {
    return { ok: read(text) }
  } catch (error) {
    if (!(error instanceof XmlParseError)) throw error
    return 'XmlParseError'
  }
}

describe('the built-in XML reader and the xmldom reader agree', () => {
  it.each(files)('on fixture %s', (file) => {
    const text = readFileSync(new URL(file, fixtures), 'utf8')
    expect(readXml(text)).toEqual(xmldomReader(text))
  })

  // generated documents: random names, nesting, attributes, entities, CDATA, comments, unicode
  const name = fc.constantFrom('a', 'Users', 'member', 'x:Key', 'Value', 'n-1', 'é')
  const text = fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('plain', ' ', '\n  ', 'ሴ', '🙂', 'a/b', '100%', '"q"', "'s'") },
        fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x1F642;', '&#10;'),
        fc.constantFrom('<![CDATA[<raw> & ]]>', '<!-- note -->'),
      ),
      { maxLength: 5 },
    )
    .map((parts) => parts.join(''))
  const attrs = fc.constantFrom('', ' xmlns="https://iam.amazonaws.com/doc/2010-05-08/"', " k='v>w'", ' a="1" b="2"')
  const element: fc.Memo<string> = fc.memo((depth) =>
    fc
      .tuple(name, attrs, text, depth > 1 ? fc.array(element(depth - 1), { maxLength: 4 }) : fc.constant([]), text, fc.boolean())
      .map(([n, a, t1, children, t2, selfClose]) => (selfClose && children.length === 0 && t1 === '' ? `<${n}${a}/>` : `<${n}${a}>${t1}${children.join('')}${t2}</${n}>`)),
  )
  // the x: prefix is bound on the root, as a namespace-aware parser requires
  const documents = fc
    .tuple(fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n'), element(5), fc.constantFrom('', '\n', '<!-- end -->'))
    .map(([d, e, tail]) => d + e.replace(/^<([^\s/>]+)/, '<$1 xmlns:x="urn:x"') + tail)

  it('on 500 generated documents', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        expect(readXml(doc)).toEqual(xmldomReader(doc))
      }),
      { numRuns: 500, seed: Number(process.env.XML_SEED ?? 42) },
    )
  })

  it('on corrupted documents: whatever xmldom refuses is refused, and accepted ones read alike', () => {
    let refusals = 0
    fc.assert(
      fc.property(documents, fc.nat(), fc.constantFrom('', '<', '>', '</a>', '<b>', '&', '&bogus;'), (doc, at, insert) => {
        const i = at % (doc.length + 1)
        const broken = doc.slice(0, i) + insert + doc.slice(i + (insert === '' ? 1 : 0))
        const ours = outcome(readXml, broken)
        const theirs = outcome(xmldomReader, broken)
        if (ours === 'XmlParseError') refusals++
        // the built-in reader is the stricter one (a bare '&', a stray end tag); a deleted character
        // can unbind a namespace prefix, which only the namespace-aware xmldom checks
        if (theirs === 'XmlParseError' && insert !== '') expect(ours).toBe('XmlParseError')
        if (ours !== 'XmlParseError' && theirs !== 'XmlParseError') expect(ours).toEqual(theirs)
      }),
      { numRuns: 1000, seed: Number(process.env.XML_SEED ?? 7) },
    )
    expect(refusals).toBeGreaterThan(200)
  })
})

describe('hostile XML', () => {
  const refused = (text: string, message: RegExp, read = readXml) => {
    expect(() => read(text)).toThrow(XmlParseError)
    expect(() => read(text)).toThrow(message)
  }

  it('refuses entity-expansion bombs and external entities (a DOCTYPE at all)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`
    refused(laughs, /DOCTYPE is not allowed/)
    refused(laughs, /DOCTYPE is not allowed/, xmldomReader)
    const xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>'
    refused(xxe, /DOCTYPE/)
    refused(xxe, /DOCTYPE/, xmldomReader)
    refused('<a>&xxe;</a>', /undefined entity &xxe;/)
    refused('<a>&xxe;</a>', /entity/, xmldomReader)
  })

  it('refuses processing instructions other than the declaration', () => {
    refused('<?xml-stylesheet href="x"?><a/>', /processing instruction/)
    refused('<a><?php echo 1 ?></a>', /processing instruction/)
    refused('<a/><?xml version="1.0"?>', /processing instruction/)
  })

  it('meets 10,000-deep nesting with a depth error, not a stack overflow', () => {
    const deep = `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`
    refused(deep, /nested deeper than 256/)
    refused(deep, /nested deeper than 256/, xmldomReader)
    expect(readXml(deep, { maxDepth: 20_000 }).name).toBe('a')
    expect(createXmldomReader({ maxDepth: 20_000 })(deep).name).toBe('a')
  })

  it('refuses malformed and truncated documents with an offset', () => {
    refused('<a><b></a></b>', /does not match <b> \(at offset 6\)/)
    refused('<a>', /ends inside <a>/)
    refused('<a', /truncated start tag/)
    refused('<a></a', /truncated end tag/)
    refused('<a><!-- x </a>', /unterminated comment/)
    refused('<a><![CDATA[x</a>', /unterminated CDATA/)
    refused('', /no root element/)
    refused('junk', /text outside the root/)
    refused('<a/><b/>', /second root/)
    refused('<a b="1></a>', /truncated|malformed/)
    refused('<a>&#xD800;</a>', /character reference/)
    refused('<a>&#1114112;</a>', /character reference/)
    refused('<a>\u0001</a>', /character XML does not allow/)
    refused('<a>AT&T</a>', /starts no entity reference/)
    refused('<a><b&c/></a>', /malformed element name "b&"/)
    refused('<a><b"c/></a>', /malformed element name/)
    refused('<a>< b/></a>', /malformed element name/)
    refused('<a><=/></a>', /malformed element name/)
    refused('<a><b\u00a0/></a>', /malformed element name/)
    refused('<a>\ud800</a>', /character XML does not allow/)
    expect(readXml('<a\t\n><b/><c\r\n/></a\n>').children.map((c) => c.name)).toEqual(['b', 'c'])
    expect(readXml('<a>\ud83d\ude00</a>').text).toBe('\ud83d\ude00')
  })

  it('reads a large document in one pass', () => {
    const member = '<member><UserName>u</UserName><Path>/</Path></member>'
    const big = `<ListUsersResponse><ListUsersResult><Users>${member.repeat(200_000)}</Users></ListUsersResult></ListUsersResponse>`
    expect(big.length).toBeGreaterThan(10_000_000)
    const root = readXml(big)
    expect(root.children[0]?.children[0]?.children).toHaveLength(200_000)
  })

  it('takes only strings', () => {
    expect(() => readXml(42 as unknown as string)).toThrow(/expected the document as a string/)
  })
})
