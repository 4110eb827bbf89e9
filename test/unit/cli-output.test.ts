import { describe, expect, it } from 'vitest'
import { formatJson, formatTable, toCli, toPlain } from '../../src/cli/output.js'
import { GetCredentialReport } from '../../src/iam/generated/index.js'
import { runPaginated } from '../../src/cli/paginate.js'
import { ListUsers } from '../../src/iam/generated/index.js'
import { PaginationError } from '../../src/query/errors.js'

describe('CLI output', () => {
  it('prints a blob of several megabytes as base64 (a credential report of a large account)', () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => (i * 31) & 0xff)
    const plain = toPlain({ Content: bytes, ReportFormat: 'text/csv' }) as { Content: string }
    expect(plain.Content).toBe(Buffer.from(bytes).toString('base64'))
    expect(formatJson(toCli({ Content: bytes, ReportFormat: 'text/csv' }, GetCredentialReport.output))).toContain(plain.Content)
  })

  it('keeps NextToken in a table, so a cut listing can be resumed', () => {
    const table = formatTable({ Users: [{ UserName: 'a', UserId: 'AID1' }], NextToken: 'eyJtIjoiMiIsInMiOjB9' }, 'ListUsers')
    expect(table).toContain('| NextToken: eyJtIjoiMiIsInMiOjB9 |')
    expect(table).toContain('| a ')
    expect(formatTable({ Users: [{ UserName: 'a' }] }, 'ListUsers')).not.toContain('NextToken')
  })
})

describe('CLI paging', () => {
  const flags = { paginate: true, output: 'json', help: false } as const

  it('stops with a PaginationError when the service repeats a marker', async () => {
    let calls = 0
    const client = {
      send: async () => {
        calls++
        return { Users: [{ UserName: `u${calls}` }], IsTruncated: true, Marker: 'again' }
      },
    }
    await expect(runPaginated(client, ListUsers, {}, flags, undefined)).rejects.toBeInstanceOf(PaginationError)
    expect(calls).toBe(2)
  })

  it('resumes mid-page from the NextToken it printed', async () => {
    const pages: Record<string, { Users: { UserName: string }[]; IsTruncated: boolean; Marker?: string }> = {
      '': { Users: [{ UserName: 'a' }, { UserName: 'b' }, { UserName: 'c' }], IsTruncated: true, Marker: 'p2' },
      p2: { Users: [{ UserName: 'd' }], IsTruncated: false },
    }
    const client = { send: async (_op: unknown, input: object) => pages[(input as { Marker?: string }).Marker ?? ''] as object }
    const first = await runPaginated(client, ListUsers, {}, { ...flags, maxItems: 2 }, undefined)
    expect(first.Users).toEqual([{ UserName: 'a' }, { UserName: 'b' }])
    const rest = await runPaginated(client, ListUsers, {}, { ...flags, startingToken: first.NextToken as string }, undefined)
    expect(rest.Users).toEqual([{ UserName: 'c' }, { UserName: 'd' }])
    expect(rest.NextToken).toBeUndefined()
  })
})

describe('--output text', () => {
  it('follows the AWS CLI rules for scalars, lists and nesting (expected values from awscli.text.format_text)', async () => {
    const { formatText } = await import('../../src/cli/text.js')
    expect(formatText({ B: true, A: 'x', N: null, Z: 3 })).toBe('x\tTrue\tNone\t3\n')
    expect(formatText(['a', 'b'])).toBe('a\tb\n')
    expect(formatText({ Names: ['a', 'b'] })).toBe('NAMES\ta\nNAMES\tb\n')
    expect(formatText({ Users: [{ UserName: 'a', Path: '/' }, { UserName: 'b', Tags: [{ Key: 'k', Value: 'v' }] }] })).toBe('USERS\t/\ta\nUSERS\t\tb\nTAGS\tk\tv\n')
    expect(formatText({ Outer: { Inner: { Leaf: false } } })).toBe('INNER\tFalse\n')
    expect(formatText(null)).toBe('None\n')
    expect(formatText({ Empty: [] })).toBe('')
  })
})
