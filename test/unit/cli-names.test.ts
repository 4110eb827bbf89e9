import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { kebab, suggest } from '../../src/cli/names.js'
import { repoRoot } from '../support/suite-plugin.js'

interface Model {
  operations: Record<string, unknown>
  shapes: Record<string, { members?: Record<string, unknown> }>
}

const names = new Set<string>()
for (const service of ['iam', 'sts']) {
  const model = JSON.parse(readFileSync(join(repoRoot, 'models', service, 'service-2.json'), 'utf8')) as Model
  for (const op of Object.keys(model.operations)) names.add(op)
  for (const shape of Object.values(model.shapes)) for (const member of Object.keys(shape.members ?? {})) names.add(member)
}

describe('AWS CLI names', () => {
  it('match botocore for every operation and member name in the models', () => {
    const list = [...names].sort()
    const py = spawnSync('python3', ['-c', "import sys,json\nfrom botocore import xform_name\nprint(json.dumps([xform_name(n, '-') for n in json.load(sys.stdin)]))"], {
      input: JSON.stringify(list),
      encoding: 'utf8',
    })
    if (py.status !== 0) {
      if (process.env.CI) throw new Error(`botocore is needed for this test: ${py.stderr}`)
      console.warn('skipping: python3 with botocore not found (pip install botocore)')
      return
    }
    const expected = JSON.parse(py.stdout) as string[]
    const mismatches = list.map((n, i) => [n, kebab(n), expected[i]]).filter(([, a, b]) => a !== b)
    expect(mismatches).toEqual([])
    expect(list.length).toBeGreaterThan(500)
  })

  it('spells the usual examples', () => {
    expect(kebab('ListMFADevices')).toBe('list-mfa-devices')
    expect(kebab('OpenIDConnectProviderArn')).toBe('open-id-connect-provider-arn')
    expect(kebab('GetAccountAuthorizationDetails')).toBe('get-account-authorization-details')
  })

  it('suggests near names', () => {
    expect(suggest('list-user', ['list-users', 'list-groups', 'get-user'])[0]).toBe('list-users')
    expect(suggest('lst-roles', ['list-roles', 'list-users'])).toEqual(['list-roles'])
    expect(suggest('zzzzzz', ['list-roles'])).toEqual([])
  })
})
