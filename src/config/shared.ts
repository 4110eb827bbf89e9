// The shared config and credentials files as botocore sees them: `[profile x]` (or `[default]`) in
// the config file, `[x]` in the credentials file (whose values win for the same profile),
// `[sso-session x]` and `[services x]` sections.
import { type IniSection, parseIni, shellWords } from './ini.js'

export interface SharedConfig {
  /** every profile, config-file values overlaid by credentials-file values */
  profiles: Map<string, IniSection>
  /** the credentials file's sections alone */
  credentialsFile: Map<string, IniSection>
  /** the config file's profiles alone */
  configFile: Map<string, IniSection>
  ssoSessions: Map<string, IniSection>
  services: Map<string, IniSection>
  /** where each file was read from, for messages */
  configPath: string
  credentialsPath: string
}

export interface SharedFiles {
  /** text of the config file; undefined when it does not exist */
  config?: string | undefined
  credentials?: string | undefined
  configPath?: string
  credentialsPath?: string
}

export function parseSharedFiles(files: SharedFiles): SharedConfig {
  const configPath = files.configPath ?? '~/.aws/config'
  const credentialsPath = files.credentialsPath ?? '~/.aws/credentials'
  const configFile = new Map<string, IniSection>()
  const ssoSessions = new Map<string, IniSection>()
  const services = new Map<string, IniSection>()
  for (const [name, values] of files.config === undefined ? [] : parseIni(files.config, configPath)) {
    // as botocore: "profile x", "sso-session x", "services x" (shell-quoted names allowed); [default]
    const words = shellWords(name)
    const target = name.startsWith('profile') ? configFile : name.startsWith('sso-session') ? ssoSessions : name.startsWith('services') ? services : undefined
    if (target && words?.length === 2) target.set(words[1] as string, values)
    else if (name === 'default') configFile.set(name, values)
  }
  const credentialsFile = files.credentials === undefined ? new Map<string, IniSection>() : parseIni(files.credentials, credentialsPath)
  const profiles = new Map<string, IniSection>()
  for (const [name, values] of configFile) profiles.set(name, { ...values })
  for (const [name, values] of credentialsFile) profiles.set(name, { ...profiles.get(name), ...values })
  return { profiles, credentialsFile, configFile, ssoSessions, services, configPath, credentialsPath }
}

/** A text setting of a section; nested blocks and empty values are not text settings. */
export function setting(section: IniSection | undefined, key: string): string | undefined {
  const value = section?.[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A path as botocore expands one: `$NAME` and `${NAME}` from the environment (unknown ones stay), then a leading `~`. */
export function expandPath(given: string, env: Readonly<Record<string, string | undefined>>, home: string | undefined): string {
  const path = given.replace(/\$(\w+|\{[^}]*\})/g, (match, name: string) => env[name.startsWith('{') ? name.slice(1, -1) : name] ?? match)
  return home !== undefined && (path === '~' || path.startsWith('~/')) ? home + path.slice(1) : path
}

/** Where the files are: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else under ~/.aws, expanded. */
export function sharedFilePaths(env: Readonly<Record<string, string | undefined>>, home: string | undefined): { configPath: string; credentialsPath: string } {
  const expand = (path: string) => expandPath(path, env, home)
  return { configPath: expand(env.AWS_CONFIG_FILE || '~/.aws/config'), credentialsPath: expand(env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials') }
}

/** The two files read with a synchronous reader (undefined for a missing file) and parsed. */
export function readSharedFiles(env: Readonly<Record<string, string | undefined>>, home: string | undefined, read: (path: string) => string | undefined): SharedConfig {
  const { configPath, credentialsPath } = sharedFilePaths(env, home)
  return parseSharedFiles({ config: read(configPath), credentials: read(credentialsPath), configPath, credentialsPath })
}
