// AWS CLI naming: operations and members are PascalCase in the model and kebab-case on the
// command line (ListMFADevices → list-mfa-devices, OpenIDConnectProviderArn → open-id-connect-provider-arn).
// Acronyms stay together; a trailing plural acronym (…ARNs) keeps its `s`.

export function kebab(name: string): string {
  let base = name
  let tail = ''
  const plural = /[A-Z]{2,}s$/.exec(name)
  if (plural) {
    base = name.slice(0, -plural[0].length)
    tail = `-${plural[0].toLowerCase()}`
  }
  const words = base
    // a capital starting a lowercase run begins a word: "MFADevices" → "MFA-Devices"
    .replace(/(.)([A-Z][a-z]+)/g, '$1-$2')
    // a lowercase letter or digit before a capital ends a word: "ListMFA" → "List-MFA"
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
  return base === '' ? tail.slice(1) : words + tail
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length] as number
}

/** Up to three known names close to `wanted`: by edit distance, or containing it. */
export function suggest(wanted: string, known: readonly string[]): string[] {
  const scored = known
    // close spellings first; a name that merely contains what was typed comes after them
    .map((name) => ({ name, d: Math.min(distance(wanted, name), name.includes(wanted) && wanted.length >= 3 ? 2.5 : Number.POSITIVE_INFINITY) }))
    .filter(({ name, d }) => d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
  return scored.slice(0, 3).map(({ name }) => name)
}
