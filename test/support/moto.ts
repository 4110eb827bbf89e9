// A real moto server for integration tests: started once per test file, seeded through moto's
// unauthenticated bootstrap window, with signature checking on from the first test call.
// The spawning and seeding live in scripts/moto/ (plain JS) so `npm start` and the proxy's
// end-to-end tests use the very same estate.
import { spawnSync } from 'node:child_process'
import { MOTO_INSTALL_HINT, type RunningMoto, startMoto as spawnMoto } from '../../scripts/moto/start.mjs'
import { SEED_CALL_COUNT, type SeededAccount, seedAccount } from '../../scripts/moto/seed.mjs'

export { MOTO_INSTALL_HINT, SEED_CALL_COUNT, seedAccount, type RunningMoto, type SeededAccount }

export interface MotoAccount {
  moto: RunningMoto
  account: SeededAccount
}

/** Whether `moto_server` can be run here; checked without starting a server. */
export function motoAvailable(command = process.env.MOTO_SERVER ?? 'moto_server'): boolean {
  const probe = spawnSync(command, ['--help'], { stdio: 'ignore', timeout: 20_000 })
  return probe.error === undefined && probe.status === 0
}

/**
 * How integration tests treat a missing moto: under CI it is a failure, elsewhere the tests skip
 * and say how to install it.
 */
export function motoRequirement(): { available: true } | { available: false; message: string; mustFail: boolean } {
  if (motoAvailable()) return { available: true }
  const mustFail = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'
  const message = `moto_server is not installed: integration tests against moto ${mustFail ? 'cannot run under CI' : 'are skipped'}; install it with ${MOTO_INSTALL_HINT}`
  return { available: false, message, mustFail }
}

/** Starts moto with auth switched on right after seeding, and seeds it. */
export async function startMoto(): Promise<MotoAccount> {
  const moto = await spawnMoto({ noAuthActionCount: SEED_CALL_COUNT })
  try {
    const account = await seedAccount(moto.endpoint)
    return { moto, account }
  } catch (error) {
    await moto.stop()
    throw error
  }
}

/**
 * At the top of an integration test file: without moto, one test that fails under CI or one
 * skipped test that says how to install it. Answers whether moto is there.
 */
export function requireMoto(it: { (name: string, fn: () => void): unknown; skip: (name: string, fn: () => void) => unknown }): boolean {
  const moto = motoRequirement()
  if (moto.available) return true
  if (moto.mustFail) {
    it('needs moto_server under CI', () => {
      throw new Error(moto.message)
    })
  } else {
    console.warn(moto.message)
    it.skip(moto.message, () => undefined)
  }
  return false
}
