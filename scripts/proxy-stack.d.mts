import type { RunningMoto } from './moto/start.mjs'
import type { SeededAccount } from './moto/seed.mjs'

export interface CountingProxy {
  endpoint: string
  count(action?: string): number
  reset(): void
  close(): Promise<void>
}
export function countingProxy(target: string): Promise<CountingProxy>

export interface ProxyStack {
  url: string
  key: { accessKeyId: string; secretAccessKey: string }
  token: string
  account: SeededAccount
  moto: RunningMoto
  counter: CountingProxy
  logs(): string
  stop(): Promise<void>
}
export function startProxyStack(options?: {
  vars?: Record<string, string>
  keys?: Record<string, unknown>
  tokens?: Record<string, unknown>
}): Promise<ProxyStack>
