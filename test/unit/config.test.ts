import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSettings, ConfigError, ConfigFileError, nodeHost, parseIni, parseSharedFiles, providerFor, resolveConfig, sharedFilePaths, type CredentialPlan } from '../../src/config/index.js'
import { shellWords } from '../../src/config/ini.js'

const resolve = (config: string, credentials = '', env: Record<string, string> = {}, profile?: string) =>
  resolveConfig(parseSharedFiles({ config, credentials }), env, profile === undefined ? {} : { profile })

describe('the INI dialect', () => {
  it('reads comments, both delimiters, lowercased names, continuations, nested blocks and [DEFAULT]', () => {
    const text = '# top\n[DEFAULT]\nregion = eu-west-1\n[profile a]\n; note\nAWS_Access_Key_ID = AK\nsecret: S=1\nlong = one\n  two\n\n  three\n[services s]\niam =\n  endpoint_url = http://x\n\n'
    const ini = parseIni(text, 'f')
    expect(ini.get('profile a')).toEqual({ region: 'eu-west-1', aws_access_key_id: 'AK', secret: 'S=1', long: 'one\ntwo\n\nthree' })
    expect(ini.get('services s')).toEqual({ region: 'eu-west-1', iam: { endpoint_url: 'http://x' } })
    expect(ini.has('DEFAULT')).toBe(false)
  })

  it.each([
    ['key = v\n[a]', /line 1: "key = v" comes before any \[section\]/],
    ['[a]\nx = 1\n[a]', /line 3: section \[a\] appears twice/],
    ['[a]\nx = 1\nX = 2', /line 3: x is set twice/],
    ['[a]\njust words', /line 2: expected "name = value"/],
    ['[a]\nx =\n  no equals here', /nested line "no equals here"/],
  ])('refuses %j with the line', (text, message) => {
    expect(() => parseIni(text, 'my-aws-config')).toThrow(ConfigFileError)
    expect(() => parseIni(text, 'my-aws-config')).toThrow(message)
  })

  it('splits section names as a POSIX shell does', () => {
    expect(shellWords('profile  "my prod"')).toEqual(['profile', 'my prod'])
    expect(shellWords("profile 'a b'c")).toEqual(['profile', 'a bc'])
    expect(shellWords('profile "open')).toBeUndefined()
  })
})

describe('where the files are', () => {
  it('expands $NAME and ${NAME} from the environment, then a leading ~, as botocore does', () => {
    const env = { AWS_CONFIG_FILE: '$BASE/aws/${NAME}', BASE: '~/dot', NAME: 'cfg', AWS_SHARED_CREDENTIALS_FILE: '$NOPE/creds~' }
    expect(sharedFilePaths(env, '/u')).toEqual({ configPath: '/u/dot/aws/cfg', credentialsPath: '$NOPE/creds~' })
    expect(sharedFilePaths({}, '/u')).toEqual({ configPath: '/u/.aws/config', credentialsPath: '/u/.aws/credentials' })
    expect(sharedFilePaths({ AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '~other/c' }, '/u')).toEqual({ configPath: '/u/.aws/config', credentialsPath: '~other/c' })
  })
})

describe('max_attempts', () => {
  it('takes AWS_MAX_ATTEMPTS over the profile, gives clients retries = attempts - 1, and names a bad value', () => {
    const config = '[default]\nmax_attempts = 5\naws_access_key_id = A\naws_secret_access_key = S\n[profile none]\naws_access_key_id = A\naws_secret_access_key = S\n'
    expect(resolve(config).maxAttempts).toBe(5)
    expect(resolve(config, '', { AWS_MAX_ATTEMPTS: '1' }).maxAttempts).toBe(1)
    expect(resolve(config, '', {}, 'none').maxAttempts).toBeUndefined()
    const host = { env: {}, readFile: () => Promise.resolve(undefined) }
    expect(clientSettings(resolve(config, '', { AWS_MAX_ATTEMPTS: '1' }), 'iam', host).retries).toBe(0)
    expect(clientSettings(resolve(config), 'iam', host).retries).toBe(4)
    expect(() => resolve(config, '', { AWS_MAX_ATTEMPTS: '0' })).toThrow(/AWS_MAX_ATTEMPTS must be a whole number from 1 to 21, got "0"/)
    expect(() => resolve('[default]\nmax_attempts = many\n')).toThrow(/max_attempts of profile "default" must be a whole number/)
  })
})

