// Checks of SigV4a signatures that need no test runner (the runtime smoke bundle uses them too):
// the suite's public key imported on its own, a DER signature verified with it, a case's options.
import { derToRaw } from '../../src/sigv4a/p256.js'
import { type SuiteCase, suiteOptions } from './sigv4-suite.js'

const fromHex = (hex: string): Uint8Array<ArrayBuffer> => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16))
const b64url = (hex: string): string => btoa(String.fromCharCode(...fromHex(hex))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** The case's public key (public-key.json), imported on its own: no code under test involved. */
export function importPublic({ X, Y }: { X: string; Y: string }): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: b64url(X), y: b64url(Y) }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
}

export async function verifiesWith(key: CryptoKey, derHex: string, stringToSign: string): Promise<boolean> {
  const raw = derToRaw(derHex)
  if (!raw) throw new Error(`not a DER ECDSA signature: ${derHex}`)
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, raw, new TextEncoder().encode(stringToSign))
}

/** suiteOptions with the case's region as the region set */
export function optionsV4a(c: SuiteCase) {
  const { region, ...rest } = suiteOptions(c)
  return { ...rest, regionSet: [region] }
}
