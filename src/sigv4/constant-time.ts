/**
 * Compares two strings in time that depends only on their lengths, so a caller cannot learn a
 * correct signature byte by byte from response times.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  // Stryker disable next-line MethodExpression: equivalent: a length difference is already in diff; max only keeps the time independent of content
  const length = Math.max(a.length, b.length)
  let diff = a.length ^ b.length
  // Stryker disable next-line EqualityOperator: equivalent: one step past both ends compares 0 with 0
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}
