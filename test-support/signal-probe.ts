// The signal probe (signal-probe-preload.mjs) as tests use it: the Node arguments that load it, and its report read back.
import { fileURLToPath } from 'node:url'

/** Node arguments that load the probe; the child's environment names the readiness text in SIGNAL_PROBE_MARKER. */
export const SIGNAL_PROBE_NODE_ARGS = [
  '--import',
  fileURLToPath(new URL('./signal-probe-preload.mjs', import.meta.url)),
]
export const SIGNAL_PROBE_MARKER_VARIABLE = 'SIGNAL_PROBE_MARKER'

export interface SignalListeners {
  SIGINT: number
  SIGTERM: number
}

/** The listener counts at the first readiness announcement the probe saw in `stderr`, or undefined if none yet. */
export function listenersAtReadiness(stderr: string): SignalListeners | undefined {
  const match = /^signal-probe SIGINT=(\d+) SIGTERM=(\d+)$/m.exec(stderr)
  return match ? { SIGINT: Number(match[1]), SIGTERM: Number(match[2]) } : undefined
}
