// SimulateCustomPolicy offline: IAM's request and response shapes, as the AWS CLI's own examples
// show them, and the inputs IAM's API lacks as extensions.
import { describe, expect, it } from 'vitest'
import { simulateCustomPolicy, SimulationInputError } from '../../src/policy/simulate.js'
import { PolicyError } from '../../src/policy/read.js'

const DYNAMO = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'
const date = (value: string) => [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: [value], ContextKeyType: 'date' as const }]
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })

describe('simulateCustomPolicy', () => {
  it('answers the AWS CLI’s first example as `aws iam simulate-custom-policy` prints it', () => {
    expect(simulateCustomPolicy({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: date('2019-04-25T11:00:00Z') })).toEqual({
      EvaluationResults: [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
          MissingContextValues: [],
        },
      ],
      IsTruncated: false,
    })
  })

  it('and its second: a date before the condition’s is an implicit deny with no statements', () => {
    const [result] = simulateCustomPolicy({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: date('2014-04-25T11:00:00Z') }).EvaluationResults ?? []
    expect(result).toEqual({ EvalActionName: 'dynamodb:CreateBackup', EvalResourceName: '*', EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: [] })
  })

  it('reports a key the conditions read and the request lacks in MissingContextValues', () => {
    const [result] = simulateCustomPolicy({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:GetItem'] }).EvaluationResults ?? []
    expect([result?.EvalDecision, result?.MissingContextValues]).toEqual(['implicitDeny', ['aws:CurrentTime']])
  })

  it('pairs every action with every resource, in order, with per-resource results for named resources', () => {
    const results = simulateCustomPolicy({
      PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' }), policy({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' })],
      ActionNames: ['s3:GetObject', 's3:PutObject'],
      ResourceArns: ['arn:aws:s3:::a/k', 'arn:aws:s3:::b/k'],
    }).EvaluationResults
    expect(results?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision, r.MatchedStatements?.map((s) => s.SourcePolicyId)])).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::a/k', 'allowed', ['PolicyInputList.1']],
      ['s3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', ['PolicyInputList.2']],
      ['s3:PutObject', 'arn:aws:s3:::a/k', 'implicitDeny', []],
      ['s3:PutObject', 'arn:aws:s3:::b/k', 'explicitDeny', ['PolicyInputList.2']],
    ])
    expect(results?.[0]?.ResourceSpecificResults).toEqual([{ EvalResourceName: 'arn:aws:s3:::a/k', EvalResourceDecision: 'allowed', MatchedStatements: results?.[0]?.MatchedStatements, MissingContextValues: [] }])
  })

  it('pages with MaxItems and Marker', () => {
    const input = { PolicyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], ActionNames: ['s3:A', 's3:B', 's3:C'] }
    const first = simulateCustomPolicy({ ...input, MaxItems: 2 })
    expect([first.EvaluationResults?.map((r) => r.EvalActionName), first.IsTruncated, first.Marker]).toEqual([['s3:A', 's3:B'], true, '2'])
    const rest = simulateCustomPolicy({ ...input, MaxItems: 2, Marker: first.Marker as string })
    expect([rest.EvaluationResults?.map((r) => r.EvalActionName), rest.IsTruncated, rest.Marker]).toEqual([['s3:C'], false, undefined])
    expect(() => simulateCustomPolicy({ ...input, Marker: 'x' })).toThrow(SimulationInputError)
    expect(() => simulateCustomPolicy({ ...input, MaxItems: 0 })).toThrow(/MaxItems is 1\.\.1000/)
  })

  it('applies a permissions boundary and says so in PermissionsBoundaryDecisionDetail', () => {
    const input = { PolicyInputList: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], PermissionsBoundaryPolicyInputList: [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] }
    const [s3, iam] = simulateCustomPolicy({ ...input, ActionNames: ['s3:GetObject', 'iam:CreateUser'] }).EvaluationResults ?? []
    expect([s3?.EvalDecision, s3?.PermissionsBoundaryDecisionDetail]).toEqual(['allowed', { AllowedByPermissionsBoundary: true }])
    expect([iam?.EvalDecision, iam?.PermissionsBoundaryDecisionDetail]).toEqual(['implicitDeny', { AllowedByPermissionsBoundary: false }])
    // the identity statement that would have granted is the evidence
    expect(iam?.MatchedStatements?.map((s) => s.SourcePolicyId)).toEqual(['PolicyInputList.1'])
  })

  it('evaluates a resource-based policy for CallerArn, in the caller’s account or ResourceOwner’s', () => {
    const bucket = policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' })
    const same = simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: bucket, CallerArn: 'arn:aws:iam::111122223333:user/alice', ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'] })
    expect(same.EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }] })
    const cross = simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: bucket, CallerArn: 'arn:aws:iam::111122223333:user/alice', ResourceOwner: 'arn:aws:iam::444455556666:root', ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'] })
    expect(cross.EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny')
    expect(() => simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: bucket, ActionNames: ['s3:GetObject'] })).toThrow(/CallerArn is required with a ResourcePolicy/)
    expect(() => simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: bucket, CallerArn: 'alice', ActionNames: ['s3:GetObject'] })).toThrow(/not an IAM principal's ARN/)
    expect(() => simulateCustomPolicy({ PolicyInputList: [], ResourceOwner: '1234', ActionNames: ['s3:GetObject'] })).toThrow(/ResourceOwner "1234" is not an account/)
  })

  it('a resource ARN that names its account owns the resource', () => {
    const key = policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 'kms:Decrypt', Resource: '*' })
    const result = simulateCustomPolicy({ PolicyInputList: [], ResourcePolicy: key, CallerArn: 'arn:aws:iam::111122223333:user/alice', ActionNames: ['kms:Decrypt'], ResourceArns: ['arn:aws:kms:us-east-1:444455556666:key/k'] })
    expect(result.EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny')
  })

  it('takes SCPs, RCPs and session policies as extensions, and reports the organizations’ decision', () => {
    const admin = policy({ Effect: 'Allow', Action: '*', Resource: '*' })
    const [s3, ec2] =
      simulateCustomPolicy({ PolicyInputList: [admin], ActionNames: ['s3:GetObject', 'ec2:RunInstances'] }, { serviceControlPolicies: [[admin], [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })]] }).EvaluationResults ?? []
    expect([s3?.EvalDecision, s3?.OrganizationsDecisionDetail]).toEqual(['allowed', { AllowedByOrganizations: true }])
    expect([ec2?.EvalDecision, ec2?.OrganizationsDecisionDetail]).toEqual(['explicitDeny', { AllowedByOrganizations: false }])
    const session = simulateCustomPolicy({ PolicyInputList: [admin], CallerArn: 'arn:aws:iam::111122223333:role/app', ActionNames: ['s3:GetObject', 'sqs:SendMessage'] }, { sessionPolicies: [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] })
    expect(session.EvaluationResults?.map((r) => r.EvalDecision)).toEqual(['allowed', 'implicitDeny'])
    const rcp = simulateCustomPolicy({ PolicyInputList: [admin], ActionNames: ['s3:GetObject'] }, { resourceControlPolicies: [[policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' })]] })
    expect(rcp.EvaluationResults?.[0]?.EvalDecision).toBe('explicitDeny')
  })

  it('types context values as ContextKeyType says, and refuses a bad entry by name', () => {
    const tags = policy({ Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } })
    const run = (values: string[]) => simulateCustomPolicy({ PolicyInputList: [tags], ActionNames: ['ec2:CreateTags'], ContextEntries: [{ ContextKeyName: 'aws:TagKeys', ContextKeyValues: values, ContextKeyType: 'stringList' }] }).EvaluationResults?.[0]?.EvalDecision
    expect([run(['env']), run(['env', 'team']), run(['env', 'owner'])]).toEqual(['allowed', 'allowed', 'implicitDeny'])
    expect(() => simulateCustomPolicy({ PolicyInputList: [tags], ActionNames: ['ec2:CreateTags'], ContextEntries: [{ ContextKeyName: 'k', ContextKeyValues: ['a', 'b'], ContextKeyType: 'string' }] })).toThrow(/a string key takes one value; use stringList/)
    expect(() => simulateCustomPolicy({ PolicyInputList: [tags], ActionNames: ['ec2:CreateTags'], ContextEntries: [{ ContextKeyName: 'k', ContextKeyValues: ['a'], ContextKeyType: 'text' as 'string' }] })).toThrow(/ContextKeyType "text" is not one of/)
    expect(() => simulateCustomPolicy({ PolicyInputList: [tags], ActionNames: ['ec2:CreateTags'], ContextEntries: [{ ContextKeyValues: ['a'] }] })).toThrow(/needs a ContextKeyName/)
  })

  it('refuses a malformed policy with IAM’s code and the statement named', () => {
    let error: unknown
    try {
      simulateCustomPolicy({ PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), policy({ Effect: 'Permit', Action: 's3:*', Resource: '*' })], ActionNames: ['s3:GetObject'] })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PolicyError)
    expect([(error as PolicyError).code, (error as Error).message]).toEqual(['MalformedPolicyDocument', 'PolicyInputList.2, statement 1: Effect must be "Allow" or "Deny", not "Permit"'])
  })

  it('refuses actions that are not service:Action, and a missing list', () => {
    expect(() => simulateCustomPolicy({ PolicyInputList: [], ActionNames: ['GetObject'] })).toThrow(/"GetObject" is not service:Action/)
    expect(() => simulateCustomPolicy({ PolicyInputList: [], ActionNames: [] })).toThrow(/ActionNames is required/)
    expect(() => simulateCustomPolicy({ ActionNames: ['s3:GetObject'] } as never)).toThrow(/PolicyInputList is required/)
  })
})
