// `iam-edge policy …` against a live account: moto, read through the credential chain and
// --endpoint-url (the typed client's form), and the same account saved by the real AWS CLI (its
// form, documents as objects) given with --account-details. Both readings give the same answers.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MotoAccount, motoRequirement, startMoto } from '../support/moto.js'

const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' })
if (awsCli.status !== 0 && process.env.CI) throw new Error('the AWS CLI is needed for this test (pip install awscli)')

describe.skipIf(!requirement.available || awsCli.status !== 0)('iam-edge policy on a live account (moto)', () => {
  let ctx: MotoAccount
  let dir: string
  let saved: string
  beforeAll(async () => {
    ctx = await startMoto()
    dir = mkdtempSync(join(tmpdir(), 'iam-edge-policy-'))
    const aws = spawnSync('aws', ['iam', 'get-account-authorization-details', '--endpoint-url', ctx.moto.endpoint, '--output', 'json'], { env: env(), encoding: 'utf8', timeout: 60_000 })
    expect([aws.status, aws.stderr]).toEqual([0, ''])
    saved = join(dir, 'details.json')
    writeFileSync(saved, aws.stdout)
  }, 90_000)
  afterAll(async () => {
    await ctx?.moto.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  function env() {
    return { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: ctx.account.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: ctx.account.credentials.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }
  }
  const ours = (...args: string[]) => spawnSync(process.execPath, ['bin/iam-edge.mjs', 'policy', ...args], { env: env(), encoding: 'utf8', timeout: 60_000 })
  const live = (...args: string[]) => ours(...args, '--endpoint-url', ctx.moto.endpoint)
  const file = (...args: string[]) => ours(...args, '--account-details', saved)

  it('escalations: the live account and the AWS CLI’s saved export agree, and the admin is found', () => {
    const a = live('escalations')
    const b = file('escalations')
    expect([a.status, b.status]).toEqual([0, 0])
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout))
    const entries = (JSON.parse(a.stdout) as { Escalations: Array<{ PrincipalArn: string; IsAdmin: boolean }> }).Escalations
    expect(entries.find((e) => e.PrincipalArn.endsWith(`:user/${ctx.account.adminUser}`))?.IsAdmin).toBe(true)
  })

  it('who-can: the same principals either way', () => {
    const args = ['who-can', '--action-names', 'iam:CreateUser', 's3:GetObject', '--resource-arns', '*']
    const a = live(...args)
    const b = file(...args)
    expect([a.status, b.status, a.stderr]).toEqual([0, 0, ''])
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout))
    const results = (JSON.parse(a.stdout) as { WhoCan: Array<{ Action: string; Principals: Array<{ PrincipalArn: string }> }> }).WhoCan
    expect(results.map((r) => r.Action)).toEqual(['iam:CreateUser', 's3:GetObject'])
    expect(results[0]?.Principals.map((p) => p.PrincipalArn)).toContain(`arn:aws:iam::${ctx.account.accountId}:user/${ctx.account.adminUser}`)
  })

  it('simulate-principal-policy: the admin user may, a made-up user is an error naming it', () => {
    const a = live('simulate-principal-policy', '--policy-source-arn', `arn:aws:iam::${ctx.account.accountId}:user/${ctx.account.adminUser}`, '--action-names', 'iam:DeleteRole', '--output', 'text', '--query', 'EvaluationResults[].EvalDecision')
    expect([a.status, a.stdout]).toEqual([0, 'allowed\n'])
    const b = file('simulate-principal-policy', '--policy-source-arn', `arn:aws:iam::${ctx.account.accountId}:user/nobody`, '--action-names', 'iam:DeleteRole')
    expect(b.status).toBe(254)
    expect(b.stderr).toContain('An error occurred (InvalidInput) when calling the SimulatePrincipalPolicy operation: PolicySourceArn "arn:aws:iam::123456789012:user/nobody" is not a user, role or group of account 123456789012')
  })

  it('a live read that fails says so as the AWS CLI does', () => {
    const bad = spawnSync(process.execPath, ['bin/iam-edge.mjs', 'policy', 'escalations', '--endpoint-url', ctx.moto.endpoint], { env: { ...env(), AWS_SECRET_ACCESS_KEY: 'wrong' }, encoding: 'utf8', timeout: 60_000 })
    expect(bad.status).toBe(254)
    expect(bad.stderr).toMatch(/An error occurred \(SignatureDoesNotMatch\) when calling the GetAccountAuthorizationDetails operation/)
  })
})
