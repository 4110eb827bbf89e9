import { assumeRole } from '../src/credentials/assume-role.js'
import type { CredentialProvider, Credentials } from '../src/credentials/types.js'
import { SigningKeyCache } from '../src/sigv4/key-cache.js'
import { signRequest } from '../src/sigv4/sign.js'
import type { Config } from './config.js'

export interface UpstreamAnswer {
  status: number
  body: string
  requestId: string | undefined
  /** the call never got an answer: timeout or network failure */
  failed?: 'timeout' | 'network'
}

const keyCache = new SigningKeyCache()
const providers = new WeakMap<Config, CredentialProvider>()

/** The Worker's own credentials: the secrets, or a role assumed with them and refreshed. */
export function upstreamCredentials(config: Config, fetchImpl: typeof fetch): CredentialProvider {
  let provider = providers.get(config)
  if (!provider) {
    const { accessKeyId, secretAccessKey, sessionToken, roleArn } = config.upstream
    const base: Credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
    provider = roleArn
      ? assumeRole({ client: base, RoleArn: roleArn, RoleSessionName: 'iam-edge-proxy', sts: { endpoint: config.stsEndpoint, fetch: fetchImpl, allowHttp: true, retries: 2 } })
      : async () => base
    providers.set(config, provider)
  }
  return provider
}

/**
 * One upstream Query call, rebuilt from the checked action and parameters (never the caller's
 * bytes or headers) and signed with the Worker's credentials, within the upstream timeout.
 */
export async function callUpstream(
  config: Config,
  service: 'iam' | 'sts',
  action: string,
  params: ReadonlyArray<readonly [string, string]>,
  fetchImpl: typeof fetch,
): Promise<UpstreamAnswer> {
  const form = new URLSearchParams([['Action', action], ['Version', service === 'iam' ? '2010-05-08' : '2011-06-15'], ...params.map(([k, v]) => [k, v])])
  const endpoint = service === 'iam' ? config.iamEndpoint : config.stsEndpoint
  try {
    const credentials = await upstreamCredentials(config, fetchImpl)()
    const signed = await signRequest(
      { method: 'POST', url: `${endpoint}/`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form.toString() },
      { credentials, region: signingRegion(endpoint), service, keyCache },
    )
    const signal = AbortSignal.timeout(config.upstreamTimeoutMs)
    const res = await fetchImpl(signed.url, { method: 'POST', headers: signed.headers, body: form.toString(), signal })
    // the timeout covers the body too, even from a fetch that does not tie the body to the signal
    const body = await Promise.race([res.text(), rejectOnAbort(signal)])
    return { status: res.status, body, requestId: requestIdOf(body) ?? res.headers.get('x-amzn-requestid') ?? undefined }
  } catch (error) {
    const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return { status: timeout ? 504 : 502, body: '', requestId: undefined, failed: timeout ? 'timeout' : 'network' }
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

/** IAM's aws-cn and aws-us-gov endpoints sign for their partition's region; everything else us-east-1. */
function signingRegion(endpoint: string): string {
  if (endpoint.includes('.amazonaws.com.cn')) return 'cn-north-1'
  if (endpoint.includes('us-gov')) return 'us-gov-west-1'
  const regional = /sts\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint)
  return regional ? (regional[1] as string) : 'us-east-1'
}

const THROTTLING = /<Code>\s*(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|RequestThrottled)\s*<\/Code>/

/** Upstream is in trouble (not the caller's fault): 5xx, throttling, timeout, no answer. */
export function upstreamFailed(answer: UpstreamAnswer): boolean {
  return answer.failed !== undefined || answer.status >= 500 || answer.status === 429 || THROTTLING.test(answer.body)
}

/** The RequestId an IAM/STS answer carries in its body. */
export function requestIdOf(body: string): string | undefined {
  return /<RequestId>([^<]+)<\/RequestId>/.exec(body)?.[1]
}

export function errorCodeOf(answer: UpstreamAnswer): string | undefined {
  return /<Code>\s*([^<\s]+)\s*<\/Code>/.exec(answer.body)?.[1]
}
