// What the HTTP API does with a chat, apart from HTTP: checks, then one atomic store operation, then a note so
// the replica that pumps the chat acts at once. Requests may reach any replica; the store is the rendezvous.
import { randomBytes } from 'node:crypto'
import { BACKEND_NAMES, DEFAULT_BACKEND } from '../backends/chat-backend.js'
import { BackendRegistry } from '../backends/registry.js'
import type { HopConfig } from '../config.js'
import { badRequest, conflict, notFound } from '../http/errors.js'
import type { CreateChatBody } from '../http/schemas.js'
import { urlProblem } from '../security/allowlist.js'
import { urlPolicy } from '../security/url-policy.js'
import type { ChatRecord, ChatRequest, EndReason, HopStore } from '../store/types.js'
import { transcriptMessages } from './transcript.js'

const CHAT_ID_BYTES = 12

export const newChatId = () => `chat_${randomBytes(CHAT_ID_BYTES).toString('hex')}`

/** The create-chat request as the API validated it (its schema's type). */
export type CreateChatInput = CreateChatBody

/** The status view of the contract: `GET /v1/chats/:chatId` and the create answer. */
export function chatView(chat: ChatRecord) {
  return {
    chatId: chat.chatId,
    conversationId: chat.conversationId,
    state: chat.state,
    ...(chat.state === 'queued' && chat.progress.queuePosition !== undefined
      ? { queuePosition: chat.progress.queuePosition }
      : {}),
    ...(chat.state === 'queued' && chat.progress.estimatedWaitTime !== undefined
      ? { estimatedWaitTime: chat.progress.estimatedWaitTime }
      : {}),
    ...(chat.progress.agent ? { agent: chat.progress.agent } : {}),
    ...(chat.endReason ? { endReason: chat.endReason } : {}),
    ...(chat.endDetail ? { endDetail: chat.endDetail } : {}),
  }
}

export interface ChatServiceDeps {
  config: HopConfig
  store: HopStore
  backends: BackendRegistry
  /** A chat this replica created (and holds the lease of) should start pumping now. */
  onChatCreated(chatId: string): void
}

export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  async create(tenant: string, input: CreateChatInput): Promise<{ chat: ChatRecord; created: boolean }> {
    const { config, store, backends } = this.deps
    const name = input.backend ?? DEFAULT_BACKEND
    if (!BackendRegistry.isKnown(name)) {
      throw badRequest(`backend must be one of ${BACKEND_NAMES.join(', ')} (got "${name}")`)
    }
    const backend = backends.get(name)
    if (!backend) throw badRequest(`the ${name} backend is not enabled on this hop server yet`)
    const otherTarget = name === 'enhanced-chat' ? input.liveAgent && 'liveAgent' : input.enhancedChat && 'enhancedChat'
    if (otherTarget) throw badRequest(`${otherTarget} does not belong in a chat on the ${name} backend`)
    const transcript = input.transcript ?? []
    const transcriptDelivery = input.transcriptDelivery ?? { mode: 'summary' }
    const request: ChatRequest = {
      backend: name,
      conversationId: input.conversationId,
      webhookUrl: input.webhookUrl,
      ...(input.liveAgent ? { liveAgent: input.liveAgent } : {}),
      ...(input.enhancedChat
        ? { enhancedChat: { ...input.enhancedChat, routingAttributes: input.enhancedChat.routingAttributes ?? {} } }
        : {}),
      visitor: input.visitor,
      prechatDetails: input.prechatDetails ?? [],
      prechatEntities: input.prechatEntities ?? [],
      transcript,
      transcriptDelivery,
    }
    const targetProblem = backend.targetProblem(request)
    if (targetProblem) throw badRequest(targetProblem)
    const webhookProblem = urlProblem(input.webhookUrl, urlPolicy(config, 'webhook'))
    if (webhookProblem) throw badRequest(`webhookUrl ${webhookProblem}`)
    const result = await store.createChat(
      {
        chatId: newChatId(),
        tenant,
        request,
        createdAt: Date.now(),
        transcriptItems: transcriptMessages(transcript, transcriptDelivery.mode, config.pump.chatMessageMaxChars),
      },
      config.replicaId,
      config.leases.ttlMs
    )
    if (result.created) this.deps.onChatCreated(result.chat.chatId)
    return result
  }

  /** The chat if it exists and belongs to the tenant; 404 otherwise (other tenants' chats do not exist). */
  async get(tenant: string, chatId: string): Promise<ChatRecord> {
    const chat = await this.deps.store.getChat(chatId)
    if (!chat || chat.tenant !== tenant) throw notFound(`chat ${chatId} not found`)
    return chat
  }

  async sendMessage(tenant: string, chatId: string, messageId: string, text: string): Promise<{ duplicate: boolean }> {
    // The tenant check is part of the enqueue: no read (and parse) of the whole chat per message.
    const result = await this.deps.store.enqueueVisitorMessage(chatId, messageId, text, tenant)
    if (result === 'not_found') throw notFound(`chat ${chatId} not found`)
    if (result === 'ended') throw conflict(`chat ${chatId} has ended`)
    if (result === 'accepted') await this.deps.store.publish({ kind: 'outbox', chatId })
    return { duplicate: result === 'duplicate' }
  }

  async typing(tenant: string, chatId: string, typing: boolean): Promise<void> {
    const chat = await this.get(tenant, chatId)
    // Typing is a hint: not stored, and ignored unless an agent is there to see it.
    if (chat.state === 'agent') await this.deps.store.publish({ kind: 'typing', chatId, typing })
  }

  /** Ends the chat; true when this request ended it (false: it had ended already). */
  async end(tenant: string, chatId: string, reason: EndReason): Promise<boolean> {
    await this.get(tenant, chatId)
    const result = await this.deps.store.requestEnd(chatId, reason, Date.now())
    if (result === 'not_found') throw notFound(`chat ${chatId} not found`)
    if (result === 'ended') {
      await this.deps.store.publish({ kind: 'outbox', chatId })
      await this.deps.store.publish({ kind: 'webhook', chatId })
    }
    return result === 'ended'
  }
}