describe('profiles and precedence', () => {
  const config = '[default]\nregion = us-west-2\naws_access_key_id = CFGDEF\naws_secret_access_key = s\n[profile prod]\nregion = eu-central-1\naws_access_key_id = CFGPROD\naws_secret_access_key = s\n[profile "with space"]\nregion = ap-south-1\n[prodx]\nregion = nope\n'
  const credentials = '[prod]\naws_access_key_id = CREDPROD\naws_secret_access_key = s2\naws_session_token = t\n'

  it('takes [profile x] and [default] from the config file, [x] from the credentials file (which wins)', () => {
    const r = resolve(config, credentials, { AWS_PROFILE: 'prod' })
    expect(r.profile).toBe('prod')
    expect(r.region).toBe('eu-central-1')
    expect(r.credentials).toMatchObject({ source: 'shared-credentials-file', accessKeyId: 'CREDPROD', sessionToken: 't' })
    expect(resolve(config, '', {}).credentials).toMatchObject({ source: 'config-file', accessKeyId: 'CFGDEF' })
    expect(resolve(config, '', {}, 'with space').region).toBe('ap-south-1')
    expect(() => resolve(config, '', {}, 'prodx')).toThrow(/profile "prodx" not found in ~\/.aws\/config or ~\/.aws\/credentials/)
  })

  it('lets AWS_ACCESS_KEY_ID win unless the profile is given explicitly, and AWS_REGION win over the profile', () => {
    const env = { AWS_ACCESS_KEY_ID: 'ENVKEY', AWS_SECRET_ACCESS_KEY: 'x', AWS_PROFILE: 'prod', AWS_REGION: 'sa-east-1', AWS_DEFAULT_REGION: 'ca-central-1' }
    expect(resolve(config, credentials, env).credentials).toMatchObject({ source: 'env', accessKeyId: 'ENVKEY' })
    expect(resolve(config, credentials, env, 'prod').credentials).toMatchObject({ source: 'shared-credentials-file' })
    expect(resolve(config, credentials, env).region).toBe('sa-east-1')
    expect(resolve(config, credentials, { AWS_DEFAULT_REGION: 'ca-central-1' }).region).toBe('ca-central-1')
    expect(() => resolve('', '', { AWS_ACCESS_KEY_ID: 'A' })).toThrow(/AWS_SECRET_ACCESS_KEY is not/)
  })

  it('chains roles through source_profile, refuses loops, mfa_serial and half-configured roles', () => {
    const chain = '[profile base]\naws_access_key_id = BASE\naws_secret_access_key = s\n[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\nsource_profile = base\n[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = mid\nexternal_id = ext\nduration_seconds = 1800\nrole_session_name = me\n'
    const top = resolve(chain, '', {}, 'top').credentials as Extract<CredentialPlan, { source: 'assume-role' }>
    expect(top).toMatchObject({ source: 'assume-role', roleArn: 'arn:aws:iam::1:role/top', externalId: 'ext', durationSeconds: 1800, sessionName: 'me' })
    expect(top.base).toMatchObject({ source: 'assume-role', roleArn: 'arn:aws:iam::1:role/mid', base: { source: 'config-file', accessKeyId: 'BASE' } })
    const loop = '[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n'
    expect(() => resolve(loop, '', {}, 'a')).toThrow(/source_profile loop: a → b → a/)
    const self = '[profile s]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = s\naws_access_key_id = SELF\naws_secret_access_key = x\n'
    expect(resolve(self, '', {}, 's').credentials).toMatchObject({ source: 'assume-role', base: { accessKeyId: 'SELF' } })
    expect(() => resolve('[profile m]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = m2\nmfa_serial = arn:aws:iam::1:mfa/u\n[profile m2]\naws_access_key_id=a\naws_secret_access_key=b', '', {}, 'm')).toThrow(/MFA code \(mfa_serial\)/)
    expect(() => resolve('[profile r]\nrole_arn = arn:aws:iam::1:role/r\n', '', {}, 'r')).toThrow(/role_arn without source_profile or credential_source/)
    expect(resolve('[profile e]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n', '', { AWS_ACCESS_KEY_ID: 'E', AWS_SECRET_ACCESS_KEY: 's' }, 'e').credentials).toMatchObject({ base: { source: 'env', accessKeyId: 'E' } })
  })

  it('takes web identity from the environment or the profile, then SSO, then a process', () => {
    expect(resolve('', '', { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/w' }).credentials).toMatchObject({ source: 'assume-role-with-web-identity', tokenFile: '/t' })
    expect(() => resolve('', '', { AWS_WEB_IDENTITY_TOKEN_FILE: '/t' })).toThrow(/without a role ARN/)
    const sso = '[profile s]\nsso_session = corp\nsso_account_id = 111\nsso_role_name = Reader\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n'
    expect(resolve(sso, '', {}, 's').credentials).toMatchObject({ source: 'sso', session: 'corp', startUrl: 'https://corp.awsapps.com/start', ssoRegion: 'eu-west-1', accountId: '111', roleName: 'Reader' })
    expect(() => resolve('[profile s]\nsso_session = nope\n', '', {}, 's')).toThrow(/no \[sso-session nope\] section/)
    expect(() => resolve('[profile s]\nsso_start_url = https://x\n', '', {}, 's')).toThrow(/missing sso_region, sso_account_id, sso_role_name/)
    expect(resolve('[profile p]\ncredential_process = /bin/creds --x\naws_access_key_id = CFG\naws_secret_access_key = s\n', '', {}, 'p').credentials).toMatchObject({ source: 'custom-process' })
  })

  it('falls back to the container, then instance metadata unless disabled', () => {
    expect(resolve('', '', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' }).credentials).toMatchObject({ source: 'container-role', relativeUri: '/v2/creds' })
    expect(resolve('', '', {}).credentials).toEqual({ source: 'iam-role', endpoint: 'http://169.254.169.254' })
    expect(resolve('', '', { AWS_EC2_METADATA_DISABLED: 'true' }).credentials).toBeUndefined()
  })

  it('finds endpoints: service variable, services section, global variable, profile', () => {
    const cfg = '[default]\nendpoint_url = http://profile\nservices = local\n[services local]\nsts =\n  endpoint_url = http://section-sts\n'
    const r = resolve(cfg, '', {})
    expect([r.endpointFor('iam'), r.endpointFor('sts')]).toEqual(['http://profile', 'http://section-sts'])
    const e = resolve(cfg, '', { AWS_ENDPOINT_URL: 'http://env', AWS_ENDPOINT_URL_IAM: 'http://env-iam' })
    expect([e.endpointFor('iam'), e.endpointFor('sts')]).toEqual(['http://env-iam', 'http://section-sts'])
    expect(resolve(cfg, '', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).endpointFor('iam')).toBeUndefined()
  })
})

describe('credential sources carried out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-edge-config-'))
  let server: Server
  let base = ''
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = []
  let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void = (_req, _b, res) => res.end()
  const later = new Date(Date.now() + 3_600_000).toISOString()

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
        handler(req, body, res)
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('runs credential_process (Version 1) and names its failure with the first stderr line', async () => {
    const ok = join(dir, 'ok.mjs')
    writeFileSync(ok, `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'PROC', SecretAccessKey: 's', SessionToken: 't', Expiration: '${later}' }))`)
    const bad = join(dir, 'bad.mjs')
    writeFileSync(bad, "console.error('token expired\\nmore'); process.exit(3)")
    const host = nodeHost({}, undefined)
    const creds = await providerFor({ source: 'custom-process', profile: 'p', command: `${process.execPath} ${ok}` }, host)()
    expect(creds).toMatchObject({ accessKeyId: 'PROC', sessionToken: 't' })
    await expect(providerFor({ source: 'custom-process', profile: 'p', command: `${process.execPath} ${bad}` }, host)()).rejects.toThrow('credential_process for profile "p" exited 3: token expired')
    await expect(providerFor({ source: 'custom-process', profile: 'p', command: `${process.execPath} -e "console.log('{}')"` }, host)()).rejects.toThrow(/Version is undefined, expected 1/)
  })

  it('reads container credentials with the authorization token, and names a 500 and garbage', async () => {
    handler = (_req, _b, res) => res.end(JSON.stringify({ AccessKeyId: 'CONT', SecretAccessKey: 's', Token: 't', Expiration: later }))
    const host = { ...nodeHost({}, undefined), metadataTimeoutMs: 500 }
    const creds = await providerFor({ source: 'container-role', fullUri: `${base}/creds`, authToken: 'secret-token' }, host)()
    expect(creds.accessKeyId).toBe('CONT')
    expect(seen.at(-1)?.headers.authorization).toBe('secret-token')
    handler = (_req, _b, res) => res.writeHead(500).end('boom')
    await expect(providerFor({ source: 'container-role', fullUri: `${base}/creds` }, host)()).rejects.toThrow(/answered HTTP 500: boom/)
    handler = (_req, _b, res) => res.end('not json')
    await expect(providerFor({ source: 'container-role', fullUri: `${base}/creds` }, host)()).rejects.toThrow(/not a JSON object/)
    await expect(providerFor({ source: 'container-role', fullUri: 'http://example.com/creds' }, host)()).rejects.toThrow(/must be https/)
  })

  it('speaks IMDSv2 (token PUT, role, credentials) and gives up on a hang after the timeout', async () => {
    handler = (req, _b, res) => {
      if (req.method === 'PUT') return res.end('imds-token')
      if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-token') return res.writeHead(401).end()
      if (req.url === '/latest/meta-data/iam/security-credentials/') return res.end('web-role\n')
      res.end(JSON.stringify({ Code: 'Success', AccessKeyId: 'IMDS', SecretAccessKey: 's', Token: 't', Expiration: later }))
    }
    const host = { ...nodeHost({}, undefined), metadataTimeoutMs: 300 }
    expect((await providerFor({ source: 'iam-role', endpoint: base }, host)()).accessKeyId).toBe('IMDS')
    expect(seen.at(-3)).toMatchObject({ method: 'PUT', url: '/latest/api/token' })
    expect(seen.at(-3)?.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600')
    handler = () => undefined
    await expect(providerFor({ source: 'iam-role', endpoint: base }, host)()).rejects.toThrow(/no answer from .* within 300 ms/)
  })

  it('uses the SSO token cache, refreshes an expired token and writes the cache back', async () => {
    const home = join(dir, 'home')
    const cacheDir = join(home, '.aws', 'sso', 'cache')
    const { createHash } = await import('node:crypto')
    const file = join(cacheDir, `${createHash('sha1').update('corp').digest('hex')}.json`)
    const host = { ...nodeHost({}, undefined), home, endpointFor: (s: string) => (s === 'sso' || s === 'sso_oidc' ? base : undefined) }
    const plan: CredentialPlan = { source: 'sso', profile: 's', session: 'corp', startUrl: 'https://corp', ssoRegion: 'eu-west-1', accountId: '111', roleName: 'Reader' }
    await expect(providerFor(plan, host)()).rejects.toThrow(/no cached SSO token .*aws sso login --sso-session corp/)
    const { mkdirSync } = await import('node:fs')
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(file, JSON.stringify({ accessToken: 'old', expiresAt: '2020-01-01T00:00:00Z', refreshToken: 'r1', clientId: 'c', clientSecret: 'cs', registrationExpiresAt: later, region: 'eu-west-1', startUrl: 'https://corp' }))
    handler = (req, body, res) => {
      if (req.url === '/token') return res.end(JSON.stringify({ accessToken: 'new', expiresIn: 3600, refreshToken: 'r2', tokenType: 'Bearer', seen: JSON.parse(body) }))
      if (req.headers['x-amz-sso_bearer_token'] !== 'new') return res.writeHead(401).end('{}')
      res.end(JSON.stringify({ roleCredentials: { accessKeyId: 'SSO', secretAccessKey: 's', sessionToken: 't', expiration: Date.now() + 3_600_000 } }))
    }
    expect((await providerFor(plan, host)()).accessKeyId).toBe('SSO')
    expect(JSON.parse(seen.find((s) => s.url === '/token')?.body ?? '{}')).toEqual({ grantType: 'refresh_token', clientId: 'c', clientSecret: 'cs', refreshToken: 'r1' })
    expect(seen.at(-1)?.url).toBe('/federation/credentials?account_id=111&role_name=Reader')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ accessToken: 'new', refreshToken: 'r2', clientId: 'c' })
    writeFileSync(file, JSON.stringify({ accessToken: 'old', expiresAt: '2020-01-01T00:00:00Z' }))
    await expect(providerFor(plan, host)()).rejects.toThrow(/SSO token expired: run aws sso login --sso-session corp/)
  })

  it('names what is wrong with a plan it cannot carry out', () => {
    expect(() => resolve('[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = gone\n', '', {}, 'r')).toThrow(ConfigError)
  })
})
