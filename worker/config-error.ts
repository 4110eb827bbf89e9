/** A missing or malformed setting: the Worker answers 500 naming it and lets nothing through. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const
  readonly setting: string

  constructor(setting: string, problem: string) {
    super(`${setting}: ${problem}`)
    this.setting = setting
  }
}
