import { describe, expect, it } from 'vitest'
import { iamOperations } from '../../src/iam/generated/registry.js'
import { presignRequest } from '../../src/sigv4/index.js'
import { SELF_SCOPED_ACTIONS } from '../../worker/policy.js'
import { checkParams, readCall } from '../../worker/params.js'
import type { Operation } from '../../src/index.js'
import { bearer, CALLER, codeOf, harness, LIMITED, PROXY, signedGet, signedPost, TOKEN } from './worker-support.js'

describe('the read-only policy', () => {
  it('refuses every mutating IAM action by POST and GET, before any upstream call', async () => {
    const h = await harness()
    const mutating = Object.values(iamOperations).filter((op) => !op.readOnly).map((op) => op.name)
    expect(mutating.length).toBe(109)
    for (const action of mutating) {
      const post = await h.send(await signedPost(`Action=${action}&Version=2010-05-08`))
      expect([action, post.status, codeOf(await post.text())]).toEqual([action, 403, 'AccessDenied'])
      const get = await h.send(await signedGet(`Action=${action}&Version=2010-05-08`))
      expect([action, get.status]).toEqual([action, 403])
      await get.text()
    }
    expect(h.upstream.count()).toBe(0)
  })

  it('lets GenerateServiceLastAccessedDetails through only when ACCESS_ADVISOR is on, and only to callers whose list allows it', async () => {
    const query = `Action=GenerateServiceLastAccessedDetails&Version=2010-05-08&Arn=${encodeURIComponent('arn:aws:iam::123456789012:role/r')}`
    const off = await harness()
    const refused = await off.send(await signedPost(query))
    const text = await refused.text()
    expect([refused.status, codeOf(text)]).toEqual([403, 'AccessDenied'])
    expect(text).toContain('ACCESS_ADVISOR=on')
    const on = await harness({ ACCESS_ADVISOR: 'on' })
    const post = await on.send(await signedPost(query))
    expect(post.status).toBe(200)
    await post.text()
    const facade = await on.send(bearer(`/iam/GenerateServiceLastAccessedDetails?Arn=${encodeURIComponent('arn:aws:iam::123456789012:role/r')}`))
    expect(facade.status).toBe(200)
    await facade.text()
    expect(on.upstream.count('GenerateServiceLastAccessedDetails')).toBe(1)
    // no other write comes with it, and a caller limited to ListUsers still may not
    const other = await on.send(await signedPost('Action=DeleteRole&Version=2010-05-08&RoleName=r'))
    expect(other.status).toBe(403)
    await other.text()
    const limited = await on.send(await signedPost(query, { key: LIMITED }))
    expect([limited.status, codeOf(await limited.text())]).toEqual([403, 'AccessDenied'])
    expect(on.upstream.count('DeleteRole')).toBe(0)
    // a value that is neither on nor off names the setting and lets nothing through
    const bad = await harness({ ACCESS_ADVISOR: 'yes' })
    const res = await bad.send(await signedPost('Action=ListUsers&Version=2010-05-08'))
    expect(res.status).toBe(500)
    expect(await res.text()).toContain('ACCESS_ADVISOR')
    expect(bad.upstream.count()).toBe(0)
  })

  it('narrows a caller to its own action list', async () => {
    const h = await harness()
    const allowed = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08', { key: LIMITED }))
    expect(allowed.status).toBe(200)
    const denied = await h.send(await signedPost('Action=GetRole&Version=2010-05-08&RoleName=r', { key: LIMITED }))
    expect([denied.status, codeOf(await denied.text())]).toEqual([403, 'AccessDenied'])
    expect(h.upstream.count('GetRole')).toBe(0)
  })

  // without a UserName these answer for the signing identity: the Worker's own upstream user
  it('refuses the self-scoped actions without a UserName on both routes, before any upstream call', async () => {
    const h = await harness()
    for (const action of SELF_SCOPED_ACTIONS) {
      for (const extra of ['', '&UserName=']) {
        const res = await h.send(await signedPost(`Action=${action}&Version=2010-05-08${extra}`))
        const text = await res.text()
        expect([action, res.status, codeOf(text)]).toEqual([action, 400, 'ValidationError'])
        expect(text).toContain(`${action} needs a UserName through this proxy`)
      }
      const json = await h.send(bearer(`/iam/${action}`))
      expect([action, json.status, ((await json.json()) as { error: { code: string } }).error.code]).toEqual([action, 400, 'ValidationError'])
    }
    // another parameter given, or AllUsers other than true, is still no user named
    for (const body of ['Action=ListAccessKeys&MaxItems=5', 'Action=ListMFADevices&Marker=m', 'Action=ListServiceSpecificCredentials&AllUsers=false', 'Action=ListServiceSpecificCredentials&AllUsers=TRUE&ServiceName=x']) {
      const res = await h.send(await signedPost(`${body}&Version=2010-05-08`))
      expect([body, res.status, codeOf(await res.text())]).toEqual([body, 400, 'ValidationError'])
    }
    expect(h.upstream.count()).toBe(0)
    // named, or every user's: passed on
    for (const action of SELF_SCOPED_ACTIONS) await (await h.send(bearer(`/iam/${action}?UserName=alice`))).text()
    await (await h.send(bearer('/iam/ListServiceSpecificCredentials?AllUsers=true'))).text()
    expect(h.upstream.count()).toBe(SELF_SCOPED_ACTIONS.size + 1)
  })

  it('refuses a call that leaves out (or empties) a required parameter on both routes, before any upstream call', async () => {
    const h = await harness()
    const cases: Array<[string, string]> = [
      ['Action=GetRole&Version=2010-05-08', 'GetRole needs RoleName'],
      ['Action=GetRole&Version=2010-05-08&RoleName=', 'GetRole needs RoleName'],
      ['Action=GetRolePolicy&Version=2010-05-08&RoleName=r', 'GetRolePolicy needs PolicyName'],
      ['Action=SimulatePrincipalPolicy&Version=2010-05-08', 'SimulatePrincipalPolicy needs PolicySourceArn and ActionNames'],
    ]
    for (const [body, message] of cases) {
      const res = await h.send(await signedPost(body))
      const text = await res.text()
      expect([res.status, codeOf(text)]).toEqual([400, 'ValidationError'])
      expect(text).toContain(`<Message>${message}</Message>`)
    }
    const json = await h.send(bearer('/iam/GetRole'))
    expect([json.status, await json.json()]).toEqual([400, { error: expect.objectContaining({ code: 'ValidationError', message: 'GetRole needs RoleName' }) }])
    expect(h.upstream.count()).toBe(0)
    // a list is given by its members
    const listed = await h.send(await signedPost('Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A1%3Auser%2Fa&ActionNames.member.1=s3%3AGetObject'))
    expect(listed.status).toBe(200)
    expect(h.upstream.count()).toBe(1)
  })

  it('knows every read-only action the model lets leave UserName out (GetMFADevice names its device)', () => {
    const optionalUser = Object.values(iamOperations)
      .filter((op) => op.readOnly && 'UserName' in op.input.members && !op.input.required?.includes('UserName') && !op.input.required?.includes('SerialNumber'))
      .map((op) => op.name)
    expect(optionalUser.sort()).toEqual([...SELF_SCOPED_ACTIONS].sort())
  })

  it('answers an unknown action with InvalidAction', async () => {
    const h = await harness()
    const res = await h.send(await signedPost('Action=ListEverything&Version=2010-05-08'))
    expect([res.status, codeOf(await res.text())]).toEqual([400, 'InvalidAction'])
  })
})

