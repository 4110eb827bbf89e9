import {
  assumeRole,
  buildWireRequest,
  type CredentialProvider,
  type Credentials,
  errorCodeIn,
  exchange,
  isAwsQueryError,
  isErrorNamed,
  isRetryableResponse,
  requestIdIn,
  resolveEndpoint,
} from '../src/index.js'
import { iamService } from '../src/iam/index.js'
import { SigningKeyCache, signRequest } from '../src/sigv4/index.js'
import { stsService } from '../src/sts/index.js'
import type { Config } from './config.js'

export const SERVICES = { iam: iamService, sts: stsService } as const

/** Why an upstream call got no usable answer, for the caller (code) and the logs (detail). */
export interface UpstreamFailure {
  kind: 'timeout' | 'network' | 'too-large' | 'unreadable' | 'credentials' | 'throttled'
  /** the code the caller sees: the upstream's own when it answered (the credentials' STS call) */
  code: string
  /** for the logs: error names, codes and messages, never a secret or a body */
  detail: string
  /** throttled: seconds until the gate lets this action through again */
  retryAfter?: number
}

export interface UpstreamAnswer {
  status: number
  body: string
  requestId: string | undefined
  failed?: UpstreamFailure
}

/** The largest upstream answer read; IAM's biggest (authorization details) are a few MB. */
const MAX_UPSTREAM_BYTES = 16 * 1024 * 1024

const keyCache = new SigningKeyCache()
const providers = new WeakMap<Config, CredentialProvider>()

/** The Worker's own credentials: the secrets, or a role assumed with them and refreshed. */
function upstreamCredentials(config: Config, fetchImpl: typeof fetch): CredentialProvider {
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
 * bytes or headers), signed with the Worker's credentials, sent through the client's transport
 * (timeout covering the body, size cap). Never throws: a failure is described in `failed`.
 */
export async function callUpstream(
  config: Config,
  service: 'iam' | 'sts',
  action: string,
  params: ReadonlyArray<readonly [string, string]>,
  fetchImpl: typeof fetch,
): Promise<UpstreamAnswer> {
  const endpoint = resolveEndpoint(service, { endpoint: service === 'iam' ? config.iamEndpoint : config.stsEndpoint })
  const form = new URLSearchParams([['Action', action], ['Version', SERVICES[service].version], ...params.map(([k, v]) => [k, v])])
  let credentials: Credentials
  try {
    credentials = await upstreamCredentials(config, fetchImpl)()
  } catch (error) {
    return failed('credentials', isAwsQueryError(error) ? error.code : 'UpstreamCredentialsFailed', error)
  }
  try {
    const wire = buildWireRequest(endpoint.url, form, 'POST')
    const signed = await signRequest(wire, { credentials, region: endpoint.signingRegion, service, keyCache })
    const res = await exchange(fetchImpl, { ...wire, headers: signed.headers }, config.upstreamTimeoutMs, undefined, MAX_UPSTREAM_BYTES)
    if (res.status >= 200 && res.status < 300 && !wholeAnswer(action, res.body)) {
      return failed('unreadable', 'UpstreamUnreadable', new Error(`HTTP ${res.status}, ${res.body.length} characters, not a whole <${action}Response> document`))
    }
    return { status: res.status, body: res.body, requestId: requestIdIn(res.body) ?? res.headers.get('x-amzn-requestid') ?? undefined }
  } catch (error) {
    if (isErrorNamed(error, 'TimeoutError')) return failed('timeout', 'RequestTimeout', error)
    if (isErrorNamed(error, 'ResponseTooLargeError')) return failed('too-large', 'UpstreamResponseTooLarge', error)
    if (isErrorNamed(error, 'XmlParseError')) return failed('unreadable', 'UpstreamUnreadable', error)
    return failed('network', 'ServiceUnavailable', error)
  }
}

/**
 * A success is stored and served to every caller, so it must at least be this action's whole
 * answer: its root element opened and closed (not a cut body, not an HTML page from a portal or a
 * wrong IAM_ENDPOINT). Checked by its two ends, not parsed: answers run to megabytes, and the
 * Query API hands them on unparsed.
 */
function wholeAnswer(action: string, body: string): boolean {
  const root = `${action}Response`
  const open = /^\s*(?:<\?xml[^>]*\?>\s*)?<([^\s/>]+)[\s>]/.exec(body)
  return open?.[1] === root && body.trimEnd().endsWith(`</${root}>`)
}

function failed(kind: UpstreamFailure['kind'], code: string, error: unknown): UpstreamAnswer {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'
  return { status: kind === 'timeout' ? 504 : 502, body: '', requestId: undefined, failed: { kind, code, detail } }
}

/** No upstream call was made (the gate's budget, a paused action, an overloaded gate): IAM's Throttling, with the seconds to wait. */
export function throttledAnswer(detail: string, retryAfter: number): UpstreamAnswer {
  return { status: 400, body: '', requestId: undefined, failed: { kind: 'throttled', code: 'Throttling', detail, retryAfter } }
}

/** What the caller is told when upstream gave no usable answer; the detail stays in the logs. */
export function failureMessage(f: UpstreamFailure): string {
  switch (f.kind) {
    case 'timeout':
      return 'IAM did not answer in time'
    case 'too-large':
      return `IAM answered with more than ${MAX_UPSTREAM_BYTES} bytes`
    case 'unreadable':
      return 'IAM answered with a body this proxy cannot read'
    case 'credentials':
      return `the proxy's own AWS credentials failed (${f.code}); its operator finds the cause in the proxy's logs under this request id`
    case 'network':
      return 'IAM could not be reached'
    case 'throttled':
      return `the proxy's upstream budget for this call is spent; retry after ${f.retryAfter ?? 1} s`
  }
}

/** Upstream is in trouble (not the caller's fault): no answer, 5xx, 429, throttling or a transient code. */
export function upstreamFailed(answer: UpstreamAnswer): boolean {
  return answer.failed !== undefined || isRetryableResponse(answer.status, answer.status >= 300 ? errorCodeIn(answer.body) : undefined)
}

/**
 * Bytes a string takes in an isolate: V8 keeps a string of Latin-1 characters at one byte each,
 * any other at two.
 */
export function heldBytes(text: string): number {
  return /[^\x00-\xff]/.test(text) ? text.length * 2 : text.length
}
