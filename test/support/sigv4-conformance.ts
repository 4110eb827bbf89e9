// The conformance loop, shared by the Node and workerd runs of the suite.
import suite from 'virtual:sigv4-suite'
import { describe, expect, it } from 'vitest'
import { presignRequest, signRequest } from '../../src/sigv4/index.js'
import { headerMap, loadCase, type SuiteCase, suiteOptions, targetOf } from './sigv4-suite.js'

export function conformanceSuite(): void {
  const names = Object.keys(suite.cases)
  it('finds the 38 cases of the AWS SigV4 suite', () => {
    expect(
      names.length,
      `no SigV4 suite at ${suite.root}: the conformance tests read test/fixtures/sigv4/v4 of this repository`,
    ).toBe(38)
  })
  const cases: SuiteCase[] = names.map((n) => loadCase(n, suite.cases[n] as Record<string, string>))

  describe('header form', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
      const expected = c.expected.header
      const signed = await signRequest(c.request, suiteOptions(c))
      expect(signed.canonicalRequest).toBe(expected.canonicalRequest)
      expect(signed.stringToSign).toBe(expected.stringToSign)
      expect(signed.signature).toBe(expected.signature)
      expect(signed.method).toBe(expected.signed.method)
      expect(targetOf(signed.url)).toBe(expected.signed.target)
      expect(Object.fromEntries(signed.headers)).toEqual(headerMap(expected.signed.headers))
    })
  })

  describe('query form', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
      const expected = c.expected.query
      const presigned = await presignRequest(c.request, suiteOptions(c))
      expect(presigned.canonicalRequest).toBe(expected.canonicalRequest)
      expect(presigned.stringToSign).toBe(expected.stringToSign)
      expect(presigned.signature).toBe(expected.signature)
      expect(targetOf(presigned.url)).toBe(expected.signed.target)
    })
  })
}
