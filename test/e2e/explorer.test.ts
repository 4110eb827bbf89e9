// The IAM explorer as a team meets it: `wrangler dev` (real workerd, Workers Static Assets) in front
// of the seeded moto, driven in Chromium through Playwright: sign-in, every view and its counts
// beside moto's own answer, the trust graph, the seeded findings, hostile strings as text, axe,
// the keyboard alone, the security headers, and what a load and a reload cost upstream.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AccessStandIn, LOCAL_AUD, startAccessStandIn } from '../../scripts/access-dev.mjs'
import { startProxyStack } from '../../scripts/proxy-stack.mjs'
import { GetAccountAuthorizationDetails, IamClient } from '../../src/iam/index.js'
import { CHROMIUM, CHROMIUM_ARGS } from '../runtimes/harness.js'
import { motoRequirement } from '../support/moto.js'

const requirement = motoRequirement()
if (!requirement.available && requirement.mustFail) throw new Error(requirement.message)
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`chromium not found at ${CHROMIUM} (apt-get install -y chromium)`)

type Stack = Awaited<ReturnType<typeof startProxyStack>>
const LIMITED_TOKEN = 'explorer-limited-token-0123456789'

describe.skipIf(!requirement.available || !existsSync(CHROMIUM))('the IAM explorer in Chromium (wrangler dev + moto)', () => {
  let stack: Stack
  let access: AccessStandIn
  let browser: Browser
  let page: Page
  const dialogs: string[] = []
  const requests: string[] = []
  const errors: string[] = []

  beforeAll(async () => {
    // a local Cloudflare Access stand-in (JWKS on loopback): behind Access, the edge adds the
    // assertion to every request, which a browser context's extra headers stand in for
    access = await startAccessStandIn()
    stack = await startProxyStack({
      tokens: { limited: { sha256: createHash('sha256').update(LIMITED_TOKEN).digest('hex'), actions: ['GetAccountAuthorizationDetails'] } },
      vars: { ACCESS_TEAM_DOMAIN: access.teamDomain, ACCESS_AUD: LOCAL_AUD, ACCESS_POLICIES: JSON.stringify({ '*@example.com': {} }) },
    })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    // axe needs a page of a context of its own
    page = await (await browser.newContext()).newPage()
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('request', (r) => requests.push(r.url()))
    page.on('pageerror', (e) => errors.push(String(e)))
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
    await access?.close()
  })

  const open = async (hash: string, heading: string) => {
    await page.goto(`${stack.url}/explorer/${hash}`)
    await page.getByRole('heading', { level: 2, name: heading }).waitFor({ timeout: 20_000 })
  }
  const seriousViolations = async () => {
    const { violations } = await new AxeBuilder({ page }).analyze()
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  }

  it('is served with a strict CSP, no framing and no inline script; its assets are named by hash and cached for a year', async () => {
    const res = await fetch(`${stack.url}/explorer/`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    const html = await res.text()
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" src="assets\/main-[A-Z0-9]+\.js">$/)])
    const asset = /src="(assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1]
    const js = await fetch(`${stack.url}/explorer/${asset}`)
    expect(js.headers.get('cache-control')).toContain('immutable')
    // /explorer without the slash lands on the page
    expect((await fetch(`${stack.url}/explorer`, { redirect: 'manual' })).headers.get('location')).toMatch(/\/explorer\/$/)
    // the headers file is configuration, not content; nothing but the explorer is served as a file
    expect((await fetch(`${stack.url}/_headers`)).status).toBe(404)
    expect((await fetch(`${stack.url}/explorer/../_headers`)).status).toBe(404)
  })

  it('asks for a proxy token, refuses a wrong one, keeps the right one in sessionStorage only; a load costs the pages of GetAccountAuthorizationDetails and ListRoles plus four calls', async () => {
    stack.counter.reset()
    await page.goto(`${stack.url}/explorer/`)
    await page.getByLabel('Proxy token').fill('not-a-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept')
    expect(stack.counter.count()).toBe(0)
    expect(await seriousViolations()).toEqual([])
    await page.getByLabel('Proxy token').fill(stack.token)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 2, name: 'Overview' }).waitFor()
    expect(await page.evaluate(() => [Object.values(sessionStorage), localStorage.length, document.cookie])).toEqual([[stack.token], 0, ''])
    expect(stack.counter.count('GetAccountAuthorizationDetails')).toBe(1)
    expect(stack.counter.count('ListRoles')).toBe(1)
    expect(stack.counter.count()).toBe(6)
  })

  it('costs IAM nothing on a reload within the cache TTL', async () => {
    stack.counter.reset()
    await page.reload()
    await page.getByRole('heading', { level: 2, name: 'Overview' }).waitFor()
    expect(stack.counter.count()).toBe(0)
  })

  it('renders every view with moto’s counts, and axe finds nothing serious on any of them', async () => {
    const iam = new IamClient({ credentials: stack.account.credentials, endpoint: stack.moto.endpoint, allowHttp: true })
    const truth = await iam.send(GetAccountAuthorizationDetails, {})
    const counts = { Users: truth.UserDetailList?.length, Roles: truth.RoleDetailList?.length, Groups: truth.GroupDetailList?.length, Policies: truth.Policies?.length }
    await open('', 'Overview')
    for (const [label, n] of Object.entries(counts)) expect(await page.locator('.cards a', { hasText: label }).locator('.n').textContent()).toBe(String(n))
    expect(await seriousViolations()).toEqual([])
    for (const [label, n] of Object.entries(counts)) {
      await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click()
      await page.getByRole('heading', { level: 2, name: label }).waitFor()
      expect(await page.locator('.count').textContent()).toBe(`${n} ${label.toLowerCase()}`)
      expect(await page.locator('tbody tr').count()).toBe(n)
      expect(await seriousViolations()).toEqual([])
    }
    for (const [hash, heading] of [['#/users/alice', 'User alice'], ['#/roles/vendor-audit', 'Role vendor-audit'], ['#/groups/developers', 'Group developers'], [`#/policies/${encodeURIComponent(`arn:aws:iam::${stack.account.accountId}:policy/Ec2Launcher`)}`, 'Policy Ec2Launcher'], ['#/findings', 'Findings'], ['#/graph', 'Trust graph'], ['#/paths', 'Paths to admin'], ['#/who-can?action=iam%3APassRole', 'Who can']] as const) {
      await open(hash, heading)
      expect(await seriousViolations(), heading).toEqual([])
    }
    expect(errors).toEqual([])
  })

  it('shows each seeded defect among the findings, from evaluation', async () => {
    await open('#/findings', 'Findings')
    // the paths to admin are searched after the first view is drawn
    await expect.poll(() => page.locator('main').textContent(), { timeout: 20_000 }).toContain('User alice is admin')
    const text = await page.locator('main').textContent()
    expect(text).toContain('User deploy-bot can become admin')
    expect(text).toContain('ec2-001 iam:PassRole + ec2:RunInstances')
    expect(text).toContain(`Role vendor-audit trusts account ${stack.account.defects.otherAccount} without an external id`)
    expect(text).toContain('Inline policy alice-admin on user alice')
    // the filters narrow, and the state is in the URL
    await page.getByLabel('Severity').selectOption('critical')
    expect(page.url()).toContain('severity=critical')
    const rows = await page.locator('tbody tr').allTextContents()
    expect(rows.length).toBeGreaterThanOrEqual(2)
    for (const row of rows) expect(row).toContain('critical')
    // the categories that need the action data arrive after the first view
    await page.getByLabel('Severity').selectOption('')
    await expect.poll(() => page.locator('main').textContent(), { timeout: 20_000 }).toContain('Ec2Launcher can change infrastructure on any resource')
  })

  it('answers who can become admin, and how: every hop with the statement that grants it, linked to the statement', async () => {
    await open('', 'Overview')
    const climbers = page.getByRole('heading', { name: 'Who can become admin' }).locator('..')
    await expect.poll(() => climbers.textContent(), { timeout: 20_000 }).toContain('deploy-bot')
    await open('#/paths', 'Paths to admin')
    await page.locator('tbody tr').first().waitFor()
    await page.getByRole('link', { name: 'deploy-bot', exact: true }).click()
    await page.getByRole('heading', { level: 2, name: 'Paths to admin: deploy-bot' }).waitFor()
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain('(ec2-001)')
    expect(main).toContain('(iam-009)')
    expect(await seriousViolations()).toEqual([])
    await page.getByRole('link', { name: 'Ec2Launcher LaunchWithRole' }).first().click()
    await page.getByRole('heading', { level: 2, name: 'Policy Ec2Launcher' }).waitFor()
    expect(await page.locator('.statement.highlighted').textContent()).toContain('LaunchWithRole')
    expect(await seriousViolations()).toEqual([])
  })

  it('answers who can do an action on a resource, from the keyboard', async () => {
    await open('#/who-can', 'Who can')
    await page.getByLabel('Action').focus()
    await page.keyboard.type('iam:AttachRolePolicy')
    await page.keyboard.press('Tab')
    await page.keyboard.type(`arn:aws:iam::${stack.account.accountId}:role/ec2-web`)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('main').textContent()).toContain('can iam:AttachRolePolicy on')
    const principals = await page.locator('tbody th').allTextContents()
    expect(principals).toEqual(expect.arrayContaining(['user alice', 'role ec2-web']))
    expect(page.url()).toContain('action=iam%3AAttachRolePolicy')
    expect(await seriousViolations()).toEqual([])
  })

  it('shows what a principal can do, by service and access level, and answers whether it can do one thing', async () => {
    await open('#/users/deploy-bot', 'User deploy-bot')
    const effective = page.getByRole('heading', { name: 'Effective permissions' }).locator('..')
    await expect.poll(() => effective.locator('tbody tr').count(), { timeout: 20_000 }).toBe(2)
    expect(await effective.locator('tbody tr', { hasText: 'iam' }).textContent()).toMatch(/^iam——1 of \d+——Ec2Launcher LaunchWithRole$/)
    await effective.getByLabel('Search').fill('passrole')
    expect(await effective.locator('tbody tr').count()).toBe(1)
    const form = page.getByRole('heading', { name: 'Can this user do…' }).locator('..')
    await form.getByLabel('Action').fill('ec2:RunInstances')
    await form.getByRole('button', { name: 'Ask' }).click()
    await expect.poll(() => form.textContent()).toContain('allowed: ec2:RunInstances on *')
    expect(await form.getByRole('link', { name: 'Ec2Launcher LaunchWithRole' }).count()).toBe(1)
    await form.getByLabel('Action').fill('iam:CreateUser')
    await form.getByRole('button', { name: 'Ask' }).click()
    await expect.poll(() => form.textContent()).toContain('implicitDeny: iam:CreateUser on *')
    expect(await seriousViolations()).toEqual([])
    // unused access needs the proxy's ACCESS_ADVISOR, off here: the page says so, and IAM is not asked
    stack.counter.reset()
    await page.getByRole('button', { name: 'Check unused services (Access Advisor)' }).click()
    await expect.poll(() => page.getByRole('heading', { name: 'Unused access' }).locator('..').textContent()).toContain('ACCESS_ADVISOR=on')
    expect(stack.counter.count()).toBe(0)
  })

  it('says how fresh the data is, and Refresh reads IAM again past the cache', async () => {
    await open('', 'Overview')
    expect(await page.locator('.freshness time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    stack.counter.reset()
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => stack.counter.count('GetAccountAuthorizationDetails'), { timeout: 20_000 }).toBe(1)
    await page.getByRole('heading', { level: 2, name: 'Overview' }).waitFor()
  })

  it('never puts a route’s text in the heading or the title: an unknown route is Not found', async () => {
    for (const hash of ['#/Your%20session%20expired%2C%20call%20+1-555', '#/users/Your%20session%20expired', '#/policies/%3Cimg%20src%3Dx%3E', '#/constructor']) {
      await open(hash, 'Not found')
      expect(await page.title()).toBe('Not found · IAM explorer')
      expect(await page.locator('main').textContent()).not.toContain('session expired')
    }
    expect(dialogs).toEqual([])
  })

  it('draws the cross-account trust in the graph and links it to the role', async () => {
    await open('#/graph', 'Trust graph')
    await expect.poll(() => page.locator('svg.graph .edge.risky').count()).toBe(1)
    expect(await page.locator('svg.graph').textContent()).toContain(`account ${stack.account.defects.otherAccount}`)
    const risky = page.getByRole('heading', { name: 'Risky trust (1)' }).locator('..')
    expect(await risky.textContent()).toContain(`account ${stack.account.defects.otherAccount} → vendor-audit: another account, no external id`)
    // drawn at its natural size (12 px labels); zoom from the keyboard
    const width = () => page.locator('svg.graph').getAttribute('width')
    const before = Number(await width())
    await page.locator('.graph-frame').focus()
    await page.keyboard.press('+')
    expect(Number(await width())).toBeGreaterThan(before)
    await page.keyboard.press('0')
    expect(Number(await width())).toBe(before)
    expect(await page.locator('svg.graph text').first().evaluate((t) => getComputedStyle(t).fontSize)).toBe('12px')
    // a principal's neighbourhood, with its paths to admin drawn as escalation edges
    await page.getByLabel('Principal or role').fill('deploy-bot')
    await page.getByRole('button', { name: 'Show its neighbourhood' }).click()
    await expect.poll(() => page.locator('svg.graph .edge.escalation').count()).toBeGreaterThanOrEqual(1)
    await open('#/graph', 'Trust graph')
    await page.getByRole('link', { name: 'role vendor-audit' }).click()
    await page.getByRole('heading', { level: 2, name: 'Role vendor-audit' }).waitFor()
  })

  it('renders hostile IAM strings as text: nothing runs, no dialog opens', async () => {
    await open('#/roles/vendor-audit', 'Role vendor-audit')
    expect(await page.locator('main').textContent()).toContain(stack.account.defects.hostileTag)
    await open('#/roles', 'Roles')
    expect(await page.locator('main').textContent()).toContain(stack.account.defects.hostileTag)
    await open(`#/policies/${encodeURIComponent(`arn:aws:iam::${stack.account.accountId}:policy/Ec2Launcher`)}`, 'Policy Ec2Launcher')
    expect(await page.locator('main').textContent()).toContain(stack.account.defects.hostileDescription)
    await open('#/policies', 'Policies')
    expect(await page.locator('main').textContent()).toContain(stack.account.defects.hostileDescription)
    expect(await page.locator('img, script:not([src])').count()).toBe(0)
    expect(dialogs).toEqual([])
  })

  it('works from the keyboard alone, and a view is a link that can be shared', async () => {
    await open('', 'Overview')
    await page.locator('body').focus()
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab')
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Users') break
    }
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 2, name: 'Users' }).waitFor()
    await page.getByLabel('Search').focus()
    await page.keyboard.type('bob')
    expect(await page.locator('.count').textContent()).toBe('1 of 4 users')
    expect(page.url()).toContain('q=bob')
    await page.keyboard.press('Tab')
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'bob') await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 2, name: 'User bob' }).waitFor()
    // the shared link opens the same filtered view; a hostile route is Not found
    await open('#/users?q=carol', 'Users')
    expect(await page.locator('.count').textContent()).toBe('1 of 4 users')
    await open('#/users/%E0%A4%A', 'Users')
    await open('#/roles/__proto__', 'Not found')
  })

  it('says which action is missing when the token may not call it', async () => {
    const tab = await (await browser.newContext()).newPage()
    try {
      await tab.goto(`${stack.url}/explorer/`)
      await tab.getByLabel('Proxy token').fill(LIMITED_TOKEN)
      await tab.getByRole('button', { name: 'Sign in' }).click()
      await tab.getByRole('heading', { level: 2, name: 'Overview' }).waitFor()
      const text = await tab.locator('main').textContent()
      expect(text).toContain('This view needs iam:GetAccountSummary')
      expect(text).toContain('This view needs iam:GetCredentialReport')
      expect(await tab.locator('.cards a', { hasText: 'Users' }).locator('.n').textContent()).toBe(String(stack.account.users.length))
    } finally {
      await tab.close()
    }
  })

  it('asks nothing behind Cloudflare Access: the assertion signs the caller in, and no token is kept', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'cf-access-jwt-assertion': await access.mint({ email: 'dev@example.com' }) } })
    const tab = await context.newPage()
    try {
      await tab.goto(`${stack.url}/explorer/`)
      await tab.getByRole('heading', { level: 2, name: 'Overview' }).waitFor()
      expect(await tab.getByLabel('Proxy token').count()).toBe(0)
      expect(await tab.getByRole('button', { name: 'Sign out' }).count()).toBe(0)
      expect(await tab.evaluate(() => sessionStorage.length)).toBe(0)
      expect(await tab.locator('.cards a', { hasText: 'Roles' }).locator('.n').textContent()).toBe(String(stack.account.roles.length))
    } finally {
      await context.close()
    }
  })

  it('says so when Access signs in someone the proxy does not let read, and when the Access session is not accepted', async () => {
    for (const [assertion, expected] of [
      [await access.mint({ email: 'stranger@elsewhere.org' }), /could not load the account: the proxy lets this caller read none of what the explorer needs \(AccessDenied: Access identity stranger@elsewhere.org is not in ACCESS_POLICIES\)/],
      [await access.mint({ email: 'dev@example.com' }, { aud: 'another-application' }), /Cloudflare Access: .*aud/],
    ] as const) {
      const context = await browser.newContext({ extraHTTPHeaders: { 'cf-access-jwt-assertion': assertion } })
      const tab = await context.newPage()
      try {
        await tab.goto(`${stack.url}/explorer/`)
        await expect.poll(() => tab.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(expected)
      } finally {
        await context.close()
      }
    }
  })

  it('exports a table as CSV and JSON, as filtered', async () => {
    await open('#/users?q=bob', 'Users')
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    expect(csv.suggestedFilename()).toBe('users.csv')
    const text = readFileSync(await csv.path(), 'utf8')
    expect(text.split('\r\n')[0]).toBe('"User","Risk","Path","Groups","Policies","MFA","Created","Tags"')
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2)
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()])
    const rows = JSON.parse(readFileSync(await json.path(), 'utf8')) as Array<{ UserName: string }>
    expect(rows.map((r) => r.UserName)).toEqual(['bob'])
  })

  it('made no request to any other origin; the paths to admin were searched in the worker', () => {
    expect(requests.length).toBeGreaterThan(10)
    expect(requests.some((u) => /\/explorer\/assets\/paths-worker-[A-Z0-9]+\.js$/.test(u))).toBe(true)
    expect(errors).toEqual([])
    expect(requests.filter((u) => !u.startsWith(`${stack.url}/`))).toEqual([])
  })
})
