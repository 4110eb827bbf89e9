// The corpus (test/policy/corpus/*.json): cases written from the IAM User Guide's facts, each
// check a request and the decision the guide gives; the Sids a check names are the statements
// that decide it.
import { describe, expect, it } from 'vitest'
import { type Case, conditionCase, loadCorpus, runCheck } from './corpus.js'

const files = loadCorpus('test/policy/corpus')

describe.each(files)('$file', ({ corpus }) => {
  const cases: Case[] = [...(corpus.cases ?? []), ...(corpus.conditions ?? []).map((row) => conditionCase(row, corpus.version))]
  const rows = cases.flatMap((c) => c.checks.map((check, i) => ({ c, check, name: `${c.name} — ${check.action}${check.resource ? ` on ${check.resource}` : ''}${check.caller ? ` by ${check.caller}` : ''}${check.context ? ` with ${JSON.stringify(check.context)}` : ''} (${i + 1})` })))
  it.each(rows)('$name', ({ c, check }) => {
    const outcome = runCheck(c, check)
    expect(outcome.decision, check.note).toBe(check.expect)
    if (check.statements) expect(outcome.statements.map((e) => e.statement.sid).sort()).toEqual([...check.statements].sort())
  })
})

it('holds at least 500 checks', () => {
  const count = files.reduce((n, { corpus }) => n + (corpus.conditions?.length ?? 0) + (corpus.cases ?? []).reduce((m, c) => m + c.checks.length, 0), 0)
  expect(count).toBeGreaterThanOrEqual(500)
})
