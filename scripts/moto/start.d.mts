export declare const MOTO_INSTALL_HINT: string

export declare class MotoMissingError extends Error {
  constructor(command: string, cause?: unknown)
}

export interface StartMotoOptions {
  /** moto checks signatures and IAM policies after this many service calls (INITIAL_NO_AUTH_ACTION_COUNT) */
  noAuthActionCount?: number
  port?: number
  /** executable to run (default $MOTO_SERVER or `moto_server`) */
  command?: string
  env?: Record<string, string>
  startupMs?: number
}

export interface RunningMoto {
  endpoint: string
  port: number
  pid: number | undefined
  stop(): Promise<void>
  stderr(): string
}

export declare function freePort(host?: string): Promise<number>
export declare function startMoto(options?: StartMotoOptions): Promise<RunningMoto>
export declare function setNoAuthActionCount(endpoint: string, count: number): Promise<void>