describe('smuggling is refused with 400', () => {
  it.each([
    ['two Action values', 'Action=ListUsers&Action=CreateUser&Version=2010-05-08', 'MalformedQueryString'],
    ['action in another case', 'Action=ListUsers&action=CreateUser&Version=2010-05-08', 'MalformedQueryString'],
    ['ACTION alone', 'ACTION=ListUsers&Version=2010-05-08', 'MalformedQueryString'],
    ['a repeated parameter', 'Action=ListUsers&Version=2010-05-08&PathPrefix=%2F&PathPrefix=%2Fa', 'MalformedQueryString'],
    ['a parameter the action does not have', 'Action=ListUsers&Version=2010-05-08&UserName=x', 'UnknownParameter'],
    ['a nested key the shape does not have', 'Action=ListUsers&Version=2010-05-08&PathPrefix.member.1=x', 'UnknownParameter'],
    ['a wrong Version', 'Action=ListUsers&Version=2099-01-01', 'NoSuchVersion'],
    ['bad percent-encoding', 'Action=ListUsers&Version=2010-05-08&PathPrefix=%E0%A4%A', 'MalformedQueryString'],
  ])('%s', async (_, body, code) => {
    const h = await harness()
    const res = await h.send(await signedPost(body))
    expect([res.status, codeOf(await res.text())]).toEqual([400, code])
    expect(h.upstream.count()).toBe(0)
  })

  it('accepts list and structure parameters the model defines', async () => {
    const h = await harness()
    const body = 'Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A1%3Auser%2Fa&ActionNames.member.1=iam%3AGetUser&ContextEntries.member.1.ContextKeyName=aws%3ACurrentTime&ContextEntries.member.1.ContextKeyValues.member.1=x'
    const res = await h.send(await signedPost(body))
    expect(res.status).toBe(200)
  })

  it('Action both on the URL and in the body', async () => {
    const h = await harness()
    const res = await h.send(await signedPost('Action=ListUsers&Version=2010-05-08', { query: 'Action=CreateUser' }))
    expect([res.status, codeOf(await res.text())]).toEqual([400, 'MalformedQueryString'])
    expect(h.upstream.count()).toBe(0)
  })

  it('but takes the call from the URL of a POST without a body, signed in its header or presigned as botocore presigns', async () => {
    const h = await harness()
    const call = 'Action=ListUsers&Version=2010-05-08&MaxItems=2'
    const header = await h.send(await signedPost('', { query: call }))
    expect([header.status, await header.text()]).toEqual([200, expect.stringContaining('</ListUsersResponse>')])
    const url = (await presignRequest({ method: 'POST', url: `${PROXY}/?${call}` }, { credentials: { accessKeyId: CALLER.id, secretAccessKey: CALLER.secret }, region: 'us-east-1', service: 'iam', expiresIn: 60 })).url
    const presigned = await h.send(new Request(url, { method: 'POST' }))
    expect([presigned.status, presigned.headers.get('x-cache')]).toEqual([200, 'HIT'])
    expect(h.upstream.calls.map((c) => c.body)).toEqual(['Action=ListUsers&Version=2010-05-08&MaxItems=2'])
    // a mutating action on the URL is refused like any other
    const denied = await h.send(await signedPost('', { query: 'Action=CreateUser&Version=2010-05-08&UserName=x' }))
    expect([denied.status, codeOf(await denied.text())]).toEqual([403, 'AccessDenied'])
    expect(h.upstream.count()).toBe(1)
  })

  it('a body over 256 KiB', async () => {
    const h = await harness()
    const res = await h.send(await signedPost(`Action=ListUsers&Version=2010-05-08&PathPrefix=${'a'.repeat(300 * 1024)}`))
    expect([res.status, codeOf(await res.text())]).toEqual([413, 'RequestEntityTooLarge'])
  })

  it('a body that is not a form', async () => {
    const h = await harness()
    const res = await h.send(await signedPost('{"Action":"ListUsers"}', { headers: { 'content-type': 'application/json' } }))
    expect([res.status, codeOf(await res.text())]).toEqual([400, 'UnsupportedMediaType'])
  })

  it('Action in the JSON facade query', async () => {
    const h = await harness()
    const res = await h.send(bearer('/iam/ListUsers?Action=CreateUser'))
    expect(res.status).toBe(400)
    expect(h.upstream.count()).toBe(0)
  })
})

