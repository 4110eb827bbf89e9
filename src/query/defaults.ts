// The hook through which `iam-edge/config` gives clients built without credentials the AWS CLI's
// chain. The neutral client never imports the config entry (it uses Node built-ins); the entry
// installs itself here when an app imports it. A registered symbol keeps one slot per realm even
// when two copies of this module are loaded.
import type { CredentialProvider } from '../sigv4/types.js'

/** What a client without `credentials` takes from an installed chain; anything passed wins. */
export interface DefaultSettings {
  credentials: CredentialProvider
  region?: string
  endpoint?: string
  allowHttp?: boolean
  retries?: number
}

export type DefaultChain = (service: 'iam' | 'sts') => DefaultSettings

const SLOT = Symbol.for('iam-edge.defaultChain')
type Slot = { [SLOT]?: DefaultChain | undefined }

/** Installs (or with undefined removes) the chain used by clients built without credentials. */
export function setDefaultChain(chain: DefaultChain | undefined): void {
  ;(globalThis as Slot)[SLOT] = chain
}

export function defaultChain(): DefaultChain | undefined {
  return (globalThis as Slot)[SLOT]
}
