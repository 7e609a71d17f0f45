// Outbound URL checks: the hop server only ever calls Live Agent endpoints and webhook URLs whose host is on an
// allowlist, over https, without credentials in the URL. This is what keeps a signed but malicious create-chat
// request from turning the hop server into a proxy to internal addresses (server-side request forgery).
import { isIP } from 'node:net'

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

/** Parses `*.salesforceliveagent.com,webhook.botpress.cloud` into normalized patterns; throws on a bad entry. */
export function parseHostPatterns(value: string): string[] {
  const patterns = value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
  for (const pattern of patterns) {
    const host = pattern.startsWith('*.') ? pattern.slice(2) : pattern
    const labels = host.split('.')
    if (labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) {
      throw new Error(`"${pattern}" is not a host name or a *.domain pattern`)
    }
  }
  return patterns
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return LOOPBACK_NAMES.has(host) || /^127(\.\d{1,3}){3}$/.test(host)
}

export function hostMatches(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return patterns.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern
  )
}

export interface UrlPolicy {
  allowlist: readonly string[]
  /** Loopback hosts over plain http (the playground, tests). */
  allowLoopback: boolean
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
  const loopback = isLoopbackHost(url.hostname)
  if (loopback) {
    return policy.allowLoopback ? undefined : `host ${url.hostname} is a loopback address, which is not allowed here`
  }
  if (url.protocol !== 'https:') return 'must be an https URL'
  const bareHost = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(bareHost)) return `host ${url.hostname} is an IP address; only allowlisted host names are called`
  if (!hostMatches(url.hostname, policy.allowlist)) {
    return `host ${url.hostname} is not on the allowlist (${policy.allowlist.join(', ') || 'empty'})`
  }
  return undefined
}
