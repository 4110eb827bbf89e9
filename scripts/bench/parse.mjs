#!/usr/bin/env node
// npm run bench:parse — reading a 1,000-user ListUsers answer: iam-edge's parser, the whole
// iam-edge client path (sign, fetch stub, parse) and @aws-sdk/client-iam (stub request handler),
// same process, sequential. Figures only.
import { Readable } from 'node:stream'
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam'
import { HttpResponse } from '@smithy/core/transport'
import { IamClient, ListUsers } from '../../dist/iam/index.js'
import { parseOutput } from '../../dist/index.js'
import { compare, fmt, table } from './harness.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const users = Array.from(
  { length: 1000 },
  (_, i) =>
    `<member><Path>/division/team-${i % 17}/</Path><UserName>user-${i}</UserName><UserId>AIDA${String(i).padStart(16, '0')}</UserId><Arn>arn:aws:iam::123456789012:user/division/team-${i % 17}/user-${i}</Arn><CreateDate>2024-0${(i % 9) + 1}-1${i % 10}T12:34:56.${String(i).padStart(6, '0')}Z</CreateDate><PasswordLastUsed>2026-11-2${i % 10}T08:00:00Z</PasswordLastUsed><Tags><member><Key>team</Key><Value>team-${i % 17}</Value></member><member><Key>cost-center</Key><Value>${1000 + i}</Value></member></Tags></member>`,
).join('')
const xml = `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><IsTruncated>false</IsTruncated><Users>${users}</Users></ListUsersResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></ListUsersResponse>`
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const bytes = new TextEncoder().encode(xml)

const edge = new IamClient({ credentials, endpoint: 'http://127.0.0.1:1', fetch: async () => new Response(bytes, { headers: { 'content-type': 'text/xml' } }) })
const sdk = new IAMClient({
  region: 'us-east-1',
  credentials,
  requestHandler: { handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([bytes]) }) }) },
})

const contenders = {
  'iam-edge parseOutput': async () => parseOutput(ListUsers, xml),
  'iam-edge IamClient.send (sign + parse)': () => edge.send(ListUsers, {}),
  '@aws-sdk/client-iam send (sign + parse)': () => sdk.send(new ListUsersCommand({})),
}
for (const [name, fn] of Object.entries(contenders)) {
  const out = await fn()
  if (out.Users.length !== 1000 || !(out.Users[999].CreateDate instanceof Date)) throw new Error(`${name} did not read 1,000 users`)
}
const sdkName = '@aws-sdk/client-iam send (sign + parse)'
const { rates, ratios } = await compare(contenders, sdkName, { seconds: seconds * 2, warmup: 1 })
console.log(`Node ${process.version}: ListUsers with 1,000 users (${fmt(xml.length)} bytes), ${seconds * 2} s per contender in 5 interleaved rounds; medians\n`)
console.log(table(Object.keys(contenders).map((name) => ({ reader: name, 'parses /s': fmt(rates[name]), '÷ SDK': ratios[name].toFixed(2) })), ['reader', 'parses /s', '÷ SDK']))
