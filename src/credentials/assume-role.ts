import type { QueryClientConfig } from '../query/config.js'
import { XmlParseError } from '../query/errors.js'
import type { OperationSender } from '../query/paginate.js'
import type { QueryXmlReader } from '../query/query-protocol.js'
import { StsClient } from '../sts/client.js'
import { AssumeRole } from '../sts/generated/index.js'
import { refreshingProvider } from './refreshing.js'
import type { CredentialProvider, Credentials, TemporaryCredentials } from './types.js'

export interface AssumeRoleOptions {
  /** an STS client, or the base credentials to build one with (`sts` configures it) */
  client: OperationSender | Credentials | CredentialProvider
  RoleArn: string
  RoleSessionName: string
  /** 900..43200; STS defaults to 3600 */
  DurationSeconds?: number
  ExternalId?: string
  /** refresh this long before the temporary credentials expire (default 300) */
  refreshBeforeSeconds?: number
  /** config for the STS client built from base credentials (region, endpoint, fetch, …) */
  sts?: Omit<QueryClientConfig<QueryXmlReader>, 'credentials'>
  /** clock, ms since the epoch; injectable for tests */
  now?: () => number
}

function isSender(value: AssumeRoleOptions['client']): value is OperationSender {
  return typeof value === 'object' && value !== null && 'send' in value && typeof value.send === 'function'
}

/**
 * Temporary credentials of a role, cached and refreshed `refreshBeforeSeconds` before they
 * expire. Concurrent callers share one AssumeRole call; a failure reaches every waiting caller and
 * the next call tries again.
 */
export function assumeRole(options: AssumeRoleOptions): CredentialProvider {
  const { RoleArn, RoleSessionName, DurationSeconds, ExternalId } = options
  if (typeof RoleArn !== 'string' || !RoleArn.startsWith('arn:')) throw new TypeError(`RoleArn: expected a role ARN, got ${String(RoleArn)}`)
  if (typeof RoleSessionName !== 'string' || RoleSessionName === '') throw new TypeError('RoleSessionName: required')
  const client = isSender(options.client) ? options.client : new StsClient({ ...options.sts, credentials: options.client })
  const input = {
    RoleArn,
    RoleSessionName,
    ...(DurationSeconds === undefined ? {} : { DurationSeconds }),
    ...(ExternalId === undefined ? {} : { ExternalId }),
  }
  const load = async (): Promise<TemporaryCredentials> => {
    const out = await client.send(AssumeRole, input)
    const c = out.Credentials
    if (c === undefined) throw new XmlParseError(`sts:AssumeRole for ${RoleArn} answered without Credentials`)
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }
  }
  return refreshingProvider(load, {
    ...(options.refreshBeforeSeconds === undefined ? {} : { refreshBeforeSeconds: options.refreshBeforeSeconds }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
}
