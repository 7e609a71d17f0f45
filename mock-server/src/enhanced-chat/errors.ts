/** An Enhanced Chat request the simulated Salesforce refuses: sent back as JSON with this status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The body as Salesforce sends it; `{message}` unless a route knows better (the SSE 401 is Spring-style). */
    readonly body: Record<string, unknown> = { message }
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message)
export const notFound = (message: string): ApiError => new ApiError(404, message)
