// Errors the CLI turns into one sentence and exit code 2: the user can fix them with a flag.

export class PlaygroundUsageError extends Error {}

export class PortInUseError extends PlaygroundUsageError {
  public constructor(
    public readonly component: string,
    public readonly port: number,
    public readonly flag: string
  ) {
    super(`Port ${port} (${component}) is already in use; stop what uses it or pick another port with ${flag}.`)
  }
}

export const isAddressInUse = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE'
