// Cloudflare's additions to the platform types this Worker uses (no @cloudflare/workers-types here):
// the default cache, and the parts of Durable Objects the gate uses.
declare global {
  interface CacheStorage {
    /** the data centre's default cache (Cache API) */
    readonly default: Cache
  }

  type SqlStorageValue = ArrayBuffer | string | number | null

  interface SqlStorageCursor<T extends Record<string, SqlStorageValue>> extends Iterable<T> {
    toArray(): T[]
    one(): T
    readonly rowsRead: number
    readonly rowsWritten: number
  }

  interface SqlStorage {
    exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: SqlStorageValue[]): SqlStorageCursor<T>
    /** bytes the database takes in storage */
    readonly databaseSize: number
  }

  interface DurableObjectStorage {
    readonly sql: SqlStorage
    getAlarm(): Promise<number | null>
    setAlarm(scheduledTime: number | Date): Promise<void>
    deleteAlarm(): Promise<void>
  }

  interface DurableObjectId {
    toString(): string
  }

  interface DurableObjectState {
    readonly id: DurableObjectId
    readonly storage: DurableObjectStorage
    waitUntil(promise: Promise<unknown>): void
    abort(reason?: string): void
  }

  /** A stub's methods are the object's public methods, each answering a Promise (Workers RPC). */
  type DurableObjectStub<T> = {
    [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never
  }

  interface DurableObjectNamespace<T = unknown> {
    idFromName(name: string): DurableObjectId
    get(id: DurableObjectId): DurableObjectStub<T>
  }
}

export {}
