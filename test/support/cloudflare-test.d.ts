// The part of `cloudflare:test` (vitest-pool-workers) these tests use; its own declarations need
// @cloudflare/workers-types, which this project does not install.
declare module 'cloudflare:test' {
  import type { ExecutionContext } from 'hono'
  export function createExecutionContext(): ExecutionContext
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>
  export function runInDurableObject<O, R>(stub: DurableObjectStub<O>, callback: (instance: O, state: DurableObjectState) => R | Promise<R>): Promise<R>
  export function runDurableObjectAlarm(stub: DurableObjectStub<unknown>): Promise<boolean>
}
