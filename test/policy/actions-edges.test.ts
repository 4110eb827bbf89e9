// The action data's condition keys and lint at their edges: case, keys with a variable part, keys
// that only start like a known one, a prefix without a colon, global keys beside any service, and
// a statement that names no service.
import { describe, expect, it } from 'vitest'
import { loadActionData } from '../../src/policy/actions.js'
import { readPolicy } from '../../src/policy/read.js'

describe('condition keys', () => {
  it('known keys in any case and by their fixed start; nothing that only looks like one', async () => {
    const data = await loadActionData()
    const keys = ['s3:x-amz-acl', 'S3:X-Amz-Acl', 's3:ExistingObjectTag/team', 'aws:RequestTag/Team', 'aws:anything', 's3:x-amz-acz', 's3:x-amz-aclx', 's3:nonsense', 'awsx', 'nocolon', 'zzz:foo']
    expect(keys.map((k) => [k, data.knowsConditionKey(k)])).toEqual([
      ['s3:x-amz-acl', true],
      ['S3:X-Amz-Acl', true],
      ['s3:ExistingObjectTag/team', true],
      ['aws:RequestTag/Team', true],
      ['aws:anything', true],
      ['s3:x-amz-acz', false],
      ['s3:x-amz-aclx', false],
      ['s3:nonsense', false],
      ['awsx', false],
      ['nocolon', false],
      ['zzz:foo', false],
    ])
  })
})

describe('lint', () => {
  it('a global key beside any service, and a service key in a statement that names no service, are not flagged; a key of another service is', async () => {
    const data = await loadActionData()
    const lint = (Action: string, Condition: object) => data.lint(readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*', Condition }] }))
    expect([
      lint('s3:GetObject', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
      lint('*', { StringEquals: { 's3:x-amz-acl': 'private' } }),
      lint('ec2:RunInstances', { StringEquals: { 's3:x-amz-acl': 'private' } }),
    ]).toEqual([[], [], ['policy, statement 1: condition key "s3:x-amz-acl" belongs to s3, but the statement names actions of ec2']])
  })
})
