import { describe, expect, it } from 'vitest'
import { GetUser, InstanceProfileExists, IamClient, IamError, ListUsers, waitFor } from '../../src/iam/index.js'
import { ValidationError } from '../../src/query/errors.js'
import { GetCallerIdentity, StsClient, StsError } from '../../src/sts/index.js'
import { scriptedFetch, testCredentials, xml } from '../support/fake-query.js'

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'

const getUserBody = `<GetUserResponse xmlns="${IAM_NS}"><GetUserResult><User><Path>/</Path><UserName>alice</UserName><UserId>AIDAEXAMPLE</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-11-22T11:03:18.954293Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>rid-get-user</RequestId></ResponseMetadata></GetUserResponse>`

// moto's authentication failures: a nested <Errors> list, served as text/html
const motoAuthError = (code: string): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<ErrorResponse><Errors><Error><Code>${code}</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error></Errors><RequestId>rid-auth</RequestId></ErrorResponse>`

describe('IamClient', () => {
  it('talks to iam.amazonaws.com signed for us-east-1 unless another partition is asked for', () => {
    expect(new IamClient({ credentials: testCredentials }).endpoint).toMatchObject({ url: 'https://iam.amazonaws.com/', signingRegion: 'us-east-1' })
    expect(new IamClient({ credentials: testCredentials, region: 'cn-north-1' }).endpoint).toMatchObject({
      url: 'https://iam.cn-north-1.amazonaws.com.cn/',
      signingRegion: 'cn-north-1',
    })
  })

  it('parses the typed output and signs for iam', async () => {
    const fetch = scriptedFetch([xml(200, getUserBody)])
    const iam = new IamClient({ credentials: testCredentials, fetch })
    const out = await iam.send(GetUser, { UserName: 'alice' })
    expect(out.User.UserName).toBe('alice')
    expect(out.User.CreateDate).toBeInstanceOf(Date)
    expect(out.$metadata).toEqual({ requestId: 'rid-get-user', httpStatusCode: 200, attempts: 1 })
    expect(fetch.calls[0]?.body).toBe('Action=GetUser&Version=2010-05-08&UserName=alice')
    expect(fetch.calls[0]?.headers.get('authorization')).toMatch(/\/us-east-1\/iam\/aws4_request/)
  })

  it("finds moto's nested auth error and throws IamError with its code", async () => {
    const fetch = scriptedFetch([new Response(motoAuthError('SignatureDoesNotMatch'), { status: 403, headers: { 'content-type': 'text/html' } })])
    const iam = new IamClient({ credentials: testCredentials, fetch })
    const error = await iam.send(ListUsers, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IamError)
    expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', code: 'SignatureDoesNotMatch', status: 403, requestId: 'rid-auth', action: 'ListUsers' })
  })

  it('refuses invalid input before any request', async () => {
    const fetch = scriptedFetch([])
    const iam = new IamClient({ credentials: testCredentials, fetch })
    await expect(iam.send(GetUser, { UserName: '' })).rejects.toBeInstanceOf(ValidationError)
    expect(fetch.calls).toHaveLength(0)
  })

  it('refuses an STS operation', async () => {
    const iam = new IamClient({ credentials: testCredentials, fetch: scriptedFetch([]) })
    // deliberately the wrong service's descriptor
    await expect(iam.send(GetCallerIdentity as never, {})).rejects.toThrow(/sts:GetCallerIdentity cannot be sent by a iam client/)
  })

  it('InstanceProfileExists retries on HTTP 404, as the model says', async () => {
    const missing = `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>`
    const found = `<GetInstanceProfileResponse xmlns="${IAM_NS}"><GetInstanceProfileResult><InstanceProfile><Path>/</Path><InstanceProfileName>web</InstanceProfileName><InstanceProfileId>AIPAEXAMPLE</InstanceProfileId><Arn>arn:aws:iam::123456789012:instance-profile/web</Arn><CreateDate>2026-11-22T11:03:18Z</CreateDate><Roles/></InstanceProfile></GetInstanceProfileResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetInstanceProfileResponse>`
    const fetch = scriptedFetch([xml(404, missing), xml(200, found)])
    const iam = new IamClient({ credentials: testCredentials, fetch })
    const out = await waitFor(iam, InstanceProfileExists, { InstanceProfileName: 'web' }, { delay: 0 })
    expect(out.InstanceProfile.InstanceProfileName).toBe('web')
    expect(fetch.calls).toHaveLength(2)
  })
})

describe('StsClient', () => {
  it('uses the global endpoint without a region and the regional one with', () => {
    expect(new StsClient({ credentials: testCredentials }).endpoint.url).toBe('https://sts.amazonaws.com/')
    expect(new StsClient({ credentials: testCredentials, region: 'eu-west-1' }).endpoint).toMatchObject({
      url: 'https://sts.eu-west-1.amazonaws.com/',
      signingRegion: 'eu-west-1',
    })
  })

  it('throws StsError for STS error envelopes', async () => {
    const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>rid-sts</RequestId></ErrorResponse>`
    const fetch = scriptedFetch([xml(400, body)])
    const sts = new StsClient({ credentials: testCredentials, fetch })
    const error = await sts.send(GetCallerIdentity, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StsError)
    expect(error).toMatchObject({ code: 'ExpiredToken', service: 'sts', status: 400 })
    expect(fetch.calls[0]?.headers.get('authorization')).toMatch(/\/us-east-1\/sts\/aws4_request/)
  })
})
