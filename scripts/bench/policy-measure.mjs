// The policy benchmark's measurements, shared by Node (scripts/bench/policy.mjs) and Chromium
// (the same module bundled into a page): only performance.now, no Node or DOM API.
import { generateAccount } from './policy-account.mjs'

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
  const first = performance.now()
  fn()
  const cold = performance.now() - first
  const ms = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    ms.push(performance.now() - start)
  }
  return { cold, warm: median(ms) }
}

const round1 = (x) => Math.round(x * 10) / 10

/** Runs every measurement with the given build of iam-edge/policy; returns the figures. */
export function measure({ readAccount, simulateCustomPolicy, whoCan, escalations }) {
  const decided = simulateCustomPolicy(input).EvaluationResults?.[0]?.EvalDecision
  const decisions = rate(() => simulateCustomPolicy(input))

  const details = generateAccount()
  const read = time(() => readAccount(details), 3)
  const account = readAccount(details)
  const role = account.roles[7].arn
  const object = 'arn:aws:s3:::bucket-12/data.csv'
  const who = time(() => whoCan(account, 's3:GetObject', object))
  const whoAssume = time(() => whoCan(account, 'sts:AssumeRole', role))
  const allowed = whoCan(account, 's3:GetObject', object)
  let result
  const esc = time(() => {
    result = escalations(account)
  }, 3)
  return {
    simulateCustomPolicy: { decisionsPerSecond: Math.round(decisions), decision: decided, goal: 100_000 },
    account: { users: account.users.length, roles: account.roles.length, policies: account.policies.size, groups: account.groups.length, readMs: Math.round(read.warm) },
    whoCan: {
      ms: round1(who.warm),
      coldMs: round1(who.cold),
      assumeRoleMs: round1(whoAssume.warm),
      allowed: allowed.Principals.length,
      conditional: allowed.Principals.filter((p) => p.Conditional).length,
      goalMs: 100,
    },
    escalations: {
      ms: Math.round(esc.warm),
      coldMs: Math.round(esc.cold),
      entries: result.Escalations.length,
      admins: result.Escalations.filter((e) => e.IsAdmin).length,
      paths: result.Escalations.reduce((n, e) => n + e.Paths.length, 0),
      goalMs: 1000,
    },
  }
}
