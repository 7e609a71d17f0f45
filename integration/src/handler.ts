// The webhook: signed events from the hop server (docs/bridge-contract.md). 401 for a bad signature, 400 for a body
// that is not an event envelope, 2xx for everything else — chats we do not know, types we do not know, a known type
// whose data breaks its schema — so the hop server stops retrying what retrying cannot fix (it would retry for an
// hour and hold the chat's later events back). What we could not apply is logged for the bot builder.
import type * as bp from './bp.js'
import { type EventOutcome, type HopEventProps } from './events/apply-hop-event.js'
import { handleAgentJoined } from './events/agent-joined.js'
import { handleAgentMessage } from './events/agent-message.js'
import { handleAgentTyping } from './events/agent-typing.js'
import { handleChatEnded } from './events/chat-ended.js'
import { handleChatQueued } from './events/chat-queued.js'
import { handleChatTransferred } from './events/chat-transferred.js'
import { HOP_EVENT_TYPES, hopEnvelopeSchema, hopEventSchema, type HopEvent } from './hop-contract.js'
import { sweepPendingEnds } from './lifecycle/pending-end.js'
import { Settings } from './settings.js'
import { verifySignature, webhookTarget } from './signing.js'
import { webhookUrlOf } from './chat-request.js'

type HandlerResponse = { status: number; headers: Record<string, string>; body: string }

const HTTP_ERROR_NAMES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 405: 'Method Not Allowed' }

const json = (status: number, body: unknown): HandlerResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const refuse = (status: number, message: string): HandlerResponse =>
  json(status, { statusCode: status, error: HTTP_ERROR_NAMES[status] ?? 'Error', message })

export const handler: bp.IntegrationProps['handler'] = async (props) => {
  const { req, ctx, logger } = props
  if (req.method.toUpperCase() !== 'POST') {
    return refuse(405, 'the webhook accepts POST only')
  }
  const settings = Settings.fromContext(ctx)
  const rawBody = req.body ?? ''

  const verification = verifySignature({
    headers: req.headers,
    method: req.method,
    target: webhookTarget(webhookUrlOf(ctx), req),
    rawBody,
    expectedTenantId: settings.config.tenantId,
    secret: settings.config.sharedSecret,
  })
  if (!verification.valid) {
    logger.forBot().warn(`Refused a webhook call: ${verification.reason}. Check the tenant id and shared secret.`)
    return refuse(401, verification.reason)
  }

  let body: unknown
  try {
    body = JSON.parse(rawBody)
  } catch {
    return refuse(400, 'the body is not JSON')
  }
  const envelope = hopEnvelopeSchema.safeParse(body)
  if (!envelope.success) {
    return refuse(400, `not a hop event: ${firstIssue(envelope.error)}`)
  }
  if (!(HOP_EVENT_TYPES as readonly string[]).includes(envelope.data.type)) {
    logger.debug(`Ignored hop event of unknown type ${envelope.data.type}.`)
    return json(200, { outcome: 'ignored_type' })
  }
  const parsed = hopEventSchema.safeParse(body)
  if (!parsed.success) {
    const { type, seq, chatId } = envelope.data
    logger
      .forBot()
      .error(`Ignored ${type} #${seq} of chat ${chatId}: its data is not valid (${firstIssue(parsed.error)}).`)
    return json(200, { outcome: 'invalid_event' })
  }

  // Chats whose end could not reach the hop server earlier: it answers again now, so end them first.
  await sweepPendingEnds(props, settings)
  const outcome = await dispatch({ ...props, settings, event: parsed.data })
  return json(200, { outcome })
}

const dispatch = (props: HopEventProps): Promise<EventOutcome> => {
  const { event } = props
  const withEvent = <E extends HopEvent>(e: E) => ({ ...props, event: e })
  switch (event.type) {
    case 'chat.queued':
      return handleChatQueued(withEvent(event))
    case 'agent.joined':
      return handleAgentJoined(withEvent(event))
    case 'agent.message':
      return handleAgentMessage(withEvent(event))
    case 'agent.typing':
      return handleAgentTyping(withEvent(event))
    case 'chat.transferred':
      return handleChatTransferred(withEvent(event))
    case 'chat.ended':
      return handleChatEnded(withEvent(event))
    default:
      return event satisfies never
  }
}

const firstIssue = (error: { issues: { path: (string | number)[]; message: string }[] }): string => {
  const issue = error.issues[0]
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'
}
