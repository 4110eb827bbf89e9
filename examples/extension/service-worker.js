// The extension's service worker: signs Query-API calls to the iam-edge proxy with a key pair the
// proxy issued (kept in chrome.storage.local), never with AWS keys. `lib/iam-edge.js` is the
// library's browser bundle: `npm run build:extension` writes it (it is not committed).
import { IamClient, ListUsers, paginate } from './lib/iam-edge.js'

/** Every IAM user, following pages, through the proxy at `proxyUrl`. */
async function listUsers(proxyUrl, credentials) {
  const client = new IamClient({ endpoint: proxyUrl, credentials, allowHttp: true })
  const names = []
  for await (const page of paginate(client, ListUsers, {})) names.push(...page.Users.map((u) => u.UserName))
  return names
}

self.iamEdge = { listUsers }

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== 'list-users') return false
  chrome.storage.local.get(['proxyUrl', 'accessKeyId', 'secretAccessKey']).then(async (s) => {
    try {
      reply({ users: await listUsers(s.proxyUrl, { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }) })
    } catch (error) {
      reply({ error: `${error.name}: ${error.message}` })
    }
  })
  return true
})
