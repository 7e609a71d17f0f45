// Conversation entries: the payloads Salesforce puts inside `entryPayload`, and the envelope around them.
import { randomUUID } from 'node:crypto'
import { ENTRY_TYPE, type EventName, type Role } from './protocol.js'

export interface Sender {
  role: Role
  appType: string
  subject: string
  clientIdentifier: string
  displayName: string
}

/** An entry as the entries API lists it (payload as an object) and as the SSE envelope carries it (as a string). */
export interface ConversationEntry {
  identifier: string
  entryType: string
  entryPayload: Record<string, unknown>
  senderDisplayName: string
  sender: { role: Role; appType: string; subject: string; clientIdentifier: string }
  relatedRecords: string[]
  transcriptedTimestamp: number
  clientTimestamp: number
}

export interface EnvelopeContext {
  channelPlatformKey: string
  channelAddressIdentifier: string
  conversationId: string
}

/** Participant changes and session status come from the platform ("Automated Process" in captured events). */
export const SYSTEM_SENDER: Sender = {
  role: 'System',
  appType: 'conversation',
  subject: 'automated-process',
  clientIdentifier: 'automated-process',
  displayName: 'Automated Process',
}

export const ROUTER_SENDER: Sender = {
  role: 'Router',
  appType: 'conversation',
  subject: 'omni-channel-router',
  clientIdentifier: 'omni-channel-router',
  displayName: 'Omni-Channel',
}

export function makeEntry(
  event: EventName,
  sender: Sender,
  payload: Record<string, unknown>,
  relatedRecords: string[],
  opts: { identifier?: string; clientTimestamp?: number } = {}
): ConversationEntry {
  const identifier = opts.identifier ?? randomUUID()
  const now = Date.now()
  const { displayName, ...who } = sender
  return {
    identifier,
    entryType: ENTRY_TYPE[event],
    entryPayload: { entryType: ENTRY_TYPE[event], id: identifier, ...payload },
    senderDisplayName: displayName,
    sender: who,
    relatedRecords,
    transcriptedTimestamp: now,
    clientTimestamp: opts.clientTimestamp ?? now,
  }
}

/** The SSE `data` object: entryPayload becomes a JSON string, as on the real stream. */
export function envelope(context: EnvelopeContext, entry: ConversationEntry): Record<string, unknown> {
  return {
    channelPlatformKey: context.channelPlatformKey,
    channelType: 'embedded_messaging',
    channelAddressIdentifier: context.channelAddressIdentifier,
    conversationId: context.conversationId,
    conversationEntry: { ...entry, entryPayload: JSON.stringify(entry.entryPayload) },
  }
}

export const textMessage = (id: string, text: string, inReplyToMessageId?: string): Record<string, unknown> => ({
  messageReason: null,
  abstractMessage: {
    messageType: 'StaticContentMessage',
    id,
    inReplyToMessageId: inReplyToMessageId ?? null,
    references: [],
    staticContent: { formatType: 'Text', text },
  },
})

export const attachmentMessage = (
  id: string,
  text: string,
  file: { id: string; name: string; mimeType: string; url: string }
): Record<string, unknown> => ({
  messageReason: null,
  abstractMessage: {
    messageType: 'StaticContentMessage',
    id,
    inReplyToMessageId: null,
    references: [],
    staticContent: {
      formatType: 'Attachments',
      text,
      attachments: [{ ...file, referenceId: file.id, attachmentUploadResult: 'Success' }],
    },
  },
})

export const participant = (operation: 'add' | 'remove', agent: Sender): Record<string, unknown> => ({
  entries: [
    {
      operation,
      displayName: agent.displayName,
      menuMetadata: null,
      participant: {
        role: agent.role,
        appType: agent.appType,
        subject: agent.subject,
        clientIdentifier: agent.clientIdentifier,
      },
    },
  ],
})
