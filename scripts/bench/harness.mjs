// Tiny benchmark harness: runs an async operation sequentially or with N in flight for a fixed
// time after a warm-up, and reports operations per second. Figures only; nothing here passes or fails.

export async function measure(fn, { seconds = 2, inFlight = 1, warmup = 0.5 } = {}) {
  await runFor(fn, warmup, inFlight)
  const start = performance.now()
  const count = await runFor(fn, seconds, inFlight)
  return count / ((performance.now() - start) / 1000)
}

async function runFor(fn, seconds, inFlight) {
  const until = performance.now() + seconds * 1000
  let count = 0
  const lane = async () => {
    while (performance.now() < until) {
      // batches keep the clock read off the hot path
      for (let i = 0; i < 64; i++) await fn()
      count += 64
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  return count
}

export function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join('\n')
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US')
