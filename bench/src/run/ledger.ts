// What the driver sent and what came back, per chat: the single source for progress, waits and the final checks.
import type { Delivery } from '../receiver/protocol.js'

export interface SentMessage {
  /** 1-based position in the chat's exchange. */
  k: number
  text: string
  /** Date.now() when the first attempt started (visitor side) or when the admin call started (agent side). */
  sentAt: number
  /** Accepted by the target (202) or by the mock admin API (200): it must arrive exactly once. */
  accepted: boolean
  attempts: number
  error?: string
}

export interface ChatLedger {
  index: number
  conversationId: string
  chatId?: string
  /** The mock's session id, once the chat was found in the mock. */
  sessionId?: string
  endBy: EndBy
  visitor: SentMessage[]
  agent: SentMessage[]
  /** Every delivery, duplicates included, in arrival order. */
  deliveries: Delivery[]
  joinedAt?: number
  ended?: { reason: string; at: number }
  failures: string[]
}

/** Who ends the chat: the visitor, the agent, or the guest token expiring (Enhanced Chat chaos). */
export type EndBy = 'visitor' | 'agent' | 'token-expiry'

/** The chat.ended reason a chat must get: a token that expires ends the hand-off with `error` (a new identity). */
export function expectedEndReason(chat: Pick<ChatLedger, 'endBy'>): string {
  return chat.endBy === 'token-expiry' ? 'error' : chat.endBy
}

type Waiter = { test: (chat: ChatLedger) => boolean; resolve: () => void }

export class Ledger {
  readonly chats: ChatLedger[] = []
  private readonly byChatId = new Map<string, ChatLedger>()
  private readonly byConversation = new Map<string, ChatLedger>()
  private readonly waiters = new Map<ChatLedger, Set<Waiter>>()
  /**
   * Deliveries for a chat id not bound yet: under load the first webhook can overtake the answer to the
   * create-chat request. They are applied when the id is bound; what is left at the end is stray (must be 0).
   */
  private readonly early = new Map<string, Delivery[]>()
  counts = { created: 0, joined: 0, ended: 0, visitorSent: 0, agentSent: 0, agentReceived: 0 }

  add(index: number, conversationId: string, endBy: ChatLedger['endBy']): ChatLedger {
    const chat: ChatLedger = { index, conversationId, endBy, visitor: [], agent: [], deliveries: [], failures: [] }
    this.chats.push(chat)
    this.byConversation.set(conversationId, chat)
    return chat
  }

  bindChatId(chat: ChatLedger, chatId: string): void {
    chat.chatId = chatId
    this.byChatId.set(chatId, chat)
    this.counts.created++
    const early = this.early.get(chatId)
    if (early) {
      this.early.delete(chatId)
      this.record(early)
    }
  }

  /** Deliveries for chats that were never created as far as the driver knows (must be 0). */
  get strayDeliveries(): number {
    let count = 0
    for (const deliveries of this.early.values()) count += deliveries.length
    return count
  }

  byConversationId(conversationId: string): ChatLedger | undefined {
    return this.byConversation.get(conversationId)
  }

  record(deliveries: Delivery[]): void {
    for (const delivery of deliveries) {
      const chat = this.byChatId.get(delivery.chatId)
      if (!chat) {
        const early = this.early.get(delivery.chatId) ?? []
        early.push(delivery)
        this.early.set(delivery.chatId, early)
        continue
      }
      const fresh = !chat.deliveries.some((known) => known.seq === delivery.seq)
      chat.deliveries.push(delivery)
      if (fresh) this.apply(chat, delivery)
      this.notify(chat)
    }
  }

  private apply(chat: ChatLedger, delivery: Delivery): void {
    if (delivery.type === 'agent.joined' && chat.joinedAt === undefined) {
      chat.joinedAt = delivery.receivedAt
      this.counts.joined++
    }
    if (delivery.type === 'agent.message') this.counts.agentReceived++
    if (delivery.type === 'chat.ended' && !chat.ended) {
      chat.ended = { reason: delivery.reason ?? 'unknown', at: delivery.receivedAt }
      this.counts.ended++
    }
  }

  /** Resolves true once `test(chat)` holds, false after `timeoutMs`. */
  waitFor(chat: ChatLedger, test: (chat: ChatLedger) => boolean, timeoutMs: number): Promise<boolean> {
    if (test(chat)) return Promise.resolve(true)
    return new Promise((resolve) => {
      const waiters = this.waiters.get(chat) ?? new Set<Waiter>()
      this.waiters.set(chat, waiters)
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer)
          waiters.delete(waiter)
          resolve(true)
        },
      }
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        resolve(false)
      }, timeoutMs)
      waiters.add(waiter)
    })
  }

  private notify(chat: ChatLedger): void {
    const waiters = this.waiters.get(chat)
    if (!waiters) return
    for (const waiter of [...waiters]) if (waiter.test(chat)) waiter.resolve()
  }
}
