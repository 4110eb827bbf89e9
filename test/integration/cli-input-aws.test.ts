// Input written the AWS CLI way — shorthand, JSON, file://, --cli-input-json — must produce the
// request the installed AWS CLI sends for the same arguments. A loopback server records each
// request's form parameters and refuses it (a 400 neither tool retries), so write commands are
// safe to compare too.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const BIN = resolve('bin/iam-edge.mjs')
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' })
if (awsCli.status !== 0 && process.env.CI) throw new Error('the AWS CLI is needed for this test (pip install awscli)')

describe.skipIf(awsCli.status !== 0)('requests built from AWS CLI input forms, beside the AWS CLI', () => {
  let server: Server
  let endpoint: string
  let recorded: string[] = []
  const dir = mkdtempSync(join(tmpdir(), 'iam-edge-input-'))
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, null, 2)
  writeFileSync(join(dir, 'trust.json'), policy)
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ RoleName: 'from-file', Description: 'ünïcode, commas' }))
  writeFileSync(join(dir, 'tags.json'), JSON.stringify([{ Key: 'team', Value: 'a b' }, { Key: 'cost', Value: '42' }]))
  // a list of documents: the AWS CLI 1.x sends a file:// object document given to a list member
  // character by character, where iam-edge sends it as the one item (a unit test holds that)
  writeFileSync(join(dir, 'policies.json'), JSON.stringify([policy]))
  writeFileSync(join(dir, 'key.pub'), 'ssh-rsa AAAAB3NzaC1yc2E me@host\n')

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        recorded.push(body)
        res.writeHead(400, { 'content-type': 'text/xml' })
        res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Recorded</Code><Message>recorded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server?.close()
  })

  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    DIR: dir,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
  }

  /** The form parameters one tool sent, sorted (the order of parameters carries no meaning). */
  async function sentBy(command: string[], args: string[]): Promise<{ params: string[][]; code: number | null; stderr: string }> {
    recorded = []
    const child = spawn(command[0] as string, [...command.slice(1), ...args, '--endpoint-url', endpoint], { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const first = recorded[0]
    return { params: first === undefined ? [] : [...new URLSearchParams(first)].sort(), code, stderr }
  }

  it.each([
    [['iam', 'create-role', '--role-name', 'r1', '--assume-role-policy-document', 'file://trust.json', '--tags', 'Key=team,Value=a b', 'Key=cost,Value=42', '--max-session-duration', '3600']],
    [['iam', 'create-role', '--role-name', 'r2', '--assume-role-policy-document', 'file://~/trust.json', '--tags', 'file://$DIR/tags.json']],
    [['iam', 'create-role', '--assume-role-policy-document', policy, '--cli-input-json', 'file://input.json']],
    [['iam', 'create-role', '--role-name', 'flag-wins', '--assume-role-policy-document', policy, '--cli-input-json', '{"RoleName": "json-loses", "Path": "/svc/"}']],
    [['iam', 'tag-user', '--user-name', 'u', '--tags', '[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]']],
    [['iam', 'tag-user', '--user-name', 'u', '--tags', '{"Key": "a", "Value": "x"}', '{"Key": "b", "Value": "y"}']],
    [['iam', 'tag-user', '--user-name', 'u', '--tags', "Key=quoted,Value='a,b'", 'Key="dq",Value=x\\,y']],
    [['iam', 'simulate-custom-policy', '--policy-input-list', 'file://policies.json', '--action-names', 'iam:GetUser', 'iam:ListUsers', '--context-entries', 'ContextKeyName=aws:username,ContextKeyValues=alice,ContextKeyType=string', 'ContextKeyName=aws:SourceIp,ContextKeyValues=10.0.0.1,10.0.0.2,ContextKeyType=ipList', '--no-paginate']],
    [['iam', 'simulate-custom-policy', '--policy-input-list', JSON.stringify([policy, policy]), '--action-names', 'iam:GetUser', '--context-entries', '[{"ContextKeyName": "aws:username", "ContextKeyValues": ["v"], "ContextKeyType": "string"}]', '--no-paginate']],
    [['iam', 'get-account-authorization-details', '--filter', 'User', 'Role', '--no-paginate']],
    [['iam', 'upload-ssh-public-key', '--user-name', 'u', '--ssh-public-key-body', 'file://key.pub']],
    [['iam', 'update-assume-role-policy', '--role-name', 'r', '--policy-document', 'file://trust.json']],
    [['iam', 'list-users', '--path-prefix', '/engineering/', '--no-paginate', '--max-items', '5']],
    [['sts', 'assume-role', '--role-arn', 'arn:aws:iam::123456789012:role/r', '--role-session-name', 'it-session', '--policy-arns', 'arn=arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn=arn:aws:iam::aws:policy/SecurityAudit', '--tags', 'Key=project,Value=x', '--transitive-tag-keys', 'project', '--duration-seconds', '900']],
    [['sts', 'get-session-token', '--duration-seconds', '900']],
  ])('%j sends what the AWS CLI sends', async (args) => {
    // one tool at a time: the server keeps one recording
    const theirs = await sentBy(['aws'], args)
    const mine = await sentBy([process.execPath, BIN], args)
    expect(theirs.stderr).toMatch(/\(Recorded\)/)
    expect(mine.stderr).toMatch(/\(Recorded\)/)
    expect(theirs.params.length).toBeGreaterThan(2)
    expect(mine.params).toEqual(theirs.params)
  })

  it('Ctrl-C while a request hangs ends both with exit status 130', async () => {
    const seen: Array<() => void> = []
    const hanging = createServer((req) => {
      req.resume()
      seen.shift()?.()
    })
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`
    try {
      for (const command of [['aws'], [process.execPath, BIN]]) {
        const arrived = new Promise<void>((resolve) => seen.push(resolve))
        const child = spawn(command[0] as string, [...command.slice(1), 'iam', 'list-users', '--endpoint-url', url], { env, stdio: 'ignore' })
        const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
        await arrived
        child.kill('SIGINT')
        expect(await closed).toBe(130)
      }
    } finally {
      hanging.closeAllConnections()
      hanging.close()
    }
  }, 60_000)

  it.each([
    [['iam', 'tag-user', '--user-name', 'u', '--tags', 'Key=a,Value=[b']],
    [['iam', 'tag-user', '--user-name', 'u', '--tags', 'Key=a,Key=b']],
    [['iam', 'get-user', '--cli-input-json', '{"UserName": ']],
    [['iam', 'get-user', '--cli-input-json', '{"UserName": "u", "Unknown": 1}']],
    [['iam', 'simulate-custom-policy', '--policy-input-list', '["{}"]', '--action-names', 'a', '--context-entries', 'ContextKeyName=k,ContextKeyValues=v,ContextKeyType=string', '--no-paginate']],
    [['iam', 'list-users', '--max-items', 'many']],
    [['iam', 'create-role', '--role-name', 'r', '--assume-role-policy-document', 'file://absent.json']],
  ])('%j is refused by both before anything is sent', async (args) => {
    const theirs = await sentBy(['aws'], args)
    const mine = await sentBy([process.execPath, BIN], args)
    expect([theirs.params, mine.params]).toEqual([[], []])
    expect(theirs.code).not.toBe(0)
    expect(mine.code).toBe(252)
  })
})
