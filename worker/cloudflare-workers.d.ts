// The part of the runtime's `cloudflare:workers` module the gate uses (an ambient module: no imports here).
declare module 'cloudflare:workers' {
  /** The base class of a Durable Object with RPC methods. */
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState
    protected env: Env
    constructor(ctx: DurableObjectState, env: Env)
    alarm?(): void | Promise<void>
  }
  /** the bindings, importable anywhere (the tests reach the gate's namespace through it) */
  export const env: Env
}
