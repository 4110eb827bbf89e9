// Hostile answers to the client: every one ends in a typed error, within bounded memory.
import { describe, expect, it } from 'vitest'
import { GetRole, ListUsers } from '../../src/iam/generated/index.js'
import { IamClient, IamError } from '../../src/iam/index.js'
import { ResponseTooLargeError, XmlParseError } from '../../src/query/errors.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-0123456789' }
const client = (respond: () => Response, options: { maxResponseBytes?: number } = {}) =>
  new IamClient({ credentials, endpoint: 'http://127.0.0.1:1', retries: 0, fetch: async () => respond(), ...options })

/** A body of `total` bytes streamed in 64 KiB chunks, counting what was actually pulled. */
function bigStream(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new Uint8Array(64 * 1024).fill(0x61)
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close()
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  return { stream, pulled: () => sent }
}

describe('hostile answers', () => {
  it('stops reading a 50 MB body at maxResponseBytes', async () => {
    const body = bigStream(50 * 1024 * 1024)
    const c = client(() => new Response(body.stream, { status: 200 }), { maxResponseBytes: 1024 * 1024 })
    const error = await c.send(ListUsers, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResponseTooLargeError)
    expect(body.pulled()).toBeLessThan(2 * 1024 * 1024)
  })

  it('refuses a declared Content-Length over the cap without reading', async () => {
    const c = client(() => new Response('x', { headers: { 'content-length': String(100 * 1024 * 1024) } }))
    await expect(c.send(ListUsers, {})).rejects.toBeInstanceOf(ResponseTooLargeError)
  })

  it('refuses invalid UTF-8 in a success', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('<ListUsersResponse><ListUsersResult><Users><member><UserName>'), 0xff, 0xfe, ...new TextEncoder().encode('</UserName></member></Users></ListUsersResult></ListUsersResponse>')])
    await expect(client(() => new Response(bytes)).send(ListUsers, {})).rejects.toThrow(/not valid UTF-8/)
  })

  it('turns an error envelope sent with 200 into the service error', async () => {
    const xml = '<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>gone</Message></Error><RequestId>r</RequestId></ErrorResponse>'
    const error = await client(() => new Response(xml)).send(GetRole, { RoleName: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IamError)
    expect(error).toMatchObject({ code: 'NoSuchEntity', status: 200 })
    const inside = '<GetRoleResponse><GetRoleResult/><Error><Code>Throttling</Code><Message>m</Message></Error></GetRoleResponse>'
    await expect(client(() => new Response(inside)).send(GetRole, { RoleName: 'x' })).rejects.toMatchObject({ code: 'Throttling' })
  })

  it.each([
    ['truncated', '<ListUsersResponse><ListUsersResult><Users><member><UserName>a</UserName>'],
    ['an entity bomb', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ListUsersResponse>&b;</ListUsersResponse>'],
    ['an external entity', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ListUsersResponse>&e;</ListUsersResponse>'],
    ['10,000-deep nesting', `<ListUsersResponse>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</ListUsersResponse>`],
    ['not XML at all', '{"Users": []}'],
    ['an empty body', ''],
  ])('refuses %s with XmlParseError, never a half-filled result', async (_, body) => {
    await expect(client(() => new Response(body)).send(ListUsers, {})).rejects.toBeInstanceOf(XmlParseError)
  })

  it('names a bad maxResponseBytes', () => {
    expect(() => new IamClient({ credentials, maxResponseBytes: 0 })).toThrow(/maxResponseBytes/)
  })
})
