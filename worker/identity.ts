import type { Caller } from './types.js'
import type { CallContext } from './proxied-call.js'
import { proxiedCall } from './proxied-call.js'
import { errorCodeIn } from '../src/index.js'
import { Refusal } from './answers.js'
import { retryAfter } from './failures.js'
import { failureMessage, SERVICES } from './upstream.js'

const STS_NS = SERVICES.sts.xmlNamespace

/**
 * STS identity calls answer for the proxy caller, not for the Worker's credentials: the account
 * is upstream's (learned once with sts:GetCallerIdentity, cached like any answer), the identity
 * the caller's proxy key: arn:aws:iam::<account>:user/iam-edge/<caller name>.
 */
export async function answerSts(ctx: CallContext, caller: Caller, action: string, params: ReadonlyArray<readonly [string, string]>, requestId: string): Promise<{ body: string; cache: string }> {
  // the call is checked before the account is looked up upstream
  if (action === 'GetCallerIdentity') {
    if (params.length > 0) throw new Refusal(400, 'UnknownParameter', 'GetCallerIdentity takes no parameters')
  } else {
    const keyId = params.find(([k]) => k === 'AccessKeyId')?.[1]
    if (!keyId || params.length !== 1) throw new Refusal(400, 'ValidationError', 'GetAccessKeyInfo takes exactly AccessKeyId')
    // only the caller's own key: another caller's id and an unknown one get the same answer, so
    // the call tells no one which proxy key ids exist
    if (caller.accessKeyId === undefined || keyId !== caller.accessKeyId) throw new Refusal(403, 'AccessDenied', 'the proxy answers GetAccessKeyInfo only for the key that signed the request')
  }
  const upstream = await proxiedCall(ctx, 'sts', 'GetCallerIdentity', [])
  const account = /<Account>\s*(\d{12})\s*<\/Account>/.exec(upstream.answer.body)?.[1]
  const { answer } = upstream
  if (answer.failed) throw new Refusal(answer.status, answer.failed.code, failureMessage(answer.failed), retryAfter(answer))
  if (answer.status !== 200 || !account) {
    // the Worker's own credentials were refused by sts:GetCallerIdentity: say with which code
    throw new Refusal(502, errorCodeIn(answer.body) ?? 'ServiceUnavailable', `the upstream account could not be determined (sts:GetCallerIdentity answered HTTP ${answer.status})`, retryAfter(answer))
  }
  const meta = `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`
  if (action === 'GetCallerIdentity') {
    const name = caller.name.replace(/[^\w+=,.@-]/g, '_')
    const result = `<Arn>arn:aws:iam::${account}:user/iam-edge/${name}</Arn><UserId>${caller.accessKeyId ?? name}</UserId><Account>${account}</Account>`
    return { body: `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult>${result}</GetCallerIdentityResult>${meta}</GetCallerIdentityResponse>`, cache: upstream.status }
  }
  return { body: `<GetAccessKeyInfoResponse xmlns="${STS_NS}"><GetAccessKeyInfoResult><Account>${account}</Account></GetAccessKeyInfoResult>${meta}</GetAccessKeyInfoResponse>`, cache: upstream.status }
}
