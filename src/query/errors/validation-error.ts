import { IamEdgeError } from './base.js'

/** Input refused before any request: a required member is missing or a value breaks the model's constraints. */
export class ValidationError extends IamEdgeError {
  override name = 'ValidationError' as const
  /** dotted path of the offending member, e.g. `Tags.1.Key` */
  readonly member: string

  constructor(member: string, problem: string) {
    super(`${member}: ${problem}`)
    this.member = member
  }
}
