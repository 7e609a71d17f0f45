/** A chasitor request the simulated Salesforce refuses: sent back as plain text with this status. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly body: string
  ) {
    super(body)
    this.name = 'ProtocolError'
  }
}

/** An admin action that cannot apply (unknown chat, wrong state, bad input): sent back as JSON {error}. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'AdminError'
  }
}
