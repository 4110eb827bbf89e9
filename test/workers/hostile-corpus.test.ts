// A corpus of hostile requests to the proxy: each gets the right status and code, none reaches
// upstream, and no secret in play shows up in any response or log line.
import { describe, expect, it } from 'vitest'
import { iamOperations } from '../../src/iam/generated/registry.js'
import { CALLER, codeOf, harness, LIMITED, PROXY, signedGet, signedPost, TOKEN, UPSTREAM_SECRET } from './worker-support.js'

interface Case {
  name: string
  request: () => Promise<Request> | Request
  status: number
  code?: string
}

const V = 'Version=2010-05-08'
const auth = (value: string) => new Request(`${PROXY}/?Action=ListUsers&${V}`, { headers: { authorization: value, 'x-amz-date': '20261122T100000Z' } })

function corpus(): Case[] {
  const cases: Case[] = []
  const mutating = Object.values(iamOperations).filter((op) => !op.readOnly).map((op) => op.name)
  for (const action of mutating) {
    cases.push({ name: `POST ${action}`, request: () => signedPost(`Action=${action}&${V}`), status: 403, code: 'AccessDenied' })
    cases.push({ name: `GET ${action}`, request: () => signedGet(`Action=${action}&${V}`), status: 403, code: 'AccessDenied' })
  }
  for (const variant of ['action', 'ACTION', 'aCtIoN', 'Action ', ' Action', 'Action%00', 'Act%69on'])
    cases.push({ name: `Action spelled ${JSON.stringify(variant)}`, request: () => signedPost(`${variant}=CreateUser&Action=ListUsers&${V}`), status: 400 })
  for (const [name, body] of [
    ['Action twice (read then write)', `Action=ListUsers&Action=CreateUser&${V}`],
    ['Action twice (write then read)', `Action=CreateUser&Action=ListUsers&${V}`],
    ['Action twice, same value', `Action=ListUsers&Action=ListUsers&${V}`],
    ['Version twice', `Action=ListUsers&${V}&${V}`],
    ['parameter twice', `Action=ListUsers&${V}&PathPrefix=%2F&PathPrefix=%2Fx`],
    ['empty Action', `Action=&${V}`],
    ['no Action', `${V}&PathPrefix=%2F`],
    ['unknown parameter', `Action=ListUsers&${V}&UserName=alice`],
    ['parameter of another action', `Action=ListUsers&${V}&RoleName=x`],
    ['list index 0', `Action=GetAccountAuthorizationDetails&${V}&Filter.member.0=User`],
    ['list index overlong', `Action=GetAccountAuthorizationDetails&${V}&Filter.member.123456=User`],
    ['nested into a scalar', `Action=ListUsers&${V}&PathPrefix.x=1`],
    ['overlong parameter name', `Action=ListUsers&${V}&${'P'.repeat(300)}=1`],
    ['prototype key', `Action=ListUsers&${V}&__proto__=1`],
    ['constructor key', `Action=ListUsers&${V}&constructor=1`],
    ['bad percent escape', `Action=ListUsers&${V}&PathPrefix=%ZZ`],
    ['truncated UTF-8 escape', `Action=ListUsers&${V}&PathPrefix=%E2%82`],
    ['unknown action', `Action=ListEverything&${V}`],
    ['STS action on the IAM scope', `Action=AssumeRole&${V}`],
    ['wrong Version', 'Action=ListUsers&Version=2011-06-15'],
  ] as const) cases.push({ name, request: () => signedPost(body), status: 400 })
  for (const [name, value] of [
    ['empty', ''],
    ['garbage', 'garbage'],
    ['Basic', 'Basic dXNlcjpwYXNz'],
    ['SigV2', 'AWS APXYTESTCALLER000001:c2lnbmF0dXJl'],
    ['SigV4A', 'AWS4-ECDSA-P256-SHA256 Credential=APXYTESTCALLER000001/20261122/iam/aws4_request, SignedHeaders=host, Signature=00'],
    ['no Credential', 'AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=00'],
    ['no Signature', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date`],
    ['no SignedHeaders', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/us-east-1/iam/aws4_request, Signature=00`],
    ['short scope', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`],
    ['bad terminator', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/us-east-1/iam/aws5_request, SignedHeaders=host;x-amz-date, Signature=00`],
    ['host not signed', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, Signature=00`],
    ['uppercase signed header', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/us-east-1/iam/aws4_request, SignedHeaders=Host;x-amz-date, Signature=00`],
    ['huge Authorization', `AWS4-HMAC-SHA256 Credential=${CALLER.id}/20261122/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(20_000)}`],
  ] as const) cases.push({ name: `Authorization ${name}`, request: () => auth(value), status: 403 })
  for (const service of ['s3', 'ec2', 'execute-api', 'IAM', 'iamx', 'sts2'])
    cases.push({ name: `scope for ${service}`, request: () => signedPost(`Action=ListUsers&${V}`, { service }), status: 403, code: 'SignatureDoesNotMatch' })
  for (const minutes of [16, 60, 24 * 60, 365 * 24 * 60, -16, -60])
    cases.push({ name: `signed ${minutes} min off`, request: () => signedPost(`Action=ListUsers&${V}`, { date: new Date(Date.now() - minutes * 60_000) }), status: 403, code: 'RequestTimeTooSkewed' })
  cases.push({
    name: 'replayed signature with another body',
    request: async () => new Request(await signedPost(`Action=ListUsers&${V}`), { body: `Action=ListRoles&${V}` }),
    status: 403,
    code: 'SignatureDoesNotMatch',
  })
  cases.push({
    name: 'replayed signature to another action by GET',
    request: async () => {
      const signed = await signedGet(`Action=ListUsers&${V}`)
      return new Request(signed.url.replace('ListUsers', 'ListRoles'), { headers: signed.headers })
    },
    status: 403,
    code: 'SignatureDoesNotMatch',
  })
  cases.push({ name: 'unknown key', request: () => signedPost(`Action=ListUsers&${V}`, { key: { id: 'APXYUNKNOWN000000001', secret: CALLER.secret } }), status: 403, code: 'InvalidClientTokenId' })
  cases.push({ name: 'limited key beyond its list', request: () => signedPost(`Action=ListRoles&${V}`, { key: LIMITED }), status: 403, code: 'AccessDenied' })
  for (const [i, token] of ['', 'x', TOKEN.toUpperCase(), `${TOKEN}x`, TOKEN.slice(1), TOKEN + TOKEN].entries())
    cases.push({ name: `wrong bearer token #${i}`, request: () => new Request(`${PROXY}/iam/ListUsers`, { headers: { authorization: `Bearer ${token}` } }), status: 403 })
  for (const origin of ['https://evil.example', 'null', 'https://dash.example.evil', 'http://dash.example', 'https://DASH.example'])
    cases.push({ name: `preflight from ${origin}`, request: () => new Request(`${PROXY}/iam/ListUsers`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } }), status: 403 })
  cases.push({ name: 'body over 256 KiB', request: () => signedPost(`Action=ListUsers&${V}&PathPrefix=${'a'.repeat(270_000)}`), status: 413, code: 'RequestEntityTooLarge' })
  for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml'])
    cases.push({ name: `content type ${type}`, request: () => signedPost(`Action=ListUsers&${V}`, { headers: { 'content-type': type } }), status: 400, code: 'UnsupportedMediaType' })
  cases.push({ name: 'parameters on a POST URL', request: () => signedPost(`Action=ListUsers&${V}`, { query: 'PathPrefix=%2F' }), status: 400, code: 'MalformedQueryString' })
  cases.push({ name: 'Action on a POST URL', request: () => signedPost(`Action=ListUsers&${V}`, { query: 'Action=CreateUser' }), status: 400, code: 'MalformedQueryString' })
  cases.push({ name: 'Action in the JSON facade query', request: () => new Request(`${PROXY}/iam/ListUsers?Action=CreateUser`, { headers: { authorization: `Bearer ${TOKEN}` } }), status: 400 })
  cases.push({ name: 'mutating action on the JSON facade', request: () => new Request(`${PROXY}/iam/DeleteUser?UserName=alice`, { headers: { authorization: `Bearer ${TOKEN}` } }), status: 403, code: 'AccessDenied' })
  cases.push({ name: 'PUT /', request: () => new Request(`${PROXY}/`, { method: 'PUT', body: `Action=ListUsers&${V}` }), status: 405, code: 'MethodNotAllowed' })
  cases.push({ name: 'DELETE /iam/ListUsers', request: () => new Request(`${PROXY}/iam/ListUsers`, { method: 'DELETE' }), status: 405, code: 'MethodNotAllowed' })
  return cases
}

describe('the hostile corpus', () => {
  const cases = corpus()

  it(`has at least 200 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(200)
  })

  it('answers every case with the expected status and code, never upstream, never leaking a secret', async () => {
    const h = await harness()
    const seen: string[] = []
    for (const c of cases) {
      const res = await h.send(await c.request())
      const text = await res.text()
      const code = codeOf(text) ?? (/"code":"([^"]+)"/.exec(text)?.[1] as string | undefined)
      expect([c.name, res.status], text.slice(0, 300)).toEqual([c.name, c.status])
      if (c.code) expect([c.name, code]).toEqual([c.name, c.code])
      if (c.status === 403 && res.headers.get('access-control-allow-origin')) throw new Error(`${c.name}: CORS header on a refusal`)
      seen.push(`${[...res.headers].join('\n')}\n${text}`)
    }
    expect(h.upstream.count()).toBe(0)
    const everything = [...seen, ...h.logs].join('\n')
    for (const secret of [CALLER.secret, LIMITED.secret, TOKEN, UPSTREAM_SECRET]) expect(everything).not.toContain(secret)
  })
})
