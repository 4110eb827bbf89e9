// Reading an export at its edges: pages that are not objects, lists that are null, entries that
// are null or whose strings are empty or of another type, a policy named only by its ARN, a
// default version marked only on the version, the account id when the first ARN is not one, a
// principal without an id, and a boundary the export lacks.
import { describe, expect, it } from 'vitest'
import { readAccount } from '../../src/policy/account.js'
import { simulatePrincipalPolicy, principalContext } from '../../src/policy/principals.js'
import { ACCOUNT, details } from './accounts.js'

const refusal = (pages: unknown[]) => {
  try {
    readAccount(pages as never)
    return 'read'
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  }
}
const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }

describe('reading an export at its edges', () => {
  it('a page that is not an object is refused by its number', () => {
    expect([refusal([null]), refusal([{ UserDetailList: [] }, []]), refusal([{ UserDetailList: [] }, 5])]).toEqual(['AccountError: page 1 is not an object', 'AccountError: page 2 is not an object', 'AccountError: page 2 is not an object'])
  })

  it('a null list is empty; a null entry, or an empty or non-string Arn, is refused by what it is', () => {
    expect(readAccount([{ UserDetailList: null, RoleDetailList: [] }]).users).toEqual([])
    expect([refusal([{ UserDetailList: [null] }]), refusal([{ UserDetailList: [{ Arn: '' }] }]), refusal([{ UserDetailList: [{ Arn: 5 }] }])]).toEqual([
      'AccountError: a user: Arn is missing or not a string',
      'AccountError: a user: Arn is missing or not a string',
      'AccountError: a user: Arn is missing or not a string',
    ])
  })

  it('a policy without PolicyName is named by its ARN; a version marked default without DefaultVersionId is the default; counts are numbers or nothing', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/team/Readers`
    const a = readAccount([{ Policies: [{ Arn: arn, AttachmentCount: '3', PermissionsBoundaryUsageCount: 2, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: DOC }] }] }])
    const p = a.policies.get(arn)
    expect([p?.name, p?.document?.id, p?.attachmentCount, p?.boundaryUsageCount, a.warnings]).toEqual(['Readers', 'Readers', undefined, 2, []])
  })

  it('a null Path is /; a member of a group named by something not a string is warned about', () => {
    const a = readAccount([{ UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${ACCOUNT}:user/u`, Path: null, GroupList: [5] }] }])
    expect([a.users[0]?.path, a.warnings]).toEqual(['/', [`arn:aws:iam::${ACCOUNT}:user/u: member of group "", which the export does not carry`]])
  })

  it('the account id is the first ARN\'s that has one; an export with none is unknown', () => {
    expect(readAccount([{ UserDetailList: [{ UserName: 'odd', Arn: 'not-an-arn' }, { UserName: 'u', Arn: 'arn:aws:iam::444455556666:user/u' }] }]).id).toBe('444455556666')
    expect(readAccount([{ UserDetailList: [] }]).id).toBe('unknown')
  })

  it('a principal without an id has no aws:userid', () => {
    const a = readAccount([{ UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${ACCOUNT}:user/u` }], RoleDetailList: [{ RoleName: 'r', Arn: `arn:aws:iam::${ACCOUNT}:role/r`, AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } }] }])
    expect([a.users[0], a.roles[0]].map((p) => (p ? principalContext(a, p).has('aws:userid') : 'none'))).toEqual([false, false])
  })

  it('a boundary the export lacks allows nothing', () => {
    const a = readAccount([details({ users: { u: { attached: ['AdministratorAccess'], boundary: 'Missing' } } })].map((d) => ({ ...d, Policies: d.Policies.filter((p) => p.PolicyName !== 'Missing') })))
    expect(a.warnings.some((w) => w.includes('permissions boundary') && w.includes('Missing'))).toBe(true)
    expect(simulatePrincipalPolicy(a, { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/u`, ActionNames: ['s3:GetObject'] }).EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny')
  })
})