describe('CORS', () => {
  it('answers a preflight from a configured origin', async () => {
    const h = await harness()
    const res = await h.send(new Request(`${PROXY}/iam/ListUsers`, { method: 'OPTIONS', headers: { origin: 'https://dash.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } }))
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://dash.example')
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization')
  })

  it('refuses a preflight from any other origin and adds no CORS headers to its answers', async () => {
    const h = await harness()
    const pre = await h.send(new Request(`${PROXY}/iam/ListUsers`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } }))
    expect(pre.status).toBe(403)
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
    const res = await h.send(new Request(`${PROXY}/iam/ListUsers`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` } }))
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const ok = await h.send(new Request(`${PROXY}/iam/ListUsers`, { headers: { origin: 'https://dash.example', authorization: `Bearer ${TOKEN}` } }))
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://dash.example')
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-cache')
  })
})

describe('parameter names, by the Query protocol’s flattening of the model', () => {
  const check = (action: string, pairs: Array<[string, string]>) => () => checkParams(iamOperations[action] as Operation, pairs)
  const simulate: Array<[string, string]> = [['PolicyInputList.member.1', '{}'], ['ActionNames.member.1', 's3:GetObject']]

  it.each([
    ['a list member', 'ActionNames.member.2'],
    ['the largest index', 'ActionNames.member.9999'],
    ['a structure in a list', 'ContextEntries.member.1.ContextKeyName'],
    ['a list in a structure in a list', 'ContextEntries.member.3.ContextKeyValues.member.12'],
  ])('accepts %s (%s)', (_, name) => {
    expect(check('SimulateCustomPolicy', [...simulate, [name, 'v']])).not.toThrow()
  })

  it.each([
    ['a list without its member name', 'ActionNames.1'],
    ['a list with another member name', 'ActionNames.anything.1'],
    ['index 0', 'ActionNames.member.0'],
    ['an index with a leading zero', 'ActionNames.member.01'],
    ['an index past 9999', 'ActionNames.member.10000'],
    ['a list member without an index', 'ActionNames.member'],
    ['more after a scalar', 'ActionNames.member.1.x'],
    ['a structure given a value of its own', 'ContextEntries.member.1'],
    ['a member the structure lacks', 'ContextEntries.member.1.Nope'],
    ['a member of a scalar', 'CallerArn.x'],
    ['an inherited property name', 'constructor'],
  ])('refuses %s (%s) as UnknownParameter', (_, name) => {
    expect(check('SimulateCustomPolicy', [...simulate, [name, 'v']])).toThrow(expect.objectContaining({ code: 'UnknownParameter' }))
  })
})

describe('reading a call, by its exact rules', () => {
  const url = (q: string) => new URL(`http://127.0.0.1:8787/${q}`)
  const form = (text: string) => new TextEncoder().encode(text)
  const refusal = (run: () => unknown) => {
    try {
      run()
    } catch (e) {
      return [(e as { code: string }).code, (e as Error).message]
    }
    return undefined
  }

  it('decodes + as a space, %XX as bytes, a part without = as an empty value, and skips empty parts', () => {
    const call = readCall('GET', url('?Action=GetUser&UserName=a+b%2Bc&&Flag&Path=%2F'), null, new Uint8Array(0))
    expect(call).toEqual({ action: 'GetUser', version: undefined, pairs: [['UserName', 'a b+c'], ['Flag', ''], ['Path', '/']] })
    expect(readCall('GET', url(''), null, new Uint8Array(0))).toEqual({ action: undefined, version: undefined, pairs: [] })
    expect(readCall('GET', url('?Action=ListUsers&all=1'), null, new Uint8Array(0), ['all']).pairs).toEqual([])
  })

  it('takes a form body of any charset parameter, decoding bad UTF-8 as replacement characters', () => {
    for (const type of ['application/x-www-form-urlencoded', 'Application/X-WWW-Form-Urlencoded ; charset=utf-8', 'application/x-www-form-urlencoded;charset=utf-8']) {
      expect(readCall('POST', url(''), type, form('Action=ListUsers&Version=2010-05-08')).action).toBe('ListUsers')
    }
    expect(readCall('POST', url(''), 'application/x-www-form-urlencoded', new Uint8Array([0x41, 0x3d, 0xff])).pairs).toEqual([['A', '\uFFFD']])
  })

  it.each<[string, string | null, string, [string, string]]>([
    ['a body of another type', 'text/plain', 'Action=ListUsers', ['UnsupportedMediaType', 'a POST body must be application/x-www-form-urlencoded, not "text/plain"']],
    ['a body without a type', null, 'Action=ListUsers', ['UnsupportedMediaType', 'a POST body must be application/x-www-form-urlencoded, not "none"']],
    ['a type that only starts like a form', 'application/x-www-form-urlencodedX', 'Action=ListUsers', ['UnsupportedMediaType', 'a POST body must be application/x-www-form-urlencoded, not "application/x-www-form-urlencodedX"']],
    ['a type that contains the form type', 'text/application/x-www-form-urlencoded', 'Action=ListUsers', ['UnsupportedMediaType', 'a POST body must be application/x-www-form-urlencoded, not "text/application/x-www-form-urlencoded"']],
    ['a repeated parameter', 'application/x-www-form-urlencoded', 'Action=ListUsers&MaxItems=1&MaxItems=2', ['MalformedQueryString', 'parameter MaxItems appears more than once']],
    ['action in lower case', 'application/x-www-form-urlencoded', 'action=ListUsers', ['MalformedQueryString', 'parameter action must be spelled Action']],
    ['VERSION in upper case', 'application/x-www-form-urlencoded', 'Action=ListUsers&VERSION=1', ['MalformedQueryString', 'parameter VERSION must be spelled Version']],
    ['a malformed escape', 'application/x-www-form-urlencoded', 'Action=ListUsers&UserName=%E2%82', ['MalformedQueryString', 'the form body holds a malformed percent-encoding']],
    ['a malformed escape in a name', 'application/x-www-form-urlencoded', 'Action=ListUsers&%ZZ=1', ['MalformedQueryString', 'the form body holds a malformed percent-encoding']],
  ])('refuses %s', (_, type, body, expected) => {
    expect(refusal(() => readCall('POST', url(''), type, form(body)))).toEqual(expected)
  })

  it('refuses parameters on the URL of a POST with a body, naming up to three, but not the signing ones', () => {
    expect(refusal(() => readCall('POST', url('?A=1&B=2&C=3&D=4'), 'application/x-www-form-urlencoded', form('Action=ListUsers')))).toEqual([
      'MalformedQueryString',
      'parameters of a POST belong in its form body, found A, B, C on the URL',
    ])
    expect(readCall('POST', url('?X-Amz-Algorithm=a&X-Amz-Credential=c&X-Amz-Date=d&X-Amz-SignedHeaders=h&X-Amz-Expires=1&X-Amz-Security-Token=t&X-Amz-Signature=s'), 'application/x-www-form-urlencoded', form('Action=ListUsers')).action).toBe('ListUsers')
    expect(refusal(() => readCall('GET', url('?Action=ListUsers&UserName=%'), null, new Uint8Array(0)))).toEqual(['MalformedQueryString', 'the query string holds a malformed percent-encoding'])
  })

  it('drops the signing parameters of a presigned GET, and answers the parameters sorted by name', () => {
    const call = readCall('GET', url('?Action=ListUsers&X-Amz-Signature=s&X-Amz-Credential=c&PathPrefix=%2F&MaxItems=5'), null, new Uint8Array(0))
    expect(call.pairs).toEqual([['PathPrefix', '/'], ['MaxItems', '5']])
    expect(checkParams(iamOperations.ListUsers as Operation, call.pairs)).toEqual([['MaxItems', '5'], ['PathPrefix', '/']])
    expect(checkParams(iamOperations.ListUsers as Operation, [['PathPrefix', 'b'], ['Marker', 'a'], ['MaxItems', '1']]).map(([k]) => k)).toEqual(['Marker', 'MaxItems', 'PathPrefix'])
  })

  it('names an unknown parameter, quoting at most 80 characters', () => {
    expect(refusal(() => checkParams(iamOperations.ListUsers as Operation, [['N'.repeat(100), '1']]))).toEqual(['UnknownParameter', `ListUsers has no parameter "${'N'.repeat(80)}"`])
  })
})

describe('names under maps and flattened lists (shapes IAM’s read-only inputs lack, held to the protocol)', () => {
  const scalar = { kind: 'string' } as const
  const op = {
    name: 'Probe',
    input: {
      kind: 'structure',
      members: {
        Tags: { kind: 'map', key: scalar, value: scalar },
        Flat: { kind: 'list', member: scalar, flattened: true },
        Items: { kind: 'list', member: scalar, memberName: 'item' },
        Nested: { kind: 'structure', members: { Leaf: scalar } },
      },
    },
  } as unknown as Operation
  const ok = (name: string) => () => checkParams(op, [[name, 'v']])

  // a list's bare name is its empty form (botocore sends an empty list as `Name=`)
  it.each(['Tags.entry.1.key', 'Tags.entry.9999.value', 'Flat', 'Flat.1', 'Flat.12', 'Items', 'Items.item.3', 'Nested.Leaf'])('accepts %s', (name) => {
    expect(ok(name)).not.toThrow()
  })

  it.each(['Tags', 'Tags.entry.1', 'Tags.entry.1.other', 'Tags.item.1.key', 'Tags.entry.0.key', 'Tags.entry.x.value', 'Tags.entry.1.key.x', 'Flat.0', 'Flat.member.1', 'Items.member.1', 'Items.item', 'Nested', 'Nested.Other'])(
    'refuses %s',
    (name) => {
      expect(ok(name)).toThrow(expect.objectContaining({ code: 'UnknownParameter' }))
    },
  )
})
