// Loopback targets for test harnesses whose mock servers and receivers take their ports from the OS (port 0): the
// OS hands those out from its ephemeral range, so the harness names that range on 127.0.0.1, one spelling only.
// The hop server never calls its own port even when the range covers it. Production lists exact host:port pairs.
import { readFileSync } from 'node:fs'

/** Linux's file; other systems fall back to the IANA dynamic range. */
const LINUX_PORT_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range'
const IANA_DYNAMIC_PORTS = [49152, 65535] as const

export function ephemeralPortRange(): readonly [number, number] {
  try {
    const [low, high] = readFileSync(LINUX_PORT_RANGE_FILE, 'utf8').trim().split(/\s+/).map(Number)
    if (low && high && low <= high) return [low, high]
  } catch {
    // not Linux: fall through
  }
  return IANA_DYNAMIC_PORTS
}

/** `['127.0.0.1:<low>-<high>']`, for `security.loopbackTargets` (or joined, for HOP_LOOPBACK_TARGETS). */
export function ephemeralLoopbackTargets(): string[] {
  const [low, high] = ephemeralPortRange()
  return [`127.0.0.1:${low}-${high}`]
}

/** The exact `host:port` target of each URL, for harnesses that know their servers before the hop server starts. */
export function loopbackTargetsOf(...urls: string[]): string[] {
  return urls.map((url) => {
    const parsed = new URL(url)
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`
  })
}
