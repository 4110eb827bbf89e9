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

/**
 * Runs every contender for `seconds` in total, split into `rounds` interleaved rounds, and gives
 * each one's median rate and its median ratio to `reference` in the same round: noise on a shared
 * machine moves the contenders of one round alike, and a single run can be off by half.
 */
export async function compare(contenders, reference, { seconds = 2, rounds = 5, inFlight = 1, warmup = 0.5 } = {}) {
  const names = Object.keys(contenders)
  for (const name of names) await runFor(contenders[name], warmup, inFlight)
  const rates = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const name of names) rates[name].push(await measure(contenders[name], { seconds: seconds / rounds, inFlight, warmup: 0 }))
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
  // perRound: every round's rate, for ratios to another contender (medianRatio)
  const out = { rates: {}, ratios: {}, perRound: rates }
  for (const name of names) {
    out.rates[name] = median(rates[name])
    out.ratios[name] = median(rates[name].map((rate, round) => rate / rates[reference][round]))
  }
  return out
}

/** The median over rounds of `a`'s rate ÷ `b`'s in the same round (`perRound` from compare). */
export function medianRatio(perRound, a, b) {
  const ratios = perRound[a].map((rate, round) => rate / perRound[b][round]).sort((x, y) => x - y)
  return ratios[Math.floor(ratios.length / 2)]
}

export function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join('\n')
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US')
