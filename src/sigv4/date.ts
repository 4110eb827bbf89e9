import { fail } from './canonical.js'

let lastSecond: number | undefined
let lastText = ''

/**
 * `20150830T123600Z`: the ISO 8601 basic format SigV4 uses in x-amz-date and X-Amz-Date, of a Date
 * or of milliseconds since the epoch (the signer reads `Date.now()`: no Date made per signature).
 */
export function toAmzDate(date: Date | number): string {
  const second = Math.floor(+date / 1000)
  // signing in a loop asks for the same second many times: format it once (NaN never equals)
  if (second !== lastSecond) {
    lastText = new Date(Number.isNaN(second) ? fail('date is an invalid Date') : second * 1000).toISOString().replace(/[-:]|\.\d+/g, '')
    lastSecond = second
  }
  return lastText
}

/** Parses `20150830T123600Z`; undefined when it is not exactly that form. */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(text)
  if (!m) return undefined
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
  return toAmzDate(date) === text ? date : undefined
}
