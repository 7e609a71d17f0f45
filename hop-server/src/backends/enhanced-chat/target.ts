// The Enhanced Chat target of a chat, as the create-chat request carries it (`enhancedChat`, docs/bridge-contract.md)
// and as the backend checks it: the SCRT2 origin against the SCRT2 host patterns (plus the operator's loopback
// targets, for the simulator), the org id (15 or 18 characters, used as 15) and the deployment API name.
import { z } from 'zod'
import { urlProblem, type UrlPolicy } from '../../security/allowlist.js'
import { SCRT2_HOST_PATTERNS } from './constants.js'
import { EnhancedChatInputError } from './errors.js'
import { toOrgId15 } from './org-id.js'

/** Salesforce API names: a letter first, then letters, digits and single underscores, none last, at most 80. */
export const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$/
const API_NAME_MAX_LENGTH = 80
const MAX_ROUTING_ATTRIBUTES = 100

export const enhancedChatTargetSchema = z.strictObject({
  scrtUrl: z.string().min(1),
  orgId: z.string().min(1),
  esDeveloperName: z.string().min(1),
  routingAttributes: z.record(z.string(), z.string()).default({}),
})
export type EnhancedChatTarget = z.output<typeof enhancedChatTargetSchema>

/** A checked target: the org id is the 15-character form. */
export interface CheckedTarget extends EnhancedChatTarget {
  orgId: string
}

/**
 * The outbound policy for SCRT2 hosts: the SCRT2 host patterns only, plus the loopback `host:port` targets the
 * operator lists (HOP_LOOPBACK_TARGETS: the simulator in the playground and tests), never the hop server's own port.
 */
export function scrtPolicy(loopback: { loopbackTargets: readonly string[]; ownPort?: number | undefined }): UrlPolicy {
  return {
    allowlist: SCRT2_HOST_PATTERNS,
    loopbackTargets: loopback.loopbackTargets,
    ...(loopback.ownPort ? { ownPort: loopback.ownPort } : {}),
  }
}

/**
 * The request's target, checked; throws EnhancedChatInputError naming the field (`enhancedChat.scrtUrl`…) so a
 * bad create-chat request is a 400 that says what to fix, before anything is created.
 */
export function checkedTarget(request: { enhancedChat?: unknown }, policy: UrlPolicy): CheckedTarget {
  const parsed = enhancedChatTargetSchema.safeParse(request.enhancedChat)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue?.path.join('.')
    throw new EnhancedChatInputError(
      path ? `enhancedChat.${path}` : 'enhancedChat',
      issue?.message ?? 'an Enhanced Chat chat needs scrtUrl, orgId and esDeveloperName'
    )
  }
  const target = parsed.data
  const urlIssue = urlProblem(target.scrtUrl, policy)
  if (urlIssue) throw new EnhancedChatInputError('enhancedChat.scrtUrl', `${target.scrtUrl} ${urlIssue}`)
  const url = new URL(target.scrtUrl)
  if ((url.pathname !== '/' && url.pathname !== '') || url.search)
    throw new EnhancedChatInputError(
      'enhancedChat.scrtUrl',
      `the SCRT2 URL is an origin only (${url.origin}), without a path`
    )
  const orgId = toOrgId15(target.orgId, 'enhancedChat.orgId')
  if (target.esDeveloperName.length > API_NAME_MAX_LENGTH || !API_NAME.test(target.esDeveloperName))
    throw new EnhancedChatInputError(
      'enhancedChat.esDeveloperName',
      `"${target.esDeveloperName}" is not a Salesforce API name (letters, digits and single underscores, starting with a letter)`
    )
  if (Object.keys(target.routingAttributes).length > MAX_ROUTING_ATTRIBUTES)
    throw new EnhancedChatInputError(
      'enhancedChat.routingAttributes',
      `at most ${MAX_ROUTING_ATTRIBUTES} pre-chat fields`
    )
  return { ...target, scrtUrl: url.origin, orgId }
}
