// The contenders of the signing benchmark, each a function that signs the same IAM ListUsers POST.
import { Sha256 } from '@aws-crypto/sha256-js'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import { AwsV4Signer } from 'aws4fetch'
import { Signer, signRequest } from '../../dist/sigv4/index.js'

export const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
export const request = {
  method: 'POST',
  url: 'https://iam.amazonaws.com/',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=ListUsers&Version=2010-05-08',
}

export function contenders() {
  const signer = new Signer({ credentials, region: 'us-east-1', service: 'iam' })
  // aws4fetch's signer with one key cache shared across calls, as its AwsClient keeps one
  const awsCache = new Map()
  const smithyInit = { credentials, region: 'us-east-1', service: 'iam', uriEscapePath: true, applyChecksum: false }
  const smithyJs = new SignatureV4({ ...smithyInit, sha256: Sha256 })
  const smithyNode = new SignatureV4({ ...smithyInit, sha256: Hash.bind(null, 'sha256') })
  const smithyRequest = () => ({
    method: 'POST',
    protocol: 'https:',
    hostname: 'iam.amazonaws.com',
    path: '/',
    query: {},
    headers: { host: 'iam.amazonaws.com', 'content-type': request.headers['content-type'] },
    body: request.body,
  })

  // the WebCrypto calls no SigV4 signer can skip once its key is cached: hash the body, hash the
  // canonical request, HMAC the string to sign
  const subtle = globalThis.crypto.subtle
  const enc = new TextEncoder()
  const keyPromise = subtle.importKey('raw', enc.encode('k'.repeat(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const canonical = `POST\n/\n\ncontent-type:${request.headers['content-type']}\nhost:iam.amazonaws.com\nx-amz-date:20261122T100000Z\n\ncontent-type;host;x-amz-date\n${'0'.repeat(64)}`
  const floor = async () => {
    const key = await keyPromise
    await subtle.digest('SHA-256', enc.encode(request.body))
    await subtle.digest('SHA-256', enc.encode(canonical))
    await subtle.sign('HMAC', key, enc.encode(canonical.slice(0, 120)))
  }

  return {
    'iam-edge signRequest': () => signRequest(request, { credentials, region: 'us-east-1', service: 'iam' }),
    'iam-edge Signer': () => signer.sign(request),
    'aws4fetch AwsV4Signer': () => new AwsV4Signer({ ...request, ...credentials, service: 'iam', region: 'us-east-1', cache: awsCache }).sign(),
    'smithy + sha256-js': () => smithyJs.sign(smithyRequest()),
    'crypto floor': floor,
    'smithy + node:crypto (native reference)': () => smithyNode.sign(smithyRequest()),
  }
}
