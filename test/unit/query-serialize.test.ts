import { describe, expect, it } from 'vitest'
import {
  CreateVirtualMFADevice,
  GetAccountSummary,
  ListPolicies,
  ListUsers,
  PutUserPolicy,
  SimulatePrincipalPolicy,
  TagRole,
  UploadSSHPublicKey,
} from '../../src/iam/generated/index.js'
import { ValidationError } from '../../src/query/errors.js'
import { serializeInput } from '../../src/query/serialize.js'
import type { Operation } from '../../src/query/shapes.js'
import { AssumeRole } from '../../src/sts/generated/index.js'

const pairs = (p: URLSearchParams) => [...p.entries()]

describe('serializeInput', () => {
  it('starts with Action and Version, then members in the caller’s order, as botocore writes them', () => {
    expect(pairs(serializeInput(ListUsers, { MaxItems: 100, PathPrefix: '/eng/' }))).toEqual([
      ['Action', 'ListUsers'],
      ['Version', '2010-05-08'],
      ['MaxItems', '100'],
      ['PathPrefix', '/eng/'],
    ])
    expect(pairs(serializeInput(GetAccountSummary, {}))).toEqual([
      ['Action', 'GetAccountSummary'],
      ['Version', '2010-05-08'],
    ])
  })

  it('numbers list members from 1 and nests structures with dots', () => {
    const p = serializeInput(TagRole, { RoleName: 'r', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }] })
    expect(pairs(p).slice(2)).toEqual([
      ['RoleName', 'r'],
      ['Tags.member.1.Key', 'a'],
      ['Tags.member.1.Value', '1'],
      ['Tags.member.2.Key', 'b'],
      ['Tags.member.2.Value', ''],
    ])
  })

  it('writes an empty list as the bare name', () => {
    const p = serializeInput(SimulatePrincipalPolicy, { PolicySourceArn: 'arn:aws:iam::123456789012:user/a', ActionNames: ['iam:GetUser'], ResourceArns: [] })
    expect(p.getAll('ResourceArns')).toEqual([''])
    expect(p.get('ActionNames.member.1')).toBe('iam:GetUser')
  })

  it('writes booleans, nested lists of structures, and timestamps', () => {
    const p = serializeInput(SimulatePrincipalPolicy, {
      PolicySourceArn: 'arn:aws:iam::123456789012:user/a',
      ActionNames: ['s3:GetObject'],
      ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyType: 'date', ContextKeyValues: ['2026-01-01T00:00:00Z', 'x'] }],
    })
    expect(p.get('ContextEntries.member.1.ContextKeyValues.member.2')).toBe('x')
    expect(p.get('ContextEntries.member.1.ContextKeyType')).toBe('date')
    expect(serializeInput(ListPolicies, { OnlyAttached: false, Scope: 'Local' }).get('OnlyAttached')).toBe('false')
    const sts = serializeInput(AssumeRole, { RoleArn: 'arn:aws:iam::123456789012:role/demo', RoleSessionName: 'ss', DurationSeconds: 900 })
    expect(sts.get('Version')).toBe('2011-06-15')
  })

  it('keeps policy documents as JSON (the form encoding is the transport’s)', () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [] })
    const p = serializeInput(PutUserPolicy, { UserName: 'u', PolicyName: 'p', PolicyDocument: doc })
    expect(p.get('PolicyDocument')).toBe(doc)
    expect(p.toString()).toContain('PolicyDocument=%7B%22Version%22')
  })

  it.each<[string, Operation, object, RegExp]>([
    ['a missing required member', TagRole, { Tags: [] }, /^RoleName: is required$/],
    ['a missing nested required member', TagRole, { RoleName: 'r', Tags: [{ Key: 'a' }] }, /^Tags\.1\.Value: is required$/],
    ['an unknown member', ListUsers, { PathPrefx: '/' }, /^PathPrefx: is not a member of this input/],
    ['a string over its max length', TagRole, { RoleName: 'r'.repeat(65), Tags: [] }, /^RoleName: must have at most 64 characters, got 65$/],
    ['a string under its min length', CreateVirtualMFADevice, { VirtualMFADeviceName: '' }, /^VirtualMFADeviceName: must have at least 1 characters/],
    ['a number over its max', ListUsers, { MaxItems: 1001 }, /^MaxItems: must be at most 1000, got 1001$/],
    ['a number under its min', ListUsers, { MaxItems: 0 }, /^MaxItems: must be at least 1/],
    ['a fractional integer', ListUsers, { MaxItems: 1.5 }, /^MaxItems: must be a whole number/],
    ['a value outside the enum', ListPolicies, { Scope: 'Everything' }, /^Scope: must be one of All, AWS, Local/],
    ['a list with too many items', TagRole, { RoleName: 'r', Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, /^Tags: must have at most 50 items/],
    ['a wrong type', ListUsers, { PathPrefix: 7 }, /^PathPrefix: must be a string, got number 7$/],
    ['a string where a list goes', SimulatePrincipalPolicy, { PolicySourceArn: 'arn:aws:iam::1:user/a', ActionNames: 'iam:GetUser' }, /^ActionNames: must be an array/],
    ['an over-long SSH key body', UploadSSHPublicKey, { UserName: 'u', SSHPublicKeyBody: 'x'.repeat(16385) }, /SSHPublicKeyBody: must have at most 16384/],
  ])('refuses %s, naming the member', (_, op, input, message) => {
    let error: unknown
    try {
      serializeInput(op, input as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
  })

  it('refuses input that is not an object', () => {
    expect(() => serializeInput(ListUsers, null as never)).toThrow(/input must be an object, got null/)
    expect(() => serializeInput(ListUsers, [] as never)).toThrow(/got an array/)
  })
})

describe('input keys that are not members', () => {
  it('refuses inherited names such as constructor or toString', async () => {
    const { ValidationError } = await import('../../src/query/errors.js')
    const { serializeInput: serialize } = await import('../../src/query/serialize.js')
    const { ListUsers: op } = await import('../../src/iam/index.js')
    for (const key of ['constructor', 'toString', '__proto__']) {
      expect(() => serialize(op, JSON.parse(`{"${key}": "x"}`) as object)).toThrow(ValidationError)
    }
  })
})
