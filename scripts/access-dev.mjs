// A local stand-in for Cloudflare Access, for `npm start -- --access` and the end-to-end test: a
// loopback server publishing one RS256 key at /cdn-cgi/access/certs (Access's path), and a
// function that mints assertions as Access would put them in Cf-Access-Jwt-Assertion.
import { createServer } from 'node:http'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { freePort } from './moto/start.mjs'

export const LOCAL_AUD = 'iam-edge-local-aud'

export async function startAccessStandIn() {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'local-1', alg: 'RS256', use: 'sig' }] })
  const server = createServer((req, res) => {
    if (req.url === '/cdn-cgi/access/certs') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
    else res.writeHead(404).end()
  })
  const port = await freePort()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const teamDomain = `http://127.0.0.1:${port}`
  /** An assertion for `claims` (`{ email }` or `{ common_name }`), valid for an hour unless told otherwise. */
  const mint = (claims, { aud = LOCAL_AUD, expiresIn = '1h' } = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'local-1' }).setIssuer(teamDomain).setAudience(aud).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey)
  return { teamDomain, mint, close: () => new Promise((resolve) => server.close(resolve)) }
}
