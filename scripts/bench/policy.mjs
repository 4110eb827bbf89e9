#!/usr/bin/env node
// npm run bench:policy — the evaluator's speed (dist/policy) in Node and in headless Chromium:
// simulateCustomPolicy decisions per second for one action and one resource over 10 policies of
// 5 statements with conditions; whoCan and escalations over an account of 1,000 users, 2,000 roles
// and 1,500 policies (scripts/bench/policy-account.mjs). The same measuring module
// (policy-measure.mjs) runs in both, bundled by esbuild for the page. Figures only.
// `-- --json` prints them as JSON; `-- --node` skips Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
import { existsSync } from 'node:fs'
import * as policy from '../../dist/policy/index.js'
import { measure } from './policy-measure.mjs'

const json = process.argv.includes('--json')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

async function inChromium() {
  const { build } = await import('esbuild')
  const { chromium } = await import('playwright-core')
  const bundle = await build({
    stdin: {
      contents: "import * as policy from './dist/policy/index.js'; import { measure } from './scripts/bench/policy-measure.mjs'; globalThis.runBench = () => measure(policy)",
      resolveDir: new URL('../..', import.meta.url).pathname,
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
  })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage()
    await page.setContent('<!doctype html><title>bench</title>')
    await page.addScriptTag({ content: bundle.outputFiles[0].text })
    const version = browser.version()
    const figures = await page.evaluate(() => globalThis.runBench())
    return { version, figures }
  } finally {
    await browser.close()
  }
}

const node = measure(policy)
const chrome = !process.argv.includes('--node') && existsSync(chromiumPath) ? await inChromium() : undefined

if (json) console.log(JSON.stringify({ node, chromium: chrome?.figures }))
else {
  const report = (name, f) => {
    console.log(`${name}, medians (cold: the first run)`)
    console.log(`  simulateCustomPolicy, 1 action × 1 resource over 10 policies × 5 statements with conditions: ${f.simulateCustomPolicy.decisionsPerSecond.toLocaleString('en-US')} decisions/s (goal ≥ 100,000; the decision: ${f.simulateCustomPolicy.decision})`)
    console.log(`  account: ${f.account.users} users, ${f.account.roles} roles, ${f.account.policies} managed policies, ${f.account.groups} groups; read in ${f.account.readMs} ms`)
    console.log(`  whoCan s3:GetObject on an object: ${f.whoCan.ms} ms, cold ${f.whoCan.coldMs} ms (goal ≤ 100), ${f.whoCan.allowed} principals allowed (${f.whoCan.conditional} conditionally); sts:AssumeRole on a role: ${f.whoCan.assumeRoleMs} ms`)
    console.log(`  escalations: ${f.escalations.ms} ms, cold ${f.escalations.coldMs} ms (goal ≤ 1,000), ${f.escalations.entries} principals (${f.escalations.admins} admins), ${f.escalations.paths} paths`)
  }
  report(`Node ${process.version}`, node)
  if (chrome) {
    report(`Chromium ${chrome.version}`, chrome.figures)
    const c = chrome.figures
    console.log(
      `Chromium's time ÷ Node's (goal: within 2×): decisions ${(node.simulateCustomPolicy.decisionsPerSecond / c.simulateCustomPolicy.decisionsPerSecond).toFixed(2)}×, whoCan ${(c.whoCan.ms / node.whoCan.ms).toFixed(2)}×, escalations ${(c.escalations.ms / node.escalations.ms).toFixed(2)}×`,
    )
  } else if (!process.argv.includes('--node')) console.log(`(no Chromium at ${chromiumPath}: Node figures only)`)
}
