// Cloudsplaining's categories as the explorer reports them, finding by finding and field by field:
// each category's severity, title and reason, the statements and actions behind it, conditional
// only when every action rests on a condition, whole-service wildcards, and every action of the
// credentials and data lists (Cloudsplaining's) caught on its own.
import { beforeAll, describe, expect, it } from 'vitest'
import { analyse } from '../../explorer/analysis.js'
import { categoryFindings, CREDENTIALS_EXPOSURE, DATA_EXFILTRATION, type PolicyUnderReview, versionFindings } from '../../explorer/categories.js'
import { type ActionData, loadActionData, readPolicy } from '../../src/policy/index.js'

const ACCT = '111122223333'
const ARN = `arn:aws:iam::${ACCT}:policy/Reviewed`
const HOLDER = `arn:aws:iam::${ACCT}:user/holder`
let data: ActionData
beforeAll(async () => {
  data = await loadActionData()
})

const review = (...Statement: object[]): PolicyUnderReview => ({ ref: { name: 'Reviewed', kind: 'managed', arn: ARN }, document: readPolicy({ Version: '2012-10-17', Statement }, { id: 'Reviewed' }), principals: [HOLDER], account: ACCT })
const allow = (Sid: string, Action: string | string[], extra: object = {}) => ({ Sid, Effect: 'Allow', Action, Resource: '*', ...extra })

