/** A setting that cannot work, with the variable that holds it; the bin prints the message and exits with code 2. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string
  ) {
    super(`${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}
