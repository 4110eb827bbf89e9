// --debug: each request and answer on stderr, as the AWS CLI's --debug shows them, with every
// secret masked — the signature, session tokens, passwords, private keys, web identity tokens and
// SAML assertions going out, secret keys, session tokens and passwords coming back.

const MASK = '****'
const SECRET_PARAMS = /^(?:Password|OldPassword|NewPassword|PrivateKey|WebIdentityToken|SAMLAssertion|AuthenticationCode[12]|TokenCode)$/
const SECRET_ELEMENTS = /<(SecretAccessKey|SessionToken|Password|ServicePassword|PrivateKey)>[^<]*<\/\1>/g

function maskHeader(name: string, value: string): string {
  if (name === 'authorization') return value.replace(/Signature=[0-9a-f]+/, `Signature=${MASK}`)
  return name === 'x-amz-security-token' ? MASK : value
}

function maskForm(body: string): string {
  const params = new URLSearchParams(body)
  for (const [key] of params) if (SECRET_PARAMS.test(key)) params.set(key, MASK)
  return params.toString()
}

// read without consuming: the client sends form text; any other body is only named
function bodyText(body: BodyInit | null | undefined): string {
  if (body === null || body === undefined) return ''
  return typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : '(body not shown)'
}

/** A fetch that writes what it sends and receives to `log`, secrets masked. */
export function debugFetch(inner: typeof fetch, log: (line: string) => void): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const sent = bodyText(init?.body)
    const headers = [...request.headers].map(([k, v]) => `${k}: ${maskHeader(k, v)}`).join(', ')
    log(`request: ${request.method} ${request.url} {${headers}} ${maskForm(sent)}`)
    const started = Date.now()
    const response = await inner(input, init)
    const text = await response.clone().text()
    log(`response: HTTP ${response.status} in ${Date.now() - started} ms, request id ${response.headers.get('x-amzn-requestid') ?? 'none'}: ${text.replace(SECRET_ELEMENTS, `<$1>${MASK}</$1>`)}`)
    return response
  }
}
