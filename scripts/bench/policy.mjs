#!/usr/bin/env node
// npm run bench:policy — the evaluator's speed in Node (dist/policy): simulateCustomPolicy
// decisions per second for one action and one resource over 10 policies of 5 statements with
// conditions; whoCan and escalations over an account of 1,000 users, 2,000 roles and 1,500
// policies (scripts/bench/policy-account.mjs). Figures only. `-- --json` prints them as JSON.
import { readAccount, simulateCustomPolicy, whoCan, escalations } from '../../dist/policy/index.js'
import { generateAccount } from './policy-account.mjs'

const json = process.argv.includes('--json')
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// 10 policies × 5 statements, each with a condition, none of them deciding by its first statement
const statement = (i, j) => ({
  Sid: `S${i}x${j}`,
  Effect: j === 4 && i === 9 ? 'Deny' : 'Allow',
  Action: [j === 3 ? 's3:Get*' : `s3:Get${j}*`, 'dynamodb:Query', `sqs:Send${i}*`],
  Resource: [`arn:aws:s3:::bucket-${i}-${j}/*`, 'arn:aws:s3:::shared/*'],
  Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
})
const PolicyInputList = Array.from({ length: 10 }, (_, i) => JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 5 }, (_, j) => statement(i, j)) }))
const input = {
  PolicyInputList,
  ActionNames: ['s3:GetObject'],
  ResourceArns: ['arn:aws:s3:::shared/reports/q3.csv'],
  ContextEntries: [
    { ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: ['us-east-1'], ContextKeyType: 'string' },
    { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' },
  ],
}

function rate(fn, seconds = 2) {
  for (let i = 0; i < 2000; i++) fn()
  const rounds = []
  for (let r = 0; r < 5; r++) {
    let n = 0
    const start = performance.now()
    const until = start + (seconds * 1000) / 5
    while (performance.now() < until) {
      for (let i = 0; i < 100; i++) fn()
      n += 100
    }
    rounds.push(n / ((performance.now() - start) / 1000))
  }
  return median(rounds)
}

function time(fn, runs = 5) {
  fn()
  const ms = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    ms.push(performance.now() - start)
  }
  return median(ms)
}

const decided = simulateCustomPolicy(input).EvaluationResults?.[0]?.EvalDecision
const decisions = rate(() => simulateCustomPolicy(input))

const details = generateAccount()
const readMs = time(() => readAccount(details), 3)
const account = readAccount(details)
const role = account.roles[7].arn
const whoCanMs = time(() => whoCan(account, 's3:GetObject', 'arn:aws:s3:::bucket-12/data.csv'))
const whoCanAssumeMs = time(() => whoCan(account, 'sts:AssumeRole', role))
const who = whoCan(account, 's3:GetObject', 'arn:aws:s3:::bucket-12/data.csv')
let result
const escalationsMs = time(() => {
  result = escalations(account)
}, 3)
const admins = result.Escalations.filter((e) => e.IsAdmin).length
const paths = result.Escalations.reduce((n, e) => n + e.Paths.length, 0)

const figures = {
  simulateCustomPolicy: { decisionsPerSecond: Math.round(decisions), decision: decided, goal: 100_000 },
  account: { users: account.users.length, roles: account.roles.length, policies: account.policies.size, groups: account.groups.length, readMs: Math.round(readMs) },
  whoCan: { ms: Math.round(whoCanMs * 10) / 10, assumeRoleMs: Math.round(whoCanAssumeMs * 10) / 10, allowed: who.Principals.length, conditional: who.Principals.filter((p) => p.Conditional).length, goalMs: 100 },
  escalations: { ms: Math.round(escalationsMs), entries: result.Escalations.length, admins, paths, goalMs: 1000 },
}
if (json) console.log(JSON.stringify(figures))
else {
  console.log(`Node ${process.version}, medians\n`)
  console.log(`simulateCustomPolicy, 1 action × 1 resource over 10 policies × 5 statements with conditions: ${figures.simulateCustomPolicy.decisionsPerSecond.toLocaleString('en-US')} decisions/s (goal ≥ 100,000; the decision: ${decided})`)
  console.log(`account: ${figures.account.users} users, ${figures.account.roles} roles, ${figures.account.policies} managed policies, ${figures.account.groups} groups; read in ${figures.account.readMs} ms`)
  console.log(`whoCan s3:GetObject on an object: ${figures.whoCan.ms} ms (goal ≤ 100), ${figures.whoCan.allowed} principals allowed (${figures.whoCan.conditional} conditionally); sts:AssumeRole on a role: ${figures.whoCan.assumeRoleMs} ms`)
  console.log(`escalations: ${figures.escalations.ms} ms (goal ≤ 1,000), ${figures.escalations.entries} principals (${admins} admins), ${paths} paths`)
}
