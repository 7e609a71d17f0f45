// The Salesforce target of the configured backend, checked: each backend's own fields must be there and well formed.
// The SCRT2 host patterns, the host matching rule and the org id conversion are the hop server's own (one owner each);
// the bundle takes those three small, dependency-free modules from it.
import { SCRT2_HOST_PATTERNS } from '../../hop-server/src/backends/enhanced-chat/constants.js'
import { EnhancedChatInputError } from '../../hop-server/src/backends/enhanced-chat/errors.js'
import { toOrgId15 } from '../../hop-server/src/backends/enhanced-chat/org-id.js'
import { hostMatches } from '../../hop-server/src/security/allowlist.js'
import type { Configuration } from './definitions/configuration.js'
import type { EnhancedChatTarget, LiveAgentTarget } from './hop-contract.js'

/** A configuration mistake: `field` is the configuration field, `message` a sentence the bot builder reads. */
export type FieldProblem = { field: string; message: string }

export type CheckedTarget =
  | { backend: 'live-agent'; liveAgent: LiveAgentTarget }
  | { backend: 'enhanced-chat'; enhancedChat: Omit<EnhancedChatTarget, 'routingAttributes'> }

/**
 * Salesforce's rule for API names (Setup refuses anything else): a letter first, then letters, digits and single
 * underscores, no underscore last, at most 80 characters.
 */
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$/
const API_NAME_MAX_LENGTH = 80
/** The simulator and tests run on loopback; the hop server still decides, by its own list, whether it calls them. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/

export const checkedTarget = (
  config: Configuration,
  buttonId?: string
): CheckedTarget | { problems: FieldProblem[] } =>
  config.backend === 'enhanced-chat' ? enhancedChatTarget(config) : liveAgentTarget(config, buttonId)

const missing = (field: string, title: string, backend: string): FieldProblem => ({
  field,
  message: `${title} is required when the chat product is ${backend}`,
})

const liveAgentTarget = (config: Configuration, buttonId?: string): CheckedTarget | { problems: FieldProblem[] } => {
  const problems: FieldProblem[] = []
  const { liveAgentEndpoint, deploymentId } = config
  const button = buttonId ?? config.buttonId
  if (!liveAgentEndpoint) problems.push(missing('liveAgentEndpoint', 'The Live Agent chat endpoint', 'live-agent'))
  if (!deploymentId) problems.push(missing('deploymentId', 'The deployment id', 'live-agent'))
  if (!button) problems.push(missing('buttonId', 'The button id', 'live-agent'))
  if (!liveAgentEndpoint || !deploymentId || !button) return { problems }
  return {
    backend: 'live-agent',
    liveAgent: {
      endpoint: liveAgentEndpoint,
      organizationId: config.organizationId,
      deploymentId,
      buttonId: button,
      apiVersion: config.apiVersion,
      ...(config.buttonOverrides.length > 0 ? { buttonOverrides: config.buttonOverrides } : {}),
    },
  }
}

const enhancedChatTarget = (config: Configuration): CheckedTarget | { problems: FieldProblem[] } => {
  const problems: FieldProblem[] = []
  const scrtUrl = config.scrtUrl?.trim()
  const scrtProblem = scrtUrl ? scrtUrlProblem(scrtUrl) : null
  if (!scrtUrl) problems.push(missing('scrtUrl', 'The SCRT2 URL', 'enhanced-chat'))
  else if (scrtProblem) problems.push({ field: 'scrtUrl', message: scrtProblem })

  let orgId: string | undefined
  try {
    orgId = toOrgId15(config.organizationId, 'organizationId')
  } catch (thrown) {
    if (!(thrown instanceof EnhancedChatInputError)) throw thrown
    problems.push({ field: 'organizationId', message: `The organization id is wrong: ${withoutField(thrown)}` })
  }

  const esDeveloperName = config.esDeveloperName?.trim()
  if (!esDeveloperName) problems.push(missing('esDeveloperName', 'The deployment API name', 'enhanced-chat'))
  else if (esDeveloperName.length > API_NAME_MAX_LENGTH || !API_NAME.test(esDeveloperName))
    problems.push({
      field: 'esDeveloperName',
      message: `The deployment API name "${esDeveloperName}" is not a Salesforce API name: letters, digits and single underscores, starting with a letter (for example Botpress_Handoff)`,
    })

  const seen = new Set<string>()
  for (const [index, { prechatField }] of config.prechatFields.entries()) {
    const name = prechatField.trim()
    if (seen.has(name))
      problems.push({
        field: `prechatFields.${index}.prechatField`,
        message: `The pre-chat field ${name} is filled twice; map each pre-chat field once`,
      })
    seen.add(name)
  }

  if (problems.length > 0 || !scrtUrl || !orgId || !esDeveloperName) return { problems }
  return {
    backend: 'enhanced-chat',
    enhancedChat: { scrtUrl: scrtUrl.replace(/\/+$/, ''), orgId, esDeveloperName },
  }
}

/** The SCRT2 URL is a bare https origin on a Salesforce SCRT2 host (or loopback, for the simulator). */
export const scrtUrlProblem = (value: string): string | null => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `The SCRT2 URL "${value}" is not a URL; copy it from the deployment's Code Snippet, for example https://acme.my.salesforce-scrt.com`
  }
  if (url.username || url.password) return 'The SCRT2 URL must not carry a user name or password'
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    return `The SCRT2 URL is the host only (https://${url.host}), without a path or query`
  if (LOOPBACK_HOST.test(url.hostname)) return null
  if (url.protocol !== 'https:') return 'The SCRT2 URL must use https'
  if (url.port !== '') return `The SCRT2 URL must use the default https port, not ${url.port}`
  if (!hostMatches(url.hostname, SCRT2_HOST_PATTERNS))
    return `The SCRT2 URL's host ${url.hostname} is not a Salesforce SCRT2 host (${SCRT2_HOST_PATTERNS.join(', ')}); it is not the org's my.salesforce.com address`
  return null
}

const withoutField = (error: EnhancedChatInputError): string => error.message.slice(error.field.length + 2)
