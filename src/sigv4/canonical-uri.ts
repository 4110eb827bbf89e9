import { canonicalComponent, uriEscapePath } from './encoding.js'

/**
 * The canonical URI. With `normalize`, RFC 3986 §5.2.4 remove_dot_segments runs and empty segments
 * (`//`) collapse, as AWS services other than S3 expect. The path, as written, is then
 * percent-encoded once more: services other than S3 sign the already-encoded path encoded again.
 * With `single` (S3) it is encoded once: each segment's `%XX` escapes kept as the bytes they name,
 * everything else not unreserved percent-encoded, so `/my%20file.txt` and `/my file.txt` both
 * sign as `/my%20file.txt`.
 */
export function canonicalUri(path: string, normalize: boolean, single = false): string {
  const p = normalize ? normalizePath(path) : path
  return single ? p.split('/').map(canonicalComponent).join('/') : uriEscapePath(p)
}

function normalizePath(path: string): string {
  const segments = path.split('/')
  const out: string[] = []
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') out.pop()
    else out.push(segment)
  }
  const last = segments[segments.length - 1]
  // a path ending in '/', '/.' or '/..' names a directory: keep the trailing slash
  const trailing = out.length > 0 && (last === '' || last === '.' || last === '..')
  return `/${out.join('/')}${trailing ? '/' : ''}`
}
