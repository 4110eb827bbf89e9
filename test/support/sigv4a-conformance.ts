// The SigV4a conformance loop (the AWS v4a suite), shared by the Node and workerd runs. ECDSA is
// randomised: canonical request and string to sign are compared byte for byte; signatures, ours
// and the suite's, must verify with the case's public key.
import suite from 'virtual:sigv4a-suite'
import { describe, expect, it } from 'vitest'
import { deriveKeyPairV4a, presignRequestV4a, signRequestV4a } from '../../src/sigv4a/index.js'
import { importPublic, optionsV4a, verifiesWith } from './sigv4a-check.js'
import { loadCase, type SuiteCase } from './sigv4-suite.js'

type CaseV4a = SuiteCase & { publicKey: { X: string; Y: string } }

export function loadSuiteV4a(): CaseV4a[] {
  return Object.keys(suite.cases)
    .filter((name) => 'header-canonical-request.txt' in (suite.cases[name] as Record<string, string>))
    .map((name) => {
      const files = suite.cases[name] as Record<string, string>
      return { ...loadCase(name, files), publicKey: JSON.parse(files['public-key.json'] as string) as { X: string; Y: string } }
    })
}

export function conformanceSuiteV4a(): void {
  const cases = loadSuiteV4a()
  it('finds the 38 cases of the AWS SigV4a suite that carry expected results (of 40)', () => {
    expect(Object.keys(suite.cases).length, `no SigV4a suite at ${suite.root}`).toBe(40)
    expect(cases.length).toBe(38)
  })

  it.each(cases.map((c) => [c.name, c] as const))('derives the public key of %s', async (_, c) => {
    const pair = await deriveKeyPairV4a(c.credentials)
    expect([pair.x, pair.y]).toEqual([c.publicKey.X.toLowerCase(), c.publicKey.Y.toLowerCase()])
  })

  for (const form of ['header', 'query'] as const) {
    describe(`${form} form`, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
        const expected = c.expected[form]
        const signed: { canonicalRequest: string; stringToSign: string; signature: string; url: string; headers?: Headers } = await (form === 'header' ? signRequestV4a : presignRequestV4a)(c.request, optionsV4a(c))
        expect(signed.canonicalRequest).toBe(expected.canonicalRequest)
        expect(signed.stringToSign).toBe(expected.stringToSign)
        const key = await importPublic(c.publicKey)
        expect(await verifiesWith(key, signed.signature, signed.stringToSign)).toBe(true)
        expect(await verifiesWith(key, expected.signature, expected.stringToSign)).toBe(true)
        // and nothing else verifies: the same signature over another string to sign
        expect(await verifiesWith(key, signed.signature, `${signed.stringToSign}\n`)).toBe(false)
        if (signed.headers) expect(signed.headers.get('authorization')).toMatch(new RegExp(`^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/${c.service}/aws4_request, SignedHeaders=[^ ]*x-amz-region-set[^ ]*, Signature=${signed.signature}$`))
        else expect(signed.url).toContain(`&X-Amz-Region-Set=${c.region}`)
      })
    })
  }
}
