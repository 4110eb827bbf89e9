// The action data: loaded on demand from a file of its own (never part of a bundle that does not
// ask for it), read into facts the evaluator and the explorer use, and lint for what IAM accepts
// but cannot mean.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ActionData, loadActionData } from '../../src/policy/actions.js'
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

describe('the action data’s reader, on a projection made by hand', () => {
  // the projection's shape (scripts/policy-data.mjs): per service its name, actions as [name,
  // level bits, resource types (index into r, negative when required, or a name it does not list),
  // condition keys (index into k, or a key it does not list)], resource types [name, ARN], keys [key, type]
  const raw = {
    v: 1,
    source: '@example/data 1.0.0',
    date: '2026-01-02',
    levels: ['List', 'Read', 'Write', 'Permissions management', 'Tagging'],
    services: {
      svc: {
        n: 'Example Service',
        a: [
          ['GetThing', 2, [-1, 'unlisted'], [0, 'svc:Unlisted']],
          ['PutThing', 4 | 16, [0], [1]],
          ['ListThings', 1, [], []],
        ],
        r: [['thing', 'arn:${Partition}:svc:${Region}:${Account}:thing/${Id}']],
        k: [['svc:Flavour', 'String'], ['svc:ThingTag/${TagKey}', 'String'], ['svc:Label/<name>', 'String']],
      },
      other: { n: 'Other', a: [['Do', 4, [], []]], r: [], k: [] },
    },
  }
  const data = new ActionData(raw as never)

  it('reads actions: levels from bits, required and optional resource types, listed and unlisted ones, keys by index or by name', () => {
    expect([data.serviceCount, data.actionCount, data.date, data.source]).toEqual([2, 4, '2026-01-02', '@example/data 1.0.0'])
    expect(data.action('SVC:getthing')).toEqual({
      action: 'svc:GetThing',
      service: 'svc',
      serviceName: 'Example Service',
      accessLevels: ['Read'],
      resourceTypes: [
        { name: 'thing', arn: 'arn:${Partition}:svc:${Region}:${Account}:thing/${Id}', required: true },
        { name: 'unlisted', arn: undefined, required: false },
      ],
      conditionKeys: ['svc:Flavour', 'svc:Unlisted'],
    })
    expect(data.action('svc:PutThing')).toMatchObject({ accessLevels: ['Write', 'Tagging'], resourceTypes: [{ name: 'thing', required: false }], conditionKeys: ['svc:ThingTag/${TagKey}'] })
    expect([...data.withAccessLevel('Tagging')]).toEqual(['svc:PutThing'])
    expect([...data.withAccessLevel('Write')]).toEqual(['svc:PutThing', 'other:Do'])
    expect([...data.withAccessLevel('Made up' as never)]).toEqual([])
  })

  it('expands a pattern within its service, across services when the service is a wildcard, and the whole data for *', () => {
    expect(data.expand('svc:*Thing')).toEqual(['svc:GetThing', 'svc:PutThing'])
    expect(data.expand('*:Do')).toEqual(['other:Do'])
    expect(data.expand('s?c:List*')).toEqual(['svc:ListThings'])
    expect(data.expand('*')).toEqual(['svc:GetThing', 'svc:PutThing', 'svc:ListThings', 'other:Do'])
    expect(data.expand('svc')).toEqual([])
    expect(data.service('SVC')).toEqual({ name: 'Example Service', actions: ['svc:GetThing', 'svc:PutThing', 'svc:ListThings'] })
    expect(data.service('none')).toBeUndefined()
  })

  it('knows a service’s keys, those with a variable part by their fixed start, every aws: key, and nothing else', () => {
    expect(['svc:flavour', 'svc:ThingTag/colour', 'svc:Label/x', 'svc:ThingTagX', 'svc:Label', 'aws:anything', 'svc:Other', 'none:Flavour', 'flavour'].map((k) => data.knowsConditionKey(k))).toEqual([true, true, true, false, false, true, false, false, false])
  })

  it('lints a statement at a time: actions no service lists, keys no service lists or of another service', () => {
    const policy = readPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['svc:GetThing', 'svc:Nope', 'svc:Zip*', 'nosvc:X', '*', 'other:*'], Resource: '*', Condition: { StringEquals: { 'svc:Flavour': 'x', 'aws:SourceVpc': 'v' } } }, { Effect: 'Allow', Action: 'other:Do', Resource: '*', Condition: { StringEquals: { 'svc:Flavour': 'x', 'svc:Made': 'y' } } }] }, { id: 'P' })
    expect(data.lint(policy)).toEqual([
      'P, statement 1 ("A"): "svc:nope" names no action AWS lists',
      'P, statement 1 ("A"): "svc:zip*" names no action AWS lists',
      'P, statement 1 ("A"): "nosvc:x" names no action AWS lists (no service "nosvc")',
      'P, statement 2: condition key "svc:Flavour" belongs to svc, but the statement names actions of other',
      'P, statement 2: condition key "svc:Made" is not one the svc service lists',
    ])
  })
})
