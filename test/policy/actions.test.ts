// The action data: loaded on demand from a file of its own (never part of a bundle that does not
// ask for it), read into facts the evaluator and the explorer use, and lint for what IAM accepts
// but cannot mean.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { loadActionData } from '../../src/policy/actions.js'
import { readPolicy } from '../../src/policy/read.js'

describe('the action data', () => {
  it('holds every service: actions, access levels, resource types with ARN formats, condition keys', async () => {
    const data = await loadActionData()
    expect(data.serviceCount).toBeGreaterThanOrEqual(450)
    expect(data.actionCount).toBeGreaterThan(20_000)
    expect(data.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const passRole = data.action('IAM:passrole')
    expect(passRole).toMatchObject({ action: 'iam:PassRole', service: 'iam', accessLevels: ['Write'], resourceTypes: [{ name: 'role', arn: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}', required: true }] })
    expect(passRole?.conditionKeys).toEqual(expect.arrayContaining(['iam:PassedToService', 'iam:AssociatedResourceArn']))
    expect(data.action('iam:PutUserPolicy')?.accessLevels).toContain('Permissions management')
    expect(data.action('s3:ListAllMyBuckets')?.accessLevels).toEqual(['List'])
    expect(data.action('s3:NoSuchAction')).toBeUndefined()
    expect(data.service('sts')?.actions).toContain('sts:assumerole'.replace('assumerole', 'AssumeRole'))
  })

  it('expands wildcards, ignoring case', async () => {
    const data = await loadActionData()
    const gets = data.expand('s3:Get*')
    expect(gets).toContain('s3:GetObject')
    expect(gets.every((a) => a.startsWith('s3:Get'))).toBe(true)
    expect(data.expand('IAM:*accesskey*')).toEqual(['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:GetAccessKeyLastUsed', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'])
    expect(data.expand('*:GetObject').length).toBeGreaterThanOrEqual(1)
    expect(data.expand('nosuch:*')).toEqual([])
  })

  it('lists the actions of each access level, actions of two levels in both', async () => {
    const data = await loadActionData()
    const pm = data.withAccessLevel('Permissions management')
    expect(pm.has('iam:PutUserPolicy')).toBe(true)
    expect(pm.has('s3:PutBucketPolicy')).toBe(true)
    expect(pm.has('s3:GetObject')).toBe(false)
    const write = data.withAccessLevel('Write')
    expect(write.has('iam:PassRole')).toBe(true)
    expect(write.has('iam:ListUsers')).toBe(false)
    expect(data.withAccessLevel('List').has('s3:ListAllMyBuckets')).toBe(true)
    // every action has at least one level, and the sets add up to the whole
    const levels = (['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const).map((l) => data.withAccessLevel(l))
    const union = new Set(levels.flatMap((l) => [...l]))
    expect(union.size).toBe(data.actionCount)
    const twice = [...union].filter((a) => levels.filter((l) => l.has(a)).length > 1)
    for (const a of twice) expect(data.action(a)?.accessLevels.length).toBeGreaterThan(1)
    expect(data.withAccessLevel('Write')).toBe(write)
  })

  it('knows condition keys: global ones, a service’s, and those with a variable part', async () => {
    const data = await loadActionData()
    expect([data.knowsConditionKey('aws:SourceIp'), data.knowsConditionKey('s3:prefix'), data.knowsConditionKey('s3:ExistingObjectTag/team'), data.knowsConditionKey('s3:made-up'), data.knowsConditionKey('nokey')]).toEqual([true, true, true, false, false])
  })

  it('warns of unknown actions and condition keys a statement’s services do not take', async () => {
    const data = await loadActionData()
    const policy = readPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'S', Effect: 'Allow', Action: ['s3:GetObjet', 'madeup:*', 's3:Get*'], Resource: '*', Condition: { StringEquals: { 'ec2:InstanceType': 't2.micro', 'aws:SourceVpc': 'vpc-1', bare: 'x' } } }] }, { id: 'P' })
    expect(data.lint(policy)).toEqual([
      'P, statement 1 ("S"): "s3:getobjet" names no action AWS lists',
      'P, statement 1 ("S"): "madeup:*" names no action AWS lists (no service "madeup")',
      'P, statement 1 ("S"): condition key "ec2:InstanceType" belongs to ec2, but the statement names actions of s3',
      'P, statement 1 ("S"): condition key "bare" is not one AWS lists (a key is service:name)',
    ])
    expect(data.lint(readPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }))).toEqual([])
  })

  it('is a chunk of its own, at most 250 KB gzip, that a bundle of the evaluator does not carry', async () => {
    const bundle = (contents: string) => build({ stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'esm', platform: 'neutral', minify: true, splitting: true, outdir: 'out', write: false, logLevel: 'silent' })
    const evaluator = await bundle("export { simulateCustomPolicy, whoCan, escalations, readAccount } from './dist/policy/index.js'")
    const entry = evaluator.outputFiles.find((f) => f.path.endsWith('stdin.js'))
    // the evaluator alone neither carries it nor loads it (a bundler may still emit the unused chunk)
    expect(entry?.text).not.toContain('accesspointobject')
    expect(entry?.text).not.toMatch(/import\(/)
    // even an import of the loader leaves the data to a chunk loaded on demand
    const withLoader = await bundle("export { loadActionData } from './dist/policy/index.js'")
    const data = withLoader.outputFiles.filter((f) => f.text.includes('accesspointobject'))
    expect(data).toHaveLength(1)
    expect(data[0]?.path.endsWith('stdin.js')).toBe(false)
    expect(gzipSync(data[0]?.contents ?? new Uint8Array(), { level: 9 }).length).toBeLessThanOrEqual(250 * 1024)
  })
})
