// What the caller and the operator learn when upstream fails, and how upstream is reached:
// one request id everywhere, the upstream's own code, the signing region from the endpoint,
// the response-size cap, a paging loop stopped.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../worker/app.js'
import { bearer, codeOf, dispatch, makeEnv, signedPost, UPSTREAM_SECRET } from './worker-support.js'

type Handler = (req: Request, body: string) => Response | Promise<Response>

async function run(env: Awaited<ReturnType<typeof makeEnv>>, handler: Handler, req: Request) {
  const seen: Request[] = []
  const app = createApp({
    fetch: async (input, init) => {
      const r = new Request(input, init)
      seen.push(r.clone())
      return handler(r, await r.text())
    },
  })
  const logs: string[] = []
  const res = await dispatch(app, env, req, logs)
  return { res, text: await res.text(), logs: logs.map((l) => JSON.parse(l) as Record<string, unknown>), seen }
}

const denied = () =>
  new Response(
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/worker is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>sts-req-1</RequestId></ErrorResponse>',
    { status: 403 },
  )

describe('when the Worker’s own credentials fail', () => {
  it('answers with the upstream’s code, one request id in header, body and log, and logs the cause', async () => {
    const env = await makeEnv({ AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/reader' })
    const { res, text, logs } = await run(env, (_req, body) => (body.includes('Action=AssumeRole') ? denied() : new Response('unexpected', { status: 500 })), await signedPost('Action=ListUsers&Version=2010-05-08'))
    expect(res.status).toBe(502)
    expect(codeOf(text)).toBe('AccessDenied')
    expect(text).toContain('own AWS credentials failed')
    const id = res.headers.get('x-amzn-requestid')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(text).toContain(`<RequestId>${id}</RequestId>`)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ requestId: id, action: 'ListUsers', status: 502, code: 'AccessDenied' })
    expect(String(logs[0]?.cause)).toContain('AccessDenied')
    expect(String(logs[0]?.cause)).toContain('sts:AssumeRole')
    expect(JSON.stringify(logs)).not.toContain(UPSTREAM_SECRET)
  })

  it('says the same on the JSON facade and on sts GetCallerIdentity', async () => {
    const env = await makeEnv({ AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/reader' })
    const json = await run(env, () => denied(), bearer('/iam/ListUsers'))
    expect(json.res.status).toBe(502)
    const body = JSON.parse(json.text) as { error: { code: string; requestId: string } }
    expect(body.error.code).toBe('AccessDenied')
    expect(body.error.requestId).toBe(json.res.headers.get('x-amzn-requestid'))
    const sts = await run(env, () => denied(), await signedPost('Action=GetCallerIdentity&Version=2011-06-15', { service: 'sts' }))
    expect([sts.res.status, codeOf(sts.text)]).toEqual([502, 'AccessDenied'])
    expect(sts.text).toContain('xmlns="https://sts.amazonaws.com/doc/2011-06-15/"')
  })

  it('passes IAM’s own refusal of the Worker’s keys through unchanged', async () => {
    const env = await makeEnv()
    const refusal = '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>iam-req-9</RequestId></ErrorResponse>'
    const { res, text, logs } = await run(env, () => new Response(refusal, { status: 403 }), await signedPost('Action=ListUsers&Version=2010-05-08'))
    expect([res.status, codeOf(text)]).toEqual([403, 'InvalidClientTokenId'])
    expect(logs[0]).toMatchObject({ upstream: 403, upstreamRequestId: 'iam-req-9', requestId: res.headers.get('x-amzn-requestid') })
  })
})

describe('reaching upstream', () => {
  it.each([
    ['https://iam.cn-north-1.amazonaws.com.cn', 'https://sts.cn-northwest-1.amazonaws.com.cn', 'cn-north-1', 'cn-northwest-1'],
    ['https://iam.us-gov.amazonaws.com', 'https://sts.us-gov-east-1.amazonaws.com', 'us-gov-west-1', 'us-gov-east-1'],
    ['https://iam-fips.amazonaws.com', 'https://sts-fips.us-east-2.amazonaws.com', 'us-east-1', 'us-east-2'],
  ])('signs for the region of %s and %s', async (iam, sts, iamRegion, stsRegion) => {
    // a role of its own per case: answers are cached per upstream identity
    const env = await makeEnv({ IAM_ENDPOINT: iam, STS_ENDPOINT: sts, AWS_ROLE_ARN: `arn:aws:iam::123456789012:role/reader-${iamRegion}` })
    const assumed =
      '<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>tempsecret</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>'
    const { res, seen } = await run(
      env,
      (_req, body) => new Response(body.includes('Action=AssumeRole') ? assumed : '<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>'),
      await signedPost('Action=ListUsers&Version=2010-05-08'),
    )
    expect(res.status).toBe(200)
    const scope = (r: Request) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(r.headers.get('authorization') ?? '')?.[1]
    expect(seen.map((r) => [new URL(r.url).origin, scope(r)])).toEqual([
      [sts, stsRegion],
      [iam, iamRegion],
    ])
  })

  // moto answers some actions it lacks (SimulatePrincipalPolicy) with an HTML 500 page; a load
  // balancer or a wrong IAM_ENDPOINT can answer anything
  it.each([
    [500, '<!doctype html><html><title>500 Internal Server Error</title><p>upstream page</p></html>'],
    [404, ''],
    [503, 'Service Unavailable'],
    [301, ''],
  ])('answers an upstream HTTP %i without an error envelope as IAM’s ServiceFailure, not upstream’s body', async (status, body) => {
    const env = await makeEnv()
    const { res, text, logs } = await run(env, () => new Response(body, { status }), await signedPost('Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Fa&ActionNames.member.1=s3%3AGetObject'))
    expect([res.status, codeOf(text)]).toEqual([500, 'ServiceFailure'])
    expect(res.headers.get('content-type')).toBe('text/xml')
    expect(text).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Receiver<\/Type><Code>ServiceFailure<\/Code><Message>IAM answered HTTP \d+ without an error envelope<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/)
    expect(text).toContain(`IAM answered HTTP ${status} without`)
    expect(text).toContain(`<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId>`)
    expect(text).not.toContain('upstream page')
    expect(logs.at(-1)).toMatchObject({ status: 500, code: 'ServiceFailure', cause: `upstream IAM answered HTTP ${status} without an error envelope` })
  })

  it('answers an upstream HTTP 502 without an envelope on the JSON facade as ServiceFailure too', async () => {
    const env = await makeEnv()
    const { res, text } = await run(env, () => new Response('<html>bad gateway</html>', { status: 502 }), bearer('/iam/GetRole?RoleName=r'))
    expect([res.status, res.headers.get('retry-after'), JSON.parse(text)]).toEqual([500, '1', { error: { code: 'ServiceFailure', message: 'IAM answered HTTP 502 without an error envelope', requestId: res.headers.get('x-amzn-requestid') } }])
  })

  it('stops reading an answer past the size cap and says so', async () => {
    const env = await makeEnv()
    const chunk = new Uint8Array(1024 * 1024).fill(0x61)
    let sent = 0
    const huge = () =>
      new Response(
        new ReadableStream({
          pull(c) {
            sent++
            if (sent > 40) c.close()
            else c.enqueue(chunk)
          },
        }),
      )
    const { res, text, logs } = await run(env, huge, await signedPost('Action=GetAccountAuthorizationDetails&Version=2010-05-08'))
    expect([res.status, codeOf(text)]).toEqual([502, 'UpstreamResponseTooLarge'])
    expect(sent).toBeLessThan(20)
    expect(String(logs[0]?.cause)).toContain('ResponseTooLargeError')
  })

  it('stops ?all=1 when upstream hands out the same marker twice', async () => {
    const env = await makeEnv()
    const page = '<ListUsersResponse><ListUsersResult><Users><member><Path>/</Path><UserName>a</UserName><UserId>AID1</UserId><Arn>arn:aws:iam::123456789012:user/a</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member></Users><IsTruncated>true</IsTruncated><Marker>same</Marker></ListUsersResult></ListUsersResponse>'
    const { res, text, seen } = await run(env, () => new Response(page), bearer('/iam/ListUsers?all=1'))
    expect(res.status).toBe(502)
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('UpstreamPaginationLoop')
    expect(seen.length).toBe(2)
  })
})
