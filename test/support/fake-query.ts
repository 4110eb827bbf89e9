// A hand-written stand-in service for unit tests of the client core: two operations, a protocol
// that carries outputs as JSON inside the Query envelope, and a scripted fetch for fault injection.
import { QueryClient, type ServiceBinding } from '../../src/query/client.js'
import type { QueryClientConfig } from '../../src/query/config.js'
import { AwsQueryError } from '../../src/query/errors.js'
import { XmlParseError } from '../../src/query/errors.js'
import type { QueryProtocol } from '../../src/query/protocol.js'
import type { Operation, ServiceInfo } from '../../src/query/shapes.js'

export const fakeIam: ServiceInfo = { id: 'iam', version: '2010-05-08', xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' }
export const fakeSts: ServiceInfo = { id: 'sts', version: '2011-06-15', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' }

export interface ListThingsInput {
  PathPrefix?: string
  Marker?: string
  MaxItems?: number
}
export interface ListThingsOutput {
  Things: string[]
  IsTruncated?: boolean
  Marker?: string
}

const str = { kind: 'string' } as const

export const ListThings: Operation<ListThingsInput, ListThingsOutput> = {
  service: fakeIam,
  name: 'ListThings',
  input: { kind: 'structure', members: { PathPrefix: str, Marker: str, MaxItems: { kind: 'integer' } } },
  output: { kind: 'structure', members: { Things: { kind: 'list', member: str }, IsTruncated: { kind: 'boolean' }, Marker: str } },
  resultWrapper: 'ListThingsResult',
  errors: [],
  readOnly: true,
  paginator: { inputToken: 'Marker', outputToken: 'Marker', moreResults: 'IsTruncated', limitKey: 'MaxItems', resultKey: 'Things' },
  docs: 'https://example.invalid/ListThings',
}

export const CreateThing: Operation<{ Name: string; Note?: string }, { Name: string }> = {
  service: fakeIam,
  name: 'CreateThing',
  input: { kind: 'structure', members: { Name: str, Note: str }, required: ['Name'] },
  output: { kind: 'structure', members: { Name: str } },
  resultWrapper: 'CreateThingResult',
  errors: [],
  readOnly: false,
  docs: 'https://example.invalid/CreateThing',
}

export const WhoAmI: Operation<object, { Account: string }> = {
  service: fakeSts,
  name: 'WhoAmI',
  input: { kind: 'structure', members: {} },
  errors: [],
  readOnly: true,
  docs: 'https://example.invalid/WhoAmI',
}

const tagText = (xml: string, name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]

export const fakeProtocol: QueryProtocol = {
  serialize(op, input) {
    const params = new URLSearchParams({ Action: op.name, Version: op.service.version })
    for (const [name, value] of Object.entries(input)) params.set(name, String(value))
    return params
  },
  parseOutput(op, body) {
    const match = new RegExp(`^<${op.name}Response><${op.name}Result>(.*)</${op.name}Result>`, 's').exec(body)
    if (match?.[1] === undefined) throw new XmlParseError(`not a ${op.name}Response`)
    return JSON.parse(match[1]) as never
  },
  parseError(body) {
    if (!body.startsWith('<ErrorResponse')) return undefined
    const code = tagText(body, 'Code')
    if (code === undefined) return undefined
    const requestId = tagText(body, 'RequestId')
    return { code, message: tagText(body, 'Message') ?? '', type: 'Sender', ...(requestId === undefined ? {} : { requestId }) }
  },
}

export class FakeServiceError extends AwsQueryError {
  // the name-based guards (isAwsQueryError) recognise service errors by these names
  override name = 'IamError'
}

export const fakeBinding: ServiceBinding = {
  id: 'iam',
  protocol: fakeProtocol,
  createError: (fields) => new FakeServiceError(fields),
}

export const okBody = (op: string, output: object, requestId = 'req-ok'): string =>
  `<${op}Response><${op}Result>${JSON.stringify(output)}</${op}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`

export const errorBody = (code: string, message = 'm', requestId = 'req-err'): string =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`

export interface Recorded {
  url: string
  method: string
  headers: Headers
  body: string | null
}

type Step = Response | Error | ((req: Recorded, signal: AbortSignal | undefined) => Promise<Response> | Response)

/** A fetch that answers from a script, one step per call, and records each request. */
export function scriptedFetch(steps: Step[]): typeof fetch & { calls: Recorded[] } {
  const calls: Recorded[] = []
  const impl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const rec: Recorded = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
    }
    calls.push(rec)
    const step = steps.shift()
    if (step === undefined) throw new Error(`scriptedFetch: unexpected call #${calls.length}`)
    if (step instanceof Error) throw step
    if (step instanceof Response) return step
    return step(rec, init?.signal ?? undefined)
  }
  return Object.assign(impl, { calls })
}

export const xml = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { 'content-type': 'text/xml', ...headers } })

export const testCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }

/** A client on the fake service that never really sleeps; `sleeps` records the backoff asked for. */
export function fakeClient(
  fetchImpl: typeof fetch,
  config: Partial<QueryClientConfig> = {},
): { client: QueryClient; sleeps: number[] } {
  const sleeps: number[] = []
  const client = new QueryClient(fakeBinding, {
    credentials: testCredentials,
    endpoint: 'https://iam.example.test',
    fetch: fetchImpl,
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve()
    },
    ...config,
  })
  return { client, sleeps }
}
