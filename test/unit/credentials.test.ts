import { describe, expect, it } from 'vitest'
import { fromEnv } from '../../src/query/credentials.js'
import { refreshingProvider } from '../../src/credentials/refreshing.js'
import { staticCredentials } from '../../src/query/credentials.js'
import type { TemporaryCredentials } from '../../src/credentials/types.js'

describe('staticCredentials', () => {
  it('answers with a copy of the pair and validates it up front', async () => {
    const source = { accessKeyId: 'AKID', secretAccessKey: 'secret' }
    const provider = staticCredentials(source)
    source.secretAccessKey = 'changed'
    expect(await provider()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret' })
    expect(() => staticCredentials({ accessKeyId: '', secretAccessKey: 's' })).toThrow(/credentials\.accessKeyId/)
  })
})

describe('fromEnv', () => {
  it('reads the standard variables, with an optional session token', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok', OTHER: undefined }
    expect(await fromEnv(env)()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'tok' })
    expect(await fromEnv({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: '' })()).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
    })
  })

  it('accepts a Worker env carrying bindings of other types', async () => {
    const workerEnv = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', CACHE: { get: () => null }, TTL: 60 }
    expect((await fromEnv(workerEnv)()).accessKeyId).toBe('AKID')
  })

  it('takes the Env interface `wrangler types` generates (no index signature) as it is', async () => {
    // the shape of a generated Env: an interface with literal-typed vars and bindings
    interface Env {
      AWS_ACCESS_KEY_ID: string
      AWS_SECRET_ACCESS_KEY: string
      CACHE_TTL_SECONDS: '60'
      GATE: { idFromName(name: string): unknown }
    }
    const env: Env = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', CACHE_TTL_SECONDS: '60', GATE: { idFromName: () => undefined } }
    // a type error here is what every TypeScript Worker author used to hit on line one
    expect((await fromEnv(env)()).accessKeyId).toBe('AKID')
  })

  it('names the missing variables', () => {
    expect(() => fromEnv({ AWS_ACCESS_KEY_ID: 'AKID' })).toThrow('fromEnv: AWS_SECRET_ACCESS_KEY is not set')
    expect(() => fromEnv({ AWS_SECRET_ACCESS_KEY: 's' })).toThrow('fromEnv: AWS_ACCESS_KEY_ID is not set')
    expect(() => fromEnv({})).toThrow('fromEnv: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set')
  })

  it('rejects a variable bound to something that is not a string', () => {
    expect(() => fromEnv({ AWS_ACCESS_KEY_ID: 42, AWS_SECRET_ACCESS_KEY: 's' })).toThrow(/AWS_ACCESS_KEY_ID: expected a string/)
  })
})

describe('refreshingProvider', () => {
  const MIN = 60_000
  function setup(refreshBeforeSeconds?: number) {
    let clock = 0
    let loads = 0
    const provider = refreshingProvider(
      () => {
        loads++
        const n = loads
        return Promise.resolve<TemporaryCredentials>({ accessKeyId: `AKID${n}`, secretAccessKey: 's', expiration: new Date(clock + 60 * MIN) })
      },
      { now: () => clock, ...(refreshBeforeSeconds === undefined ? {} : { refreshBeforeSeconds }) },
    )
    return {
      provider,
      loads: () => loads,
      advance: (ms: number) => {
        clock += ms
      },
    }
  }

  it('caches until five minutes before expiry, then refreshes', async () => {
    const s = setup()
    expect((await s.provider()).accessKeyId).toBe('AKID1')
    s.advance(54 * MIN)
    expect((await s.provider()).accessKeyId).toBe('AKID1')
    s.advance(MIN - 1)
    expect((await s.provider()).accessKeyId).toBe('AKID1')
    s.advance(1)
    expect((await s.provider()).accessKeyId).toBe('AKID2')
    expect(s.loads()).toBe(2)
  })

  it('honours a custom refresh margin', async () => {
    const s = setup(30 * 60)
    await s.provider()
    s.advance(30 * MIN)
    expect((await s.provider()).accessKeyId).toBe('AKID2')
  })

  it('shares one in-flight refresh among concurrent callers', async () => {
    let release: (c: TemporaryCredentials) => void = () => undefined
    let loads = 0
    const provider = refreshingProvider(() => {
      loads++
      return new Promise<TemporaryCredentials>((resolve) => {
        release = resolve
      })
    })
    const pending = Array.from({ length: 10 }, () => provider())
    release({ accessKeyId: 'AKID', secretAccessKey: 's', expiration: new Date(Date.now() + 3_600_000) })
    const results = await Promise.all(pending)
    expect(loads).toBe(1)
    expect(new Set(results).size).toBe(1)
  })

  it('propagates a failed refresh to every waiting caller and tries again on the next call', async () => {
    let loads = 0
    const provider = refreshingProvider(() => {
      loads++
      if (loads === 1) return Promise.reject(new Error('AccessDenied'))
      return Promise.resolve({ accessKeyId: 'AKID', secretAccessKey: 's' })
    })
    const [a, b] = await Promise.allSettled([provider(), provider()])
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'AccessDenied' } })
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'AccessDenied' } })
    expect((await provider()).accessKeyId).toBe('AKID')
    expect(loads).toBe(2)
  })

  it('rejects a negative margin', () => {
    expect(() => refreshingProvider(() => Promise.reject(new Error('x')), { refreshBeforeSeconds: -1 })).toThrow(RangeError)
  })
})

describe('one credentials check for signer, clients and providers', () => {
  it('takes an empty session token as none, everywhere', async () => {
    const { assertCredentials, signRequest } = await import('../../src/sigv4/index.js')
    const { staticCredentials } = await import('../../src/credentials/index.js')
    const { IamClient } = await import('../../src/iam/client.js')
    const pair = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: '' }
    expect(() => assertCredentials(pair)).not.toThrow()
    expect(await staticCredentials(pair)()).toEqual(pair)
    expect(() => new IamClient({ credentials: pair })).not.toThrow()
    const signed = await signRequest({ method: 'GET', url: 'https://iam.amazonaws.com/' }, { credentials: pair, region: 'us-east-1', service: 'iam' })
    expect(signed.headers.has('x-amz-security-token')).toBe(false)
  })

  it('refuses the same bad pairs with the same words in the signer and the client', async () => {
    const { signRequest } = await import('../../src/sigv4/index.js')
    const { IamClient } = await import('../../src/iam/client.js')
    for (const bad of [{ accessKeyId: '', secretAccessKey: 's' }, { accessKeyId: 'A', secretAccessKey: 's', sessionToken: 5 }]) {
      const fromClient = (() => {
        try {
          new IamClient({ credentials: bad as never })
        } catch (e) {
          return (e as Error).message
        }
      })()
      await expect(signRequest({ method: 'GET', url: 'https://x/' }, { credentials: bad as never, region: 'r', service: 's' })).rejects.toThrow(fromClient as string)
    }
  })
})
