/// <reference types="node" />
// iam-edge/config: credentials and settings the way the AWS CLI finds them, for Node ≥ 20, Deno
// and Bun. The one entry that uses Node built-ins (files, the home directory, credential_process);
// the parsing and resolution it calls are platform-neutral and exported for Workers too.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname } from 'node:path'
import { setDefaultChain } from '../query/defaults.js'
import { shellWords } from './ini.js'
import { type ClientSettings, clientSettings, type ConfigHost } from './providers.js'
import { ConfigError, type Env, type Resolved, resolveConfig } from './resolve.js'
import { parseSharedFiles, readSharedFiles, type SharedConfig, sharedFilePaths } from './shared.js'

export { ConfigFileError, parseIni, type IniSection, type IniValue } from './ini.js'
export { parseSharedFiles, readSharedFiles, sharedFilePaths, type SharedConfig, type SharedFiles } from './shared.js'
export { ConfigError, resolveConfig, type CredentialPlan, type Env, type Resolved, type ResolveOptions } from './resolve.js'
export { clientSettings, providerFor, type ClientSettings, type ConfigHost } from './providers.js'

export interface LoadOptions {
  /** the profile (as `--profile`: the AWS_ACCESS_KEY_ID variables are then not used) */
  profile?: string
  /** default: the process environment */
  env?: Env
  /** default: the global fetch */
  fetch?: typeof fetch
}

// a missing file reads as undefined; any other failure stands
const missing = (error: unknown): undefined => {
  if ((error as { code?: string }).code === 'ENOENT') return undefined
  throw error
}

const readText = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(missing)

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    return missing(error)
  }
}

/** The home directory as the AWS CLI finds it: HOME (USERPROFILE on Windows), else the OS's answer. */
function homeOf(env: Env): string {
  return env.HOME || env.USERPROFILE || homedir()
}

/** Reads the config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/). */
export async function loadSharedConfig(env: Env = process.env): Promise<SharedConfig> {
  const { configPath, credentialsPath } = sharedFilePaths(env, homeOf(env))
  const [config, credentials] = await Promise.all([readText(configPath), readText(credentialsPath)])
  return parseSharedFiles({ config, credentials, configPath, credentialsPath })
}

/**
 * Runs a credential_process command line as the AWS CLI does: split as a shell would, run without
 * one. Exit 127 when the program is not found.
 */
export function runCommand(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [file, ...args] = shellWords(command) ?? []
  if (!file) return Promise.reject(new ConfigError(`credential_process ${JSON.stringify(command)} is not a command line`))
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : error.code === 'ENOENT' ? 127 : 1) : 0
      resolve({ code, stdout, stderr: stderr || (code === 127 ? `${file}: command not found` : '') })
    })
  })
}

/** The host the providers use here: files, the home directory, credential_process without a shell. */
export function nodeHost(env: Env, fetchFn?: typeof fetch): ConfigHost {
  return {
    env,
    home: homeOf(env),
    readFile: readText,
    async writeFile(path, text) {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, text, { mode: 0o600 })
    },
    run: runCommand,
    ...(fetchFn ? { fetch: fetchFn } : {}),
  }
}

/** The resolved profile and its credential plan, for tools that report where credentials come from. */
export async function resolveProfile(options: LoadOptions = {}): Promise<Resolved> {
  const env = options.env ?? process.env
  return resolveConfig(await loadSharedConfig(env), env, options.profile === undefined ? {} : { profile: options.profile })
}

/**
 * Credentials, region and endpoint for one service, from the environment and the shared files,
 * as the AWS CLI resolves them: `new IamClient(await fromProfile({ service: 'iam' }))`.
 */
export async function fromProfile(options: LoadOptions & { service?: 'iam' | 'sts' } = {}): Promise<ClientSettings> {
  const env = options.env ?? process.env
  return clientSettings(await resolveProfile({ ...options, env }), options.service, nodeHost(env, options.fetch))
}

/**
 * What a client built without credentials uses once this entry is imported: the profile
 * (AWS_PROFILE or default) resolved now from the environment and the files, read synchronously
 * because a constructor cannot wait; credentials are fetched lazily, on the first request.
 */
export function defaultClientSettings(service: 'iam' | 'sts', env: Env = process.env): ClientSettings {
  return clientSettings(resolveConfig(readSharedFiles(env, homeOf(env), readTextSync), env), service, nodeHost(env))
}

// The one thing this entry does on import (package.json lists it under sideEffects):
// `new IamClient()` and `new StsClient()` without credentials then use the chain above.
setDefaultChain((service) => defaultClientSettings(service))
