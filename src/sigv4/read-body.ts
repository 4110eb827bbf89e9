/** Reads a request body (from a clone: the caller keeps its own) up to `limit` bytes; `undefined` when longer. */
export async function readBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = req.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) return undefined
  if (req.body === null) return new Uint8Array(0)
  return readCapped(req.clone().body, limit)
}

/** Reads a stream to its end, up to `limit` bytes; `undefined` (and the rest cancelled) when longer. */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!stream) return new Uint8Array(0)
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      // a tee branch's cancel settles only once the other branch is cancelled too: do not wait
      reader.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