describe('each category, whole', () => {
  // (s3:PutBucketPolicy is both Permissions management and Write in AWS's data; sts:AssumeRole is Write)
  it('data exfiltration, credentials exposure, resource exposure and infrastructure modification, each with its statements and actions', () => {
    const found = categoryFindings(data, [review(allow('Read', 's3:GetObject'), allow('Policy', 's3:PutBucketPolicy'), allow('Assume', 'sts:AssumeRole'), allow('Narrow', 'ec2:TerminateInstances', { Resource: 'arn:aws:ec2:*:*:instance/i-1' }))])
    const common = { policy: { name: 'Reviewed', kind: 'managed', arn: ARN }, principals: [HOLDER], conditional: false }
    expect(found).toEqual([
      { ...common, id: `resource-exposure:${ARN}:Reviewed`, severity: 'high', category: 'resource-exposure', title: 'Reviewed can change who may reach resources', why: 'Permissions management on any resource: resource policies, ACLs, grants and sharing can open it to other accounts or the public.', statements: ['Policy'], detail: ['s3:PutBucketPolicy'] },
      { ...common, id: `credentials-exposure:${ARN}:Reviewed`, severity: 'high', category: 'credentials-exposure', title: 'Reviewed can obtain credentials', why: 'These actions return keys, passwords, tokens or sessions: whoever holds them acts as someone else.', statements: ['Assume'], detail: ['sts:AssumeRole'] },
      { ...common, id: `data-exfiltration:${ARN}:Reviewed`, severity: 'medium', category: 'data-exfiltration', title: 'Reviewed can read data out of any resource', why: 'Objects, parameters and secrets readable on every resource can leave the account.', statements: ['Read'], detail: ['s3:GetObject'] },
      { ...common, id: `infrastructure-modification:${ARN}:Reviewed`, severity: 'medium', category: 'infrastructure-modification', title: 'Reviewed can change infrastructure on any resource', why: 'Write and tagging actions without a resource constraint can create, change or delete anything of their kind.', statements: ['Policy', 'Assume'], detail: ['s3:PutBucketPolicy', 'sts:AssumeRole'] },
    ])
  })

  it('a finding is conditional only when every action in it rests on a condition; statements come in order, unnamed ones by number', () => {
    const mfa = { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }
    const both = categoryFindings(data, [review({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }, allow('Maybe', 's3:GetObject', mfa))]).find((f) => f.category === 'data-exfiltration')
    expect([both?.statements, both?.detail, both?.conditional]).toEqual([['#1', 'Maybe'], ['s3:GetObject', 'ssm:GetParameter'], false])
    const only = categoryFindings(data, [review(allow('Maybe', 's3:GetObject', mfa))]).find((f) => f.category === 'data-exfiltration')
    expect(only?.conditional).toBe(true)
  })

  it('a whole service allowed on every resource is a service wildcard, unless the policy denies part of it; a narrowed one is not', () => {
    const whole = categoryFindings(data, [review(allow('Queues', 'sqs:*'), allow('Topics', 'SNS:*'))]).find((f) => f.category === 'service-wildcard')
    expect(whole).toEqual({ id: `service-wildcard:${ARN}:Reviewed`, severity: 'medium', category: 'service-wildcard', title: 'Reviewed allows every action of sqs, sns', why: 'A whole service allowed includes every action it will ever add.', policy: { name: 'Reviewed', kind: 'managed', arn: ARN }, statements: ['Queues', 'Topics'], principals: [HOLDER], detail: ['sns', 'sqs'], conditional: false })
    const denied = categoryFindings(data, [review(allow('Queues', 'sqs:*'), { Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' })])
    expect(denied.filter((f) => f.category === 'service-wildcard')).toEqual([])
    const narrowed = categoryFindings(data, [review(allow('Queues', 'sqs:*', { Resource: `arn:aws:sqs:*:${ACCT}:q` }))])
    expect(narrowed).toEqual([])
    const conditional = categoryFindings(data, [review(allow('Queues', 'sqs:*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))]).find((f) => f.category === 'service-wildcard')
    expect(conditional?.conditional).toBe(true)
  })
})

describe('service wildcards, rule by rule', () => {
  const wildcard = (...statements: object[]) => categoryFindings(data, [review(...statements)]).find((f) => f.category === 'service-wildcard')

  it('every resource is Resource "*" among others, or NotResource; statements in document order; conditional only when every one is', () => {
    const found = wildcard(
      allow('Queues', 'sqs:*', { Resource: [`arn:aws:sqs:*:${ACCT}:q`, '*'] }),
      { Sid: 'Tables', Effect: 'Allow', Action: 'dynamodb:*', NotResource: `arn:aws:dynamodb:*:${ACCT}:table/keep` },
      allow('Keys', 'kms:*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    )
    expect([found?.statements, found?.detail, found?.conditional]).toEqual([['Queues', 'Tables', 'Keys'], ['dynamodb', 'kms', 'sqs'], false])
  })

  it('only a whole service: not NotAction, not a pattern inside a service, not a prefix that is no service name', () => {
    expect(wildcard({ Sid: 'Not', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })).toBeUndefined()
    expect(wildcard(allow('Part', 'sqs:*Message'))).toBeUndefined()
    expect(wildcard(allow('Odd', 'bad_sqs:*'))).toBeUndefined()
  })

  it("a Deny of another service's actions leaves it whole; a Deny of any of its own, of '*' or by NotAction does not", () => {
    expect(wildcard(allow('Queues', 'sqs:*'), { Effect: 'Deny', Action: ['sns:Publish', 'sns:*'], Resource: '*' })?.detail).toEqual(['sqs'])
    expect(wildcard(allow('Queues', 'sqs:*'), { Effect: 'Deny', Action: ['sns:Publish', 'SQS:DeleteQueue'], Resource: '*' })).toBeUndefined()
    expect(wildcard(allow('Queues', 'sqs:*'), { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })).toBeUndefined()
    expect(wildcard(allow('Queues', 'sqs:*'), { Effect: 'Deny', NotAction: 'sns:*', Resource: '*' })).toBeUndefined()
  })
})

describe('statements and levels of a category', () => {
  it("a finding's statements are sorted across its actions; tagging is infrastructure modification", () => {
    const found = categoryFindings(data, [review(allow('First', 's3:GetObject'), allow('Second', 'ssm:GetParameter'), allow('Third', 's3:GetObject'))]).find((f) => f.category === 'data-exfiltration')
    expect(found?.statements).toEqual(['First', 'Second', 'Third'])
    const tags = categoryFindings(data, [review(allow('Tags', 'ec2:CreateTags'))]).find((f) => f.category === 'infrastructure-modification')
    expect(tags?.detail).toEqual(['ec2:CreateTags'])
  })
})

describe('the lists, action by action', () => {
  // Cloudsplaining's lists, as this project reads them
  const CREDENTIALS = ['chime:CreateApiKey', 'codepipeline:PollForJobs', 'cognito-identity:GetOpenIdToken', 'cognito-identity:GetOpenIdTokenForDeveloperIdentity', 'cognito-identity:GetCredentialsForIdentity', 'connect:GetFederationToken', 'connect:GetFederationTokens', 'ec2:GetPasswordData', 'ecr:GetAuthorizationToken', 'gamelift:RequestUploadCredentials', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential', 'iam:UpdateAccessKey', 'lightsail:GetInstanceAccessDetails', 'lightsail:GetRelationalDatabaseMasterUserPassword', 'rds-db:Connect', 'redshift:GetClusterCredentials', 'sso:GetRoleCredentials', 'mediapackage:RotateChannelCredentials', 'mediapackage:RotateIngestEndpointCredentials', 'sts:AssumeRole', 'sts:AssumeRoleWithSaml', 'sts:AssumeRoleWithWebIdentity', 'sts:GetFederationToken', 'sts:GetSessionToken']
  const DATA = ['s3:GetObject', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'secretsmanager:GetSecretValue']

  it('are the lists the explorer holds', () => {
    expect([[...CREDENTIALS_EXPOSURE].sort(), [...DATA_EXFILTRATION].sort()]).toEqual([[...CREDENTIALS].sort(), [...DATA].sort()])
  })

  it('each action of them AWS lists, allowed alone, is caught under its category, whatever the list\'s spelling', () => {
    const known = (a: string) => data.action(a) !== undefined
    for (const [category, list] of [['credentials-exposure', CREDENTIALS], ['data-exfiltration', DATA]] as const) {
      for (const action of list.filter(known)) {
        const hit = categoryFindings(data, [review(allow('One', action))]).find((f) => f.category === category)
        expect([action, hit?.detail]).toEqual([action, [data.action(action)?.action]])
      }
    }
  })
})

describe('versions that grant more', () => {
  it('one action more is said in the singular, several in the plural, with the default named', () => {
    const doc = (...Action: string[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] }))
    const policy = (name: string, second: string) => ({ PolicyName: name, Arn: `arn:aws:iam::${ACCT}:policy/${name}`, Path: '/', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc('s3:ListBucket') }, { VersionId: 'v2', IsDefaultVersion: false, Document: second }] })
    const analysis = analyse({ UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [policy('One', doc('s3:ListBucket', 's3:GetObject')), policy('Two', doc('s3:GetObject', 'ssm:GetParameter'))] }, new Date('2026-12-01T00:00:00Z'))
    const found = versionFindings(data, analysis, new Map([[`arn:aws:iam::${ACCT}:policy/One`, [HOLDER]]]))
    expect(found.map((f) => [f.title, f.principals, f.detail, f.severity, f.why])).toEqual([
      ['One v2 grants 1 action the default v1 does not', [HOLDER], ['s3:GetObject'], 'medium', 'One iam:SetDefaultPolicyVersion gives every holder of this policy these too: delete versions you do not mean to go back to.'],
      ['Two v2 grants 2 actions the default v1 does not', [], ['s3:GetObject', 'ssm:GetParameter'], 'medium', 'One iam:SetDefaultPolicyVersion gives every holder of this policy these too: delete versions you do not mean to go back to.'],
    ])
  })
})
