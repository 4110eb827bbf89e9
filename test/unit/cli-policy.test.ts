// `iam-edge policy …` in process: what `aws iam simulate-custom-policy` prints for its own
// examples, the AWS CLI's flag forms (shorthand, JSON, file://, --cli-input-json), errors and exit
// statuses as the AWS CLI's, lint warnings on stderr, and escalations' exit status for CI.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type CliIO, runCli } from '../../src/cli/run.js'

async function cli(argv: string[], files: Record<string, string> = {}) {
  let out = ''
  let err = ''
  let calls = 0
  const io: CliIO = {
    argv,
    env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_CONFIG_FILE: '/nonexistent/c', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/k', AWS_EC2_METADATA_DISABLED: 'true' },
    home: '/users/me',
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stderrIsTTY: false,
    readFile: (p) => files[p],
    fetch: async () => {
      calls++
      return new Response('no network here', { status: 500 })
    },
  }
  const code = await runCli(io)
  return { code, out, err, calls }
}

const DYNAMO = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'

describe('iam-edge policy simulate-custom-policy', () => {
  // the AWS CLI's own documented examples (awscli/examples/iam/simulate-custom-policy.rst): the
  // same flags, the same output, byte for byte
  it('prints the AWS CLI’s first example’s output, offline', async () => {
    const run = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', DYNAMO, '--action-names', 'dynamodb:CreateBackup', '--context-entries', "ContextKeyName='aws:CurrentTime',ContextKeyValues='2019-04-25T11:00:00Z',ContextKeyType=date"])
    expect([run.code, run.err, run.calls]).toEqual([0, '', 0])
    expect(run.out).toBe(`{
    "EvaluationResults": [
        {
            "EvalActionName": "dynamodb:CreateBackup",
            "EvalResourceName": "*",
            "EvalDecision": "allowed",
            "MatchedStatements": [
                {
                    "SourcePolicyId": "PolicyInputList.1",
                    "StartPosition": {
                        "Line": 1,
                        "Column": 38
                    },
                    "EndPosition": {
                        "Line": 1,
                        "Column": 167
                    }
                }
            ],
            "MissingContextValues": []
        }
    ]
}
`)
  })

  it('and its second', async () => {
    const run = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', DYNAMO, '--action-names', 'dynamodb:CreateBackup', '--context-entries', "ContextKeyName='aws:CurrentTime',ContextKeyValues='2014-04-25T11:00:00Z',ContextKeyType=date"])
    expect(run.out).toBe(`{
    "EvaluationResults": [
        {
            "EvalActionName": "dynamodb:CreateBackup",
            "EvalResourceName": "*",
            "EvalDecision": "implicitDeny",
            "MatchedStatements": [],
            "MissingContextValues": []
        }
    ]
}
`)
  })

  it('takes policies from file://, context entries as JSON, --cli-input-json, and several actions and resources', async () => {
    const files = { '/p/a.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } }] }, null, 2) }
    const ctx = JSON.stringify([{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['red'], ContextKeyType: 'string' }])
    const run = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', 'file:///p/a.json', '--action-names', 's3:GetObject', 's3:PutObject', '--resource-arns', 'arn:aws:s3:::b/k', '--context-entries', ctx, '--query', 'EvaluationResults[].[EvalActionName,EvalDecision]', '--output', 'text'], files)
    expect([run.code, run.out]).toEqual([0, 's3:GetObject\tallowed\ns3:PutObject\timplicitDeny\n'])
    const input = await cli(['policy', 'simulate-custom-policy', '--cli-input-json', JSON.stringify({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:GetItem'] }), '--query', 'EvaluationResults[0].MissingContextValues'])
    expect(JSON.parse(input.out)).toEqual(['aws:CurrentTime'])
  })

  it('takes SCPs and session policies as extra flags', async () => {
    const admin = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    const s3 = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}'
    const run = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', admin, '--service-control-policy-input-list', s3, '--action-names', 's3:GetObject', 'ec2:RunInstances', '--query', 'EvaluationResults[].[EvalDecision,OrganizationsDecisionDetail.AllowedByOrganizations]', '--output', 'text'])
    expect(run.out).toBe('allowed\tTrue\nexplicitDeny\tFalse\n')
    const session = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', admin, '--session-policy-input-list', s3, '--caller-arn', 'arn:aws:iam::111122223333:role/app', '--action-names', 'sqs:SendMessage', '--query', 'EvaluationResults[0].EvalDecision'])
    expect(session.out).toBe('"implicitDeny"\n')
  })

  it('answers a malformed policy as IAM does: MalformedPolicyDocument, exit 254, the statement named', async () => {
    const run = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}', '--action-names', 's3:GetObject'])
    expect([run.code, run.out]).toEqual([254, ''])
    expect(run.err).toBe('\nAn error occurred (MalformedPolicyDocument) when calling the SimulateCustomPolicy operation: PolicyInputList.1, statement 1: a statement has Resource or NotResource\n')
  })

  it('warns on stderr of actions and condition keys AWS does not list, and still answers', async () => {
    const run = await cli(['policy', 'simulate-custom-policy', '--policy-input-list', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjects","Resource":"*"}}', '--action-names', 's3:GetObject', '--query', 'EvaluationResults[0].EvalDecision'])
    expect([run.code, run.out]).toEqual([0, '"implicitDeny"\n'])
    expect(run.err).toBe('iam-edge: warning: PolicyInputList.1, statement 1: "s3:getobjects" names no action AWS lists\n')
  })

  it('refuses what the AWS CLI refuses, with exit 252', async () => {
    const run = await cli(['policy', 'simulate-custom-policy', '--action-names', 's3:GetObject'])
    expect([run.code, run.err]).toEqual([252, expect.stringContaining('the following arguments are required: --policy-input-list')])
    const unknown = await cli(['policy', 'simulate-everything'])
    expect([unknown.code, unknown.err]).toEqual([252, expect.stringContaining('unknown command "simulate-everything" for policy')])
  })
})

describe('iam-edge policy escalations, who-can and simulate-principal-policy on a saved export', () => {
  const files = { '/exp.json': readFileSync('test/policy/fixtures/iam-vulnerable.json', 'utf8'), '/broken.json': '{"Users":[]}', '/notjson.json': 'nope' }

  it('prints one entry per principal that is admin or can become admin, in AWS’s casing', async () => {
    const run = await cli(['policy', 'escalations', '--account-details', '/exp.json'], files)
    expect(run.code).toBe(0)
    const out = JSON.parse(run.out) as { Escalations: Array<{ PrincipalArn: string; IsAdmin: boolean; Paths: Array<{ Hops: Array<{ MethodId: string; Target: string; Permissions: Array<{ Action: string; MatchedStatements: unknown[] }> }> }> }> }
    const entry = out.Escalations.find((e) => e.PrincipalArn.endsWith(':user/privesc4-CreateAccessKey-user'))
    expect(entry?.IsAdmin).toBe(false)
    expect(entry?.Paths[0]?.Hops[0]).toMatchObject({ MethodId: 'iam-002', Permissions: [{ Action: 'iam:CreateAccessKey', MatchedStatements: [{ SourcePolicyId: 'privesc4-CreateAccessKey' }] }] })
    // a principal that is only some path's target is no entry
    expect(out.Escalations.find((e) => e.PrincipalArn.endsWith(':user/fp1-allow-and-deny-user'))).toBeUndefined()
  })

  it('exits 3 with --fail-on-escalation when a principal not already admin can become admin, 0 when none can', async () => {
    const fail = await cli(['policy', 'escalations', '--account-details', '/exp.json', '--fail-on-escalation', '--query', 'length(Escalations)'], files)
    expect([fail.code, fail.err]).toEqual([3, expect.stringMatching(/^iam-edge: 63 principals not admin can become admin: /)])
    const clean = JSON.stringify({ UserDetailList: [{ UserName: 'admin', Arn: 'arn:aws:iam::1:user/admin', AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] }], Policies: [{ PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] }] })
    const ok = await cli(['policy', 'escalations', '--account-details', '/clean.json', '--fail-on-escalation', '--query', 'Escalations[].IsAdmin'], { '/clean.json': clean })
    expect([ok.code, ok.out]).toEqual([0, '[\n    true\n]\n'])
  })

  it('paths to a named principal, and bounds', async () => {
    const run = await cli(['policy', 'escalations', '--account-details', '/exp.json', '--target-arn', 'arn:aws:iam::111122223333:role/privesc-AssumeRole-intermediate-role', '--max-depth', '1', '--query', 'Escalations[?!IsAdmin].PrincipalArn'], files)
    expect(JSON.parse(run.out)).toContain('arn:aws:iam::111122223333:role/privesc-AssumeRole-starting-role')
    const bad = await cli(['policy', 'escalations', '--account-details', '/exp.json', '--target-arn', 'arn:aws:iam::111122223333:role/nope'], files)
    expect([bad.code, bad.err]).toEqual([252, expect.stringContaining('--target-arn arn:aws:iam::111122223333:role/nope is not a user or role of account 111122223333')])
    const zero = await cli(['policy', 'escalations', '--account-details', '/exp.json', '--max-paths', '0'], files)
    expect([zero.code, zero.err]).toEqual([252, expect.stringContaining('--max-paths is a whole number of at least 1')])
  })

  it('who-can for each action and resource', async () => {
    const run = await cli(['policy', 'who-can', '--account-details', '/exp.json', '--action-names', 'iam:PutUserPolicy', '--resource-arns', 'arn:aws:iam::111122223333:user/privesc10-PutUserPolicy-user', '--query', 'WhoCan[0].Principals[].PrincipalArn'], files)
    expect(JSON.parse(run.out)).toContain('arn:aws:iam::111122223333:user/privesc10-PutUserPolicy-user')
  })

  it('simulate-principal-policy as IAM answers it', async () => {
    const run = await cli(['policy', 'simulate-principal-policy', '--account-details', '/exp.json', '--policy-source-arn', 'arn:aws:iam::111122223333:user/fp2-allow-and-deny-multiple-policies-user', '--action-names', 's3:GetObject', '--query', 'EvaluationResults[0].[EvalDecision,MatchedStatements[0].SourcePolicyId,MatchedStatements[0].SourcePolicyType]', '--output', 'text'], files)
    expect(run.out).toBe('explicitDeny\tdeny-all\tuser-managed\n')
  })

  it('refuses an export it cannot read, naming why', async () => {
    const missing = await cli(['policy', 'escalations', '--account-details', '/none.json'], files)
    expect([missing.code, missing.err]).toEqual([252, expect.stringContaining('--account-details: no such file /none.json')])
    const notJson = await cli(['policy', 'escalations', '--account-details', '/notjson.json'], files)
    expect(notJson.err).toContain('--account-details /notjson.json: not JSON')
    const wrong = await cli(['policy', 'escalations', '--account-details', '/broken.json'], files)
    expect(wrong.err).toContain('account details: page 1 has none of UserDetailList, GroupDetailList, RoleDetailList and Policies')
  })

  it('prints help', async () => {
    const run = await cli(['policy'])
    expect([run.code, run.out]).toEqual([252, expect.stringContaining('usage: iam-edge policy <command> [flags]')])
    const help = await cli(['policy', 'who-can', '--help'])
    expect([help.code, help.out]).toEqual([0, expect.stringContaining('--action-names   (required)')])
  })
})
