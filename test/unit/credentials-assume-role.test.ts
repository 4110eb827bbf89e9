import { describe, expect, it } from 'vitest'
import { assumeRole } from '../../src/credentials/assume-role.js'
import type { SendOptions, WithMetadata } from '../../src/query/client.js'
import { XmlParseError } from '../../src/query/errors.js'
import type { OperationSender } from '../../src/query/paginate.js'
import type { Operation } from '../../src/query/shapes.js'

const MIN = 60_000
const ROLE = 'arn:aws:iam::123456789012:role/auditor'

/** An STS double: AssumeRole answers credentials valid for `lifetimeMs` from the fake clock. */
function fakeSts(clock: { now: number }, options: { lifetimeMs?: number; fail?: (call: number) => Error | undefined; omit?: boolean } = {}) {
  const calls: { op: string; input: Record<string, unknown> }[] = []
  const pending: (() => void)[] = []
  let gate = false
  const sender: OperationSender = {
    async send<I extends object, O extends object>(op: Operation<I, O>, input: I, _o?: SendOptions): Promise<WithMetadata<O>> {
      calls.push({ op: `${op.service.id}:${op.name}`, input: { ...(input as Record<string, unknown>) } })
      const n = calls.length
      if (gate) await new Promise<void>((resolve) => pending.push(resolve))
      const failure = options.fail?.(n)
      if (failure !== undefined) throw failure
      const out = {
        ...(options.omit
          ? {}
          : {
              Credentials: {
                AccessKeyId: `ASIA${n}`,
                SecretAccessKey: `secret${n}`,
                SessionToken: `token${n}`,
                Expiration: new Date(clock.now + (options.lifetimeMs ?? 60 * MIN)),
              },
            }),
        $metadata: { httpStatusCode: 200, attempts: 1 },
      }
      // the double only ever answers AssumeRole
      return out as unknown as WithMetadata<O>
    },
  }
  return {
    sender,
    calls,
    hold: () => {
      gate = true
    },
    release: () => {
      gate = false
      for (const resolve of pending.splice(0)) resolve()
    },
  }
}

describe('assumeRole', () => {
  it('calls sts:AssumeRole with the given parameters and maps the credentials', async () => {
    const clock = { now: Date.UTC(2026, 10, 22) }
    const sts = fakeSts(clock)
    const provider = assumeRole({ client: sts.sender, RoleArn: ROLE, RoleSessionName: 's', DurationSeconds: 900, ExternalId: 'ext', now: () => clock.now })
    const c = await provider()
    expect(sts.calls).toEqual([{ op: 'sts:AssumeRole', input: { RoleArn: ROLE, RoleSessionName: 's', DurationSeconds: 900, ExternalId: 'ext' } }])
    expect(c).toEqual({ accessKeyId: 'ASIA1', secretAccessKey: 'secret1', sessionToken: 'token1', expiration: new Date(clock.now + 60 * MIN) })
  })

  it('reuses the credentials until five minutes before expiry', async () => {
    const clock = { now: 0 }
    const sts = fakeSts(clock)
    const provider = assumeRole({ client: sts.sender, RoleArn: ROLE, RoleSessionName: 's', now: () => clock.now })
    await provider()
    clock.now = 55 * MIN - 1
    expect((await provider()).accessKeyId).toBe('ASIA1')
    clock.now = 55 * MIN
    expect((await provider()).accessKeyId).toBe('ASIA2')
    expect(sts.calls).toHaveLength(2)
  })

  it('shares one AssumeRole call among concurrent callers', async () => {
    const clock = { now: 0 }
    const sts = fakeSts(clock)
    const provider = assumeRole({ client: sts.sender, RoleArn: ROLE, RoleSessionName: 's', now: () => clock.now })
    sts.hold()
    const waiting = Array.from({ length: 8 }, () => provider())
    sts.release()
    const got = await Promise.all(waiting)
    expect(sts.calls).toHaveLength(1)
    expect(got.every((c) => c === got[0])).toBe(true)
  })

  it('hands a failure to every waiting caller, then tries again', async () => {
    const clock = { now: 0 }
    const sts = fakeSts(clock, { fail: (n) => (n === 1 ? new Error('AccessDenied') : undefined) })
    const provider = assumeRole({ client: sts.sender, RoleArn: ROLE, RoleSessionName: 's', now: () => clock.now })
    sts.hold()
    const waiting = [provider(), provider()]
    sts.release()
    const settled = await Promise.allSettled(waiting)
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    expect((await provider()).accessKeyId).toBe('ASIA2')
  })

  it('rejects an answer without Credentials', async () => {
    const sts = fakeSts({ now: 0 }, { omit: true })
    await expect(assumeRole({ client: sts.sender, RoleArn: ROLE, RoleSessionName: 's' })()).rejects.toBeInstanceOf(XmlParseError)
  })

  it('validates its options when built', () => {
    const sts = fakeSts({ now: 0 })
    expect(() => assumeRole({ client: sts.sender, RoleArn: 'auditor', RoleSessionName: 's' })).toThrow(/^RoleArn:/)
    expect(() => assumeRole({ client: sts.sender, RoleArn: ROLE, RoleSessionName: '' })).toThrow(/^RoleSessionName:/)
  })
})
