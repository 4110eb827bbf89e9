/** What the Worker takes from its surroundings; tests swap `fetch` for a fault-injecting upstream. */
export interface Deps {
  fetch: typeof fetch
  now: () => number
}
