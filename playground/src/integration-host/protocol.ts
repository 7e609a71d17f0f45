// What the integration host process tells its parent over the IPC channel, and the environment it reads.

export type HostMessage =
  { type: 'listening'; port: number } | { type: 'error'; code: string | undefined; message: string }

/** Port the integration listens on (0: any free port; the host reports the one it got). */
export const PORT_VARIABLE = 'PLAYGROUND_INTEGRATION_PORT'

export const isHostMessage = (value: unknown): value is HostMessage =>
  typeof value === 'object' &&
  value !== null &&
  ((value as HostMessage).type === 'listening' || (value as HostMessage).type === 'error')
