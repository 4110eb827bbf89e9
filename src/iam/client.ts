import { QueryClient, type ServiceBinding } from '../query/client.js'
import type { QueryClientConfig } from '../query/config.js'
import { queryProtocol, type QueryXmlReader } from '../query/query-protocol.js'
import { IamError } from './errors.js'
import { iamIrregularErrorNames } from './generated/error-codes.js'

export type IamClientConfig = QueryClientConfig<QueryXmlReader>

const iam: ServiceBinding<QueryXmlReader> = {
  id: 'iam',
  protocol: queryProtocol,
  irregularErrorNames: iamIrregularErrorNames,
  createError: (fields) => new IamError(fields),
}

/**
 * IAM over the Query API: `await new IamClient({ credentials }).send(ListUsers, {})`.
 * IAM is global per partition; `region` only picks the partition.
 */
export class IamClient extends QueryClient<QueryXmlReader> {
  constructor(config: IamClientConfig = {}) {
    super(iam, config)
  }
}
