// `new IamClient()` without credentials: refused with a pointer to iam-edge/config until that entry
// is imported, then credentials, region and endpoint come from the AWS CLI's chain (what is passed
// wins, and a client given credentials never reads the files).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IamClient, ListUsers } from '../../src/iam/index.js'
import { GetCallerIdentity, StsClient } from '../../src/sts/index.js'
import { defaultChain, setDefaultChain } from '../../src/query/defaults.js'

const dir = mkdtempSync(join(tmpdir(), 'iam-edge-chain-'))
const configFile = join(dir, 'config')
const credentialsFile = join(dir, 'credentials')
writeFileSync(configFile, '[default]\nregion = eu-west-1\n[profile moto]\nregion = ap-southeast-2\nendpoint_url = http://127.0.0.1:9/\n')
writeFileSync(credentialsFile, '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = secret\n[moto]\naws_access_key_id = AKIDMOTO\naws_secret_access_key = secret2\n')

const LIST_USERS = '<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>'
const CALLER = '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>U</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>'

function recorder(body: string) {
  const seen: Request[] = []
  const fetchFn: typeof fetch = async (input, init) => {
    seen.push(new Request(input, init))
    return new Response(body, { headers: { 'content-type': 'text/xml' } })
  }
  return { seen, fetch: fetchFn }
}

const saved = { ...process.env }
beforeEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key]
  process.env.AWS_CONFIG_FILE = configFile
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile
})
afterEach(() => {
  process.env = { ...saved }
})

describe('a client built without credentials', () => {
  it('is refused, naming iam-edge/config, while no chain is installed', () => {
    const installed = defaultChain()
    setDefaultChain(undefined)
    try {
      expect(() => new IamClient()).toThrow(/credentials: required .*import 'iam-edge\/config'/)
    } finally {
      setDefaultChain(installed)
    }
  })

  it('uses the default profile once iam-edge/config is imported', async () => {
    await import('../../src/config/index.js')
    const { seen, fetch } = recorder(CALLER)
    const sts = new StsClient({ fetch })
    expect(sts.endpoint.url).toBe('https://sts.eu-west-1.amazonaws.com/')
    await sts.send(GetCallerIdentity)
    expect(seen[0]?.headers.get('authorization')).toMatch(/Credential=AKIDDEFAULT\/\d{8}\/eu-west-1\/sts\//)
  })

  it('follows AWS_PROFILE, with the profile endpoint allowed over http; passed options win', async () => {
    await import('../../src/config/index.js')
    process.env.AWS_PROFILE = 'moto'
    const { seen, fetch } = recorder(LIST_USERS)
    const iam = new IamClient({ fetch })
    expect(iam.endpoint.url).toBe('http://127.0.0.1:9/')
    await iam.send(ListUsers)
    expect(seen[0]?.headers.get('authorization')).toMatch(/Credential=AKIDMOTO\/\d{8}\/ap-southeast-2\/iam\//)

    const other = new IamClient({ fetch, region: 'us-gov-west-1', endpoint: undefined })
    expect(other.endpoint.url).toBe('http://127.0.0.1:9/')
    // the profile's http endpoint does not make a passed http endpoint acceptable
    expect(() => new IamClient({ fetch, endpoint: 'http://proxy.example/' })).toThrow(/http/)
    process.env.AWS_REGION = 'eu-north-1'
    await new IamClient({ fetch }).send(ListUsers)
    expect(seen[1]?.headers.get('authorization')).toMatch(/\/eu-north-1\/iam\//)
  })

  it('reads nothing when credentials are passed, and names a missing profile or a malformed file', async () => {
    await import('../../src/config/index.js')
    process.env.AWS_PROFILE = 'nope'
    expect(() => new IamClient()).toThrow(/profile "nope" not found/)
    expect(new IamClient({ credentials: { accessKeyId: 'A', secretAccessKey: 'S' } }).endpoint.url).toBe('https://iam.amazonaws.com/')
    writeFileSync(join(dir, 'bad'), '[profile broken\n')
    process.env.AWS_CONFIG_FILE = join(dir, 'bad')
    delete process.env.AWS_PROFILE
    expect(() => new IamClient()).toThrow(/line 1/)
  })

  it('says where to look when no source has credentials', async () => {
    await import('../../src/config/index.js')
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'absent')
    process.env.AWS_EC2_METADATA_DISABLED = 'true'
    expect(() => new StsClient()).toThrow(/Unable to locate credentials for profile "default"/)
  })
})
