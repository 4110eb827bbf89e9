/** A request the proxy answers itself: status and AWS error code, before or instead of upstream. */
export class Refusal extends Error {
  override name = 'Refusal' as const
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}
