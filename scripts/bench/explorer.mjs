#!/usr/bin/env node
// npm run bench:explorer — the IAM explorer in Chromium on a large account: 1,000 users, 2,000
// roles, 1,500 policies (synthetic answers of the JSON facade's shape, served with the built
// explorer from loopback, so the figure is the page's own cost). First render (navigation to the
// overview drawn, findings included), a search keystroke on the roles table, the trust graph's
// layout, and the first view's JS + CSS bytes. Figures only; goals: 2 s, 50 ms, 80 KB.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const ROOT = 'build/explorer/explorer'
const ACCT = '123456789012'
const doc = (...Statement) => JSON.stringify({ Version: '2012-10-17', Statement })
const USERS = 1000
const ROLES = 2000
const POLICIES = 1500
const GROUPS = 50

const policies = Array.from({ length: POLICIES }, (_, i) => ({
  PolicyName: `policy-${i}`,
  Arn: `arn:aws:iam::${ACCT}:policy/team-${i % 20}/policy-${i}`,
  Path: `/team-${i % 20}/`,
  DefaultVersionId: 'v1',
  AttachmentCount: 2,
  Description: `Access for service ${i}`,
  CreateDate: '2025-03-01T00:00:00Z',
  PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(doc({ Effect: 'Allow', Action: i % 50 === 0 ? ['iam:PassRole', 'ec2:RunInstances'] : [`s3:GetObject`, `s3:ListBucket`, `dynamodb:Query`], Resource: i % 3 === 0 ? '*' : `arn:aws:s3:::bucket-${i}/*` })) }],
}))
const attach = (i) => [{ PolicyName: `policy-${i % POLICIES}`, PolicyArn: policies[i % POLICIES].Arn }]
const details = {
  UserDetailList: Array.from({ length: USERS }, (_, i) => ({ UserName: `user-${i}`, Arn: `arn:aws:iam::${ACCT}:user/people/user-${i}`, Path: '/people/', CreateDate: '2025-01-01T00:00:00Z', GroupList: [`group-${i % GROUPS}`], AttachedManagedPolicies: attach(i), UserPolicyList: i % 10 === 0 ? [{ PolicyName: `inline-${i}`, PolicyDocument: encodeURIComponent(doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' })) }] : [], Tags: [{ Key: 'team', Value: `team-${i % 20}` }] })),
  GroupDetailList: Array.from({ length: GROUPS }, (_, i) => ({ GroupName: `group-${i}`, Arn: `arn:aws:iam::${ACCT}:group/group-${i}`, Path: '/', CreateDate: '2025-01-01T00:00:00Z', AttachedManagedPolicies: attach(i + 7), GroupPolicyList: [] })),
  RoleDetailList: Array.from({ length: ROLES }, (_, i) => ({
    RoleName: `role-${i}`,
    Arn: `arn:aws:iam::${ACCT}:role/service/role-${i}`,
    Path: '/service/',
    CreateDate: '2025-06-01T00:00:00Z',
    AssumeRolePolicyDocument: encodeURIComponent(doc({ Effect: 'Allow', Principal: i % 100 === 0 ? { AWS: `arn:aws:iam::${String(100000000000 + i)}:root` } : i % 2 ? { Service: `svc${i % 30}.amazonaws.com` } : { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'sts:AssumeRole' })),
    AttachedManagedPolicies: attach(i + 13),
    RolePolicyList: [],
    Tags: [{ Key: 'app', Value: `app-${i % 40}` }],
    RoleLastUsed: i % 4 ? { LastUsedDate: '2026-11-20T00:00:00Z', Region: 'us-east-1' } : {},
  })),
  Policies: policies,
}
const csv = ['user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date']
for (const u of details.UserDetailList) csv.push(`${u.UserName},${u.Arn},2025-01-01T00:00:00+00:00,${Number(u.UserName.slice(5)) % 3 === 0},N/A,N/A,N/A,false,true,2025-01-01T00:00:00+00:00,N/A,false,N/A,N/A`)
const answers = {
  GetAccountAuthorizationDetails: details,
  GetAccountSummary: { SummaryMap: { Users: USERS, Roles: ROLES, Policies: POLICIES, Groups: GROUPS, AccountMFAEnabled: 1, MFADevicesInUse: 10 } },
  ListAccountAliases: { AccountAliases: ['bench'] },
  GetAccountPasswordPolicy: { PasswordPolicy: { MinimumPasswordLength: 14 } },
  GetCredentialReport: { Content: Buffer.from(csv.join('\n')).toString('base64') },
}
const bodies = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, JSON.stringify(v)]))

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname
  const m = /^\/iam\/(\w+)$/.exec(path)
  if (m) {
    res.writeHead(200, { 'content-type': 'application/json' })
    return res.end(bodies[m[1]] ?? '{}')
  }
  const file = path === '/explorer/' ? 'index.html' : path.replace(/^\/explorer\//, '')
  try {
    const body = readFileSync(join(ROOT, file))
    res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' })
    res.end(body)
  } catch {
    res.writeHead(404)
    res.end()
  }
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]
try {
  const context = await browser.newContext()
  await context.addInitScript(() => sessionStorage.setItem('iam-edge-explorer-token', 'bench'))
  const renders = []
  for (let i = 0; i < 5; i++) {
    const page = await context.newPage()
    const t0 = performance.now()
    await page.goto(`${base}/explorer/`)
    await page.getByRole('heading', { level: 2, name: 'Overview' }).waitFor()
    renders.push(performance.now() - t0)
    await page.close()
  }
  const page = await context.newPage()
  await page.goto(`${base}/explorer/#/roles`)
  await page.getByRole('heading', { level: 2, name: 'Roles' }).waitFor()
  const keystrokes = await page.evaluate(() => {
    const input = document.getElementById('search-roles')
    const times = []
    let text = ''
    for (const ch of 'role-1999') {
      text += ch
      const t = performance.now()
      input.value = text
      input.dispatchEvent(new Event('input'))
      void document.body.offsetHeight
      times.push(performance.now() - t)
    }
    return times
  })
  const t1 = performance.now()
  await page.goto(`${base}/explorer/#/graph`)
  await page.getByRole('heading', { level: 2, name: 'Trust graph' }).waitFor({ timeout: 120_000 })
  const graphMs = performance.now() - t1
  // the byte figures npm run build measured
  const { firstViewGzipBytes, onDemandGzipBytes } = JSON.parse(readFileSync('build/explorer.json', 'utf8'))
  console.log(`IAM explorer, Chromium, ${USERS} users / ${ROLES} roles / ${POLICIES} policies / ${GROUPS} groups (synthetic facade answers)`)
  console.log(`first render (navigation → overview drawn, findings computed): median ${median(renders).toFixed(0)} ms of 5 (goal ≤ 2,000 ms)`)
  console.log(`search keystroke on the roles table: median ${median([...keystrokes]).toFixed(1)} ms, worst ${Math.max(...keystrokes).toFixed(1)} ms (goal ≤ 50 ms)`)
  console.log(`trust graph view (${ROLES} roles; dagre layout, chunk loaded on demand): ${graphMs.toFixed(0)} ms`)
  console.log(`first view JS + CSS: ${firstViewGzipBytes} B gzip (goal ≤ 80 KB); trust graph chunk ${onDemandGzipBytes} B gzip`)
} finally {
  await browser.close()
  server.close()
}
