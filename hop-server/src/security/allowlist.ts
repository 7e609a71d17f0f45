// Outbound URL checks: the hop server only ever calls Live Agent endpoints and webhook URLs whose host is on an
// allowlist, over https on the default port (or a port the allowlist entry names), without credentials in the URL.
// Plain http is allowed only to the loopback `host:port` targets an operator lists (the playground, tests), never
// to the hop server's own port. This is what keeps a signed but malicious create-chat request from turning the hop
// server into a proxy to internal addresses (server-side request forgery).
import { isIP } from 'node:net'

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const PORT = /^\d{1,5}$/
const MAX_PORT = 65535
const DEFAULT_PORTS: Record<string, number> = { 'https:': 443, 'http:': 80 }
/** The spellings of loopback a target may name; any other spelling of the same address stays refused. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/

function parsePort(text: string, entry: string): number {
  const port = Number(text)
  if (!PORT.test(text) || port < 1 || port > MAX_PORT) throw new Error(`"${entry}" names an invalid port`)
  return port
}

interface HostPort {
  readonly host: string
  readonly port?: string
}

/** Allowlist and loopback entries as split once: they come from the configuration, so a few distinct strings. */
const splitEntries = new Map<string, HostPort>()
/** A bound, not a working size: past it the cache starts over. */
const MAX_SPLIT_ENTRIES = 1000

/**
 * Splits `host` or `host:port` (the port of an IPv6 literal comes after its bracket). Every URL check walks the
 * whole allowlist, so each entry is split once and the result kept (frozen: callers share it).
 */
function splitHostPort(entry: string): HostPort {
  let split = splitEntries.get(entry)
  if (split) return split
  const separator = entry.lastIndexOf(':')
  split = Object.freeze(
    separator < 0 || entry.endsWith(']')
      ? { host: entry }
      : { host: entry.slice(0, separator), port: entry.slice(separator + 1) }
  )
  if (splitEntries.size >= MAX_SPLIT_ENTRIES) splitEntries.clear()
  splitEntries.set(entry, split)
  return split
}

/**
 * Parses `*.salesforceliveagent.com,webhook.botpress.cloud,proxy.example.com:8443` into normalized patterns; an
 * entry without a port allows the scheme's default port only. Throws on a bad entry.
 */
export function parseHostPatterns(value: string): string[] {
  const patterns = value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
  for (const pattern of patterns) {
    const { host: hostPattern, port } = splitHostPort(pattern)
    if (port !== undefined) parsePort(port, pattern)
    const host = hostPattern.startsWith('*.') ? hostPattern.slice(2) : hostPattern
    const labels = host.split('.')
    if (labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) {
      throw new Error(`"${pattern}" is not a host name, a *.domain pattern or either with :port`)
    }
  }
  return patterns
}

/**
 * Parses `127.0.0.1:3001,localhost:3002` (or a port range `127.0.0.1:32768-60999`, for test harnesses whose servers
 * take ports from the OS) into normalized loopback targets. Throws on anything that is not a loopback host with ports.
 */
export function parseLoopbackTargets(value: string): string[] {
  const targets = value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
  for (const target of targets) {
    const { host, port } = splitHostPort(target)
    if (!LOOPBACK_HOST.test(host)) {
      throw new Error(`"${target}" is not a loopback host:port (localhost, 127.x.x.x or [::1], then :port)`)
    }
    if (port === undefined) throw new Error(`"${target}" names no port (expected host:port)`)
    const [low, high] = port.split('-')
    const first = parsePort(low ?? '', target)
    if (high !== undefined && parsePort(high, target) < first) throw new Error(`"${target}" has an empty port range`)
  }
  return targets
}

export function hostMatches(hostname: string, patterns: readonly string[], port = ''): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return patterns.some((entry) => {
    const { host: pattern, port: patternPort } = splitHostPort(entry)
    if ((patternPort ?? '') !== port) return false
    return pattern.startsWith('*.')
      ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
      : host === pattern
  })
}

function targetAdmits(target: string, host: string, port: number): boolean {
  const { host: targetHost, port: ports = '' } = splitHostPort(target)
  if (targetHost !== host) return false
  const [low, high] = ports.split('-').map(Number)
  return high === undefined ? port === low : port >= low! && port <= high
}

export interface UrlPolicy {
  allowlist: readonly string[]
  /** Loopback `host:port` targets callable over http (the playground, tests); empty in production. */
  loopbackTargets: readonly string[]
  /** The hop server's own port: never a target, whatever the loopback list says. */
  ownPort?: number
}

/** Returns why `raw` may not be called, or undefined when it may. */
export function urlProblem(raw: string, policy: UrlPolicy): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'is not a valid URL'
  }
  if (url.username || url.password) return 'must not carry credentials'
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL'
  const host = url.hostname.toLowerCase()
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol]! : Number(url.port)
  if (LOOPBACK_HOST.test(host) || host === 'localhost.') {
    if (port === policy.ownPort) return `${url.host} is the hop server itself, which is never a target`
    if (policy.loopbackTargets.some((target) => targetAdmits(target, host, port))) return undefined
    return `host ${url.host} is a loopback address not listed in HOP_LOOPBACK_TARGETS`
  }
  if (url.protocol !== 'https:') return 'must be an https URL'
  const bareHost = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(bareHost)) return `host ${url.hostname} is an IP address; only allowlisted host names are called`
  if (!hostMatches(url.hostname, policy.allowlist, url.port)) {
    if (url.port !== '' && hostMatches(url.hostname, policy.allowlist)) {
      return `port ${url.port} of ${url.hostname} is not allowed (only the default port, unless the allowlist entry names ${url.hostname}:${url.port})`
    }
    return `host ${url.hostname} is not on the allowlist (${policy.allowlist.join(', ') || 'empty'})`
  }
  return undefined
}
