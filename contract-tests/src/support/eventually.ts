import { setTimeout as sleep } from 'node:timers/promises'

const DEFAULT_TIMEOUT_MS = 5000
const PROBE_INTERVAL_MS = 10

/** Probes until it returns something other than undefined/false; throws naming `what` after the timeout. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = DEFAULT_TIMEOUT_MS
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(PROBE_INTERVAL_MS)
  }
}
