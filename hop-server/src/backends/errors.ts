// Errors that cross the backend seam (chat-backend.ts).
import type { BackendName } from './chat-backend.js'

/** A stored cursor the backend cannot resume (another backend's, another version, damaged). Retrying cannot help. */
export class BackendCursorError extends Error {
  override readonly name = 'BackendCursorError'

  constructor(
    readonly backend: BackendName | undefined,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}
