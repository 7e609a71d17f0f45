// The errors the Botpress API answers with: a status code and Botpress's error body (id, code, type, message), which
// @botpress/client turns into the same ApiError classes (`isApiError(e) && e.code === 404`) as against the Cloud.

const HTTP_BAD_REQUEST = 400
const HTTP_NOT_FOUND = 404
const HTTP_INTERNAL = 500

export class ApiError extends Error {
  public constructor(
    public readonly code: number,
    public readonly type: string,
    message: string
  ) {
    super(message)
  }

  /** The body the API answers with; `id` names the emulator so a log line tells it from the Cloud's. */
  public toBody(): { id: string; code: number; type: string; message: string } {
    return { id: 'err_emulator', code: this.code, type: this.type, message: this.message }
  }
}

export const notFound = (what: string): ApiError =>
  new ApiError(HTTP_NOT_FOUND, 'ResourceNotFound', `${what} does not exist`)

export const invalidInput = (message: string): ApiError => new ApiError(HTTP_BAD_REQUEST, 'InvalidPayload', message)

export const internalError = (message: string): ApiError => new ApiError(HTTP_INTERNAL, 'Internal', message)
