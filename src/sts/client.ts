import { QueryClient, type ServiceBinding } from '../query/client.js'
import type { QueryClientConfig } from '../query/config.js'
import { queryProtocol, type QueryXmlReader } from '../query/query-protocol.js'
import { StsError } from './errors.js'
import { stsIrregularErrorNames } from './generated/error-codes.js'

export type StsClientConfig = QueryClientConfig<QueryXmlReader>

const sts: ServiceBinding<QueryXmlReader> = {
  id: 'sts',
  protocol: queryProtocol,
  irregularErrorNames: stsIrregularErrorNames,
  createError: (fields) => new StsError(fields),
}

/**
 * STS over the Query API: `await new StsClient({ credentials }).send(GetCallerIdentity, {})`.
 * Without `region` it uses the global endpoint; with one, the regional endpoint.
 */
export class StsClient extends QueryClient<QueryXmlReader> {
  constructor(config: StsClientConfig = {}) {
    super(sts, config)
  }
}
