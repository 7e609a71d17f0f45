// Sequenced visitor POSTs as plain data: what the session queues, what the cursor stores, what the client sends.
import { z } from 'zod'
import { RESOURCE } from './constants.js'
import { chasitorInitParamsSchema } from './wire.js'

const chasitorInitBodySchema = chasitorInitParamsSchema.extend({ sessionId: z.string().min(1) })

export const chasitorPostSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ChasitorInit'), body: chasitorInitBodySchema }),
  z.strictObject({ kind: z.literal('ChatMessage'), text: z.string().min(1, 'a ChatMessage needs non-empty text') }),
  z.strictObject({ kind: z.literal('ChasitorTyping') }),
  z.strictObject({ kind: z.literal('ChasitorNotTyping') }),
  z.strictObject({ kind: z.literal('ChasitorSneakPeek'), position: z.number().int().nonnegative(), text: z.string() }),
  z.strictObject({ kind: z.literal('CustomEvent'), type: z.string().min(1), data: z.string() }),
  /** Only `client` is a visitor reason; the server sets the others (§3.4). */
  z.strictObject({ kind: z.literal('ChatEnd'), reason: z.literal('client') }),
])
export type ChasitorPost = z.output<typeof chasitorPostSchema>
export type ChasitorPostInput = z.input<typeof chasitorPostSchema>
export type ChasitorPostKind = ChasitorPost['kind']

/** Posts that only matter in the moment: dropped rather than buffered when the agent is not there (yet). */
export const EPHEMERAL_POST_KINDS: ReadonlySet<ChasitorPostKind> = new Set([
  'ChasitorTyping',
  'ChasitorNotTyping',
  'ChasitorSneakPeek',
])

/** The resource and JSON body of a post. Typing bodies are `{}`, as Salesforce's clients send (§3.4). */
export function describePost(post: ChasitorPost): { resource: string; body: object } {
  switch (post.kind) {
    case 'ChasitorInit':
      return { resource: RESOURCE.chasitorInit, body: post.body }
    case 'ChatMessage':
      return { resource: RESOURCE.chatMessage, body: { text: post.text } }
    case 'ChasitorTyping':
      return { resource: RESOURCE.typing, body: {} }
    case 'ChasitorNotTyping':
      return { resource: RESOURCE.notTyping, body: {} }
    case 'ChasitorSneakPeek':
      return { resource: RESOURCE.sneakPeek, body: { position: post.position, text: post.text } }
    case 'CustomEvent':
      return { resource: RESOURCE.customEvent, body: { type: post.type, data: post.data } }
    case 'ChatEnd':
      return { resource: RESOURCE.chatEnd, body: { reason: post.reason } }
  }
}

const OUT_OF_SYNC = /Out of sync\b.*?Expected\s+(-?\d+|null)\b.*?Actual\s+(-?\d+)/is

/**
 * Reads a 409 body like `Out of sync Ack. Expected 498. Actual 4` (§5). "Expected" echoes what was sent and
 * "Actual" is the last sequence the server accepted, so the retry goes out with Actual + 1 (IBM's reading, §9.6).
 * Returns undefined for any other 409 body.
 */
export function parseOutOfSync(body: string): { expected: number | undefined; actual: number } | undefined {
  const match = OUT_OF_SYNC.exec(body)
  if (!match?.[1] || !match[2]) return undefined
  return { expected: match[1] === 'null' ? undefined : Number(match[1]), actual: Number(match[2]) }
}
