import { IamEdgeError } from './base.js'

/** The service handed back a marker it had already given: following it would loop forever. */
export class PaginationError extends IamEdgeError {
  override name = 'PaginationError' as const
  readonly operation: string
  readonly marker: string
  readonly page: number

  constructor(operation: string, marker: string, page: number) {
    super(`${operation}: page ${page} returned marker ${JSON.stringify(marker)} again; stopping instead of looping`)
    this.operation = operation
    this.marker = marker
    this.page = page
  }
}
