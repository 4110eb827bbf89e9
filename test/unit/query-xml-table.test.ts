// The XML reader's every refusal, by its message and offset, and what it accepts, as a table: a
// mutation run found these rules and messages otherwise untested.
import { describe, expect, it } from 'vitest'
import { decodeEntities } from '../../src/query/xml/entities.js'
import { readXml } from '../../src/query/xml/index.js'

describe('the XML reader', () => {
  it.each<[string, string]>([
    ["<a><!-- x -- y --></a>", "'--' inside a comment (at offset 3)"],
    ["<a><!-- x ---></a>", "'--' inside a comment (at offset 3)"],
    ["<a><!-- unterminated </a>", "unterminated comment (at offset 3)"],
    ["<![CDATA[x]]><a/>", "CDATA outside the root element (at offset 0)"],
    ["<a><![CDATA[x</a>", "unterminated CDATA section (at offset 3)"],
    ["<!DOCTYPE a><a/>", "a DOCTYPE is not allowed in a Query response (entity definitions are refused) (at offset 0)"],
    ["<a><!ELEMENT a></a>", "malformed markup declaration (at offset 3)"],
    ["<a><!x></a>", "malformed markup declaration (at offset 3)"],
    ["<?xml version=\"2.0\"?><a/>", "malformed XML declaration (at offset 0)"],
    ["<a/><?xml version=\"1.0\"?>", "processing instruction <?xml> is not allowed (at offset 4)"],
    ["<?xml-stylesheet href=\"x\"?><a/>", "processing instruction <?xml-stylesheet> is not allowed (at offset 0)"],
    ["<a><?pi x?></a>", "processing instruction <?pi> is not allowed (at offset 3)"],
    ["<?xml", "unterminated processing instruction (at offset 0)"],
    ["<a><?pi x</a>", "unterminated processing instruction (at offset 3)"],
    ["< a/>", "malformed element name \" \" (at offset 0)"],
    ["<a", "truncated start tag (at offset 0)"],
    ["<a b=\"1\" b=\"2\"/>", "an attribute repeats in <a> (at offset 0)"],
    ["<a b=1/>", "malformed attributes in <a> (at offset 0)"],
    ["<a b=\"1\"c=\"2\"/>", "malformed attributes in <a> (at offset 0)"],
    ["<a><p:b/></a>", "namespace prefix \"p\" is not declared (at offset 3)"],
    ["<a xmlns:p=\"u\"/><p:b/>", "a second root element (at offset 16)"],
    ["<a b=\"&bogus;\"/>", "undefined entity &bogus; (only the five predefined entities are accepted) (at offset 0)"],
    ["<a>x\u0001</a>", "text holds a character XML does not allow (at offset 4)"],
    ["x<a/>", "text outside the root element (at offset 0)"],
  ])('refuses %j: %s', (xml, message) => {
    expect(() => readXml(xml)).toThrow(message)
  })

  it.each<[string, unknown]>([
    ["<a><!-- ok --></a>", {"name":"a","children":[],"text":""}],
    ["<!-- before --><a/>", {"name":"a","children":[],"text":""}],
    ["<a><![CDATA[<&>]]></a>", {"name":"a","children":[],"text":"<&>"}],
    ["<?xml version=\"1.0\"?><a/>", {"name":"a","children":[],"text":""}],
    ["<?xml version='1.1' encoding='UTF-8' standalone='yes'?><a/>", {"name":"a","children":[],"text":""}],
    ["<?xml  version = \"1.0\" ?><a/>", {"name":"a","children":[],"text":""}],
    ["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a/>", {"name":"a","children":[],"text":""}],
    ["﻿<a/>", {"name":"a","children":[],"text":""}],
    ["<1a/>", {"name":"1a","children":[],"text":""}],
    ["<a xmlns:p=\"u\"><p:b/></a>", {"name":"a","children":[{"name":"b","children":[],"text":""}],"text":""}],
    ["<a b='x&lt;'/>", {"name":"a","children":[],"text":""}],
    [" <a/> ", {"name":"a","children":[],"text":""}],
    ["<a>\r\n</a>", {"name":"a","children":[],"text":"\n"}],
    ["<a>a\rb</a>", {"name":"a","children":[],"text":"a\nb"}],
    ["<x:a xmlns:x=\"u\">t</x:a>", {"name":"a","children":[],"text":"t"}],
    ["<a><b></b ></a>", {"name":"a","children":[{"name":"b","children":[],"text":""}],"text":""}],
    ["<a b = \"1\" />", {"name":"a","children":[],"text":""}],
    ["<a>&#65;</a>", {"name":"a","children":[],"text":"A"}],
  ])('reads %j', (xml, tree) => {
    expect(readXml(xml)).toEqual(tree)
  })

  it('names where an entity reference goes wrong', () => {
    expect(() => decodeEntities('xy&bogus;', 10)).toThrow('undefined entity &bogus; (only the five predefined entities are accepted) (at offset 12)')
    expect(() => decodeEntities('x&amp;&bogus;', 0)).toThrow('(at offset 6)')
    expect(() => decodeEntities('ab&cd', 3)).toThrow("'&' that starts no entity reference (at offset 5)")
    // twelve characters from '&' to ';' at most
    expect(decodeEntities('&#0000000065;', 0)).toBe('A')
    expect(() => decodeEntities('&#00000000065;', 0)).toThrow("'&' that starts no entity reference (at offset 0)")
    expect(decodeEntities('no references', 0)).toBe('no references')
  })

  it.each([
    ['\n  <a/>\n  ', 'a'],
    ['<a  b="1"   c=\'2\' />', 'a'],
    ['<a b="x>y" c=\'p>q\'>t</a>', 'a'],
    ['<?xml version="1.0" encoding="UTF-8"?><a/>', 'a'],
    ['<?xml version="1.10" standalone="no"?><a/>', 'a'],
    ["<?xml\tversion='1.0'\tencoding='ISO-8859-1'?><a/>", 'a'],
  ])('reads %j', (xml, name) => {
    expect(readXml(xml).name).toBe(name)
  })

  it.each(['<?xmlversion="1.0"?><a/>', '<?xml version="1."?><a/>', '<?xml version="1.0"encoding="UTF-8"?><a/>', '<?xml version="1.0" encoding=""?><a/>', '<?xml version="1.0" standalone="maybe"?><a/>'])(
    'refuses the declaration %j',
    (xml) => {
      expect(() => readXml(xml)).toThrow(/malformed XML declaration|processing instruction/)
    },
  )

  it('nests as deep as maxDepth and no deeper', () => {
    expect(readXml('<a><b/></a>', { maxDepth: 2 }).children).toHaveLength(1)
    expect(() => readXml('<a><b><c/></b></a>', { maxDepth: 2 })).toThrow('elements nested deeper than 2')
  })
})
