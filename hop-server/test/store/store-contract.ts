// One behaviour suite for every HopStore implementation (sqlite-store.test.ts and redis-store.test.ts run it).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChatRequest, HopStore, NewChat, NewHopEvent, PumpState, StoreNote } from '../../src/store/types.js'
import { INITIAL_PUMP_STATE } from '../../src/store/types.js'
import { agentMessageEvent, queuedEvent } from '../../src/store/events.js'

const OWNER_A = 'replica-a'
const OWNER_B = 'replica-b'
const LEASE_TTL_MS = 60_000
const SHORT_TTL_MS = 150

let chatCounter = 0

export function chatRequest(conversationId: string): ChatRequest {
  return {
    conversationId,
    webhookUrl: 'https://webhook.botpress.cloud/abc',
    liveAgent: {
      endpoint: 'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
      organizationId: '00D5g000004XXXX',
      deploymentId: '5725g000000XXXX',
      buttonId: '5735g000000XXXX',
      apiVersion: '63',
    },
    visitor: { name: 'Ada' },
    prechatDetails: [],
    prechatEntities: [],
    transcript: [],
    transcriptDelivery: { mode: 'none' },
  }
}

export function newChat(overrides: Partial<NewChat> & { conversationId?: string } = {}): NewChat {
  chatCounter += 1
  const { conversationId, ...rest } = overrides
  return {
    chatId: `chat_${chatCounter}_${Math.random().toString(36).slice(2, 8)}`,
    tenant: 'tenantA',
    request: chatRequest(conversationId ?? `conv_${chatCounter}`),
    createdAt: Date.now(),
    transcriptItems: [],
    ...rest,
  }
}

const message = (text: string): NewHopEvent =>
  agentMessageEvent(text, { id: '005000000000001', name: 'Andy' }, Date.now())

const pump = (outboxDone: number): PumpState => ({ ...INITIAL_PUMP_STATE, cursor: { ack: outboxDone }, outboxDone })

export interface StoreFactory {
  create(): Promise<HopStore>
}

export function describeStoreContract(name: string, factory: () => StoreFactory): void {
  describe(`${name} store`, () => {
    let store: HopStore

    beforeEach(async () => {
      store = await factory().create()
    })
    afterEach(async () => {
      await store.close()
    })

    describe('chats', () => {
      it('creates a chat once per tenant and open conversation', async () => {
        const first = await store.createChat(newChat({ conversationId: 'conv_same' }), OWNER_A, LEASE_TTL_MS)
        expect(first.created).toBe(true)
        expect(first.chat).toMatchObject({ tenant: 'tenantA', conversationId: 'conv_same', state: 'connecting' })
        expect(first.chat.request.liveAgent?.buttonId).toBe('5735g000000XXXX')

        const again = await store.createChat(newChat({ conversationId: 'conv_same' }), OWNER_A, LEASE_TTL_MS)
        expect(again).toMatchObject({ created: false, chat: { chatId: first.chat.chatId } })

        const otherTenant = await store.createChat(
          newChat({ conversationId: 'conv_same', tenant: 'tenantB' }),
          OWNER_A,
          LEASE_TTL_MS
        )
        expect(otherTenant.created).toBe(true)
        expect(otherTenant.chat.chatId).not.toBe(first.chat.chatId)
      })

      it('starts a new chat for a conversation whose previous chat has ended', async () => {
        const first = await store.createChat(newChat({ conversationId: 'conv_twice' }), OWNER_A, LEASE_TTL_MS)
        expect(await store.requestEnd(first.chat.chatId, 'visitor', Date.now())).toBe('ended')
        const second = await store.createChat(newChat({ conversationId: 'conv_twice' }), OWNER_A, LEASE_TTL_MS)
        expect(second.created).toBe(true)
        expect(second.chat.chatId).not.toBe(first.chat.chatId)
      })

      it('queues the transcript items ahead of visitor messages', async () => {
        const { chat } = await store.createChat(
          newChat({ transcriptItems: ['Visitor: hi', 'Bot: hello'] }),
          OWNER_A,
          LEASE_TTL_MS
        )
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm1', 'are you there?')).toBe('accepted')
        const items = await store.readOutbox(chat.chatId, 0, 10)
        expect(items).toEqual([
          { position: 1, kind: 'transcript', messageId: 'transcript:1', text: 'Visitor: hi' },
          { position: 2, kind: 'transcript', messageId: 'transcript:2', text: 'Bot: hello' },
          { position: 3, kind: 'message', messageId: 'm1', text: 'are you there?' },
        ])
        expect(await store.readOutbox(chat.chatId, 2, 10)).toHaveLength(1)
        expect((await store.outboxLasts([chat.chatId, 'chat_missing'])).get(chat.chatId)).toBe(3)
        expect((await store.outboxLasts([chat.chatId, 'chat_missing'])).has('chat_missing')).toBe(false)
      })

      it('returns undefined for an unknown chat', async () => {
        expect(await store.getChat('chat_unknown')).toBeUndefined()
      })
    })

    describe('visitor outbox', () => {
      it('accepts each message id once, in order, and refuses new messages once the chat ended', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm1', 'one')).toBe('accepted')
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm2', 'two')).toBe('accepted')
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm1', 'one again')).toBe('duplicate')
        // A visitor message id that looks like an internal one does not collide with it.
        expect(await store.enqueueVisitorMessage(chat.chatId, 'end', 'the end?')).toBe('accepted')
        expect(await store.requestEnd(chat.chatId, 'visitor', Date.now())).toBe('ended')
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm3', 'three')).toBe('ended')
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm2', 'two again')).toBe('duplicate')
        const items = await store.readOutbox(chat.chatId, 0, 10)
        expect(items.map((item) => [item.position, item.kind, item.text])).toEqual([
          [1, 'message', 'one'],
          [2, 'message', 'two'],
          [3, 'message', 'the end?'],
          [4, 'end', ''],
        ])
      })

      it('answers not_found for a chat of another tenant, and enqueues nothing', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm1', 'x', `${chat.tenant}-other`)).toBe('not_found')
        expect(await store.readOutbox(chat.chatId, 0, 10)).toEqual([])
        expect(await store.enqueueVisitorMessage(chat.chatId, 'm1', 'x', chat.tenant)).toBe('accepted')
      })

      it('answers not_found for an unknown chat', async () => {
        expect(await store.enqueueVisitorMessage('chat_unknown', 'm1', 'x')).toBe('not_found')
        expect(await store.requestEnd('chat_unknown', 'visitor', Date.now())).toBe('not_found')
      })

      it('gives concurrent messages distinct positions without gaps', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) => store.enqueueVisitorMessage(chat.chatId, `m${i % 30}`, `text ${i}`))
        )
        expect(results.filter((result) => result === 'accepted')).toHaveLength(30)
        const items = await store.readOutbox(chat.chatId, 0, 100)
        expect(items.map((item) => item.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
      })
    })

    describe('ending', () => {
      it('ends once, with a chat.ended event and an end item for the pump', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        expect(await store.requestEnd(chat.chatId, 'visitor', Date.now())).toBe('ended')
        expect(await store.requestEnd(chat.chatId, 'visitor', Date.now())).toBe('already_ended')
        const ended = await store.getChat(chat.chatId)
        expect(ended).toMatchObject({ state: 'ended', endReason: 'visitor' })
        expect(ended?.endedAt).toEqual(expect.any(Number))
        const head = await store.webhookHead(chat.chatId)
        expect(head?.event).toMatchObject({ seq: 1, type: 'chat.ended', data: { reason: 'visitor' } })
        expect(await store.pendingWebhookCount(chat.chatId)).toBe(1)
        expect((await store.readOutbox(chat.chatId, 0, 10)).map((item) => item.kind)).toEqual(['end'])
      })
    })

    describe('pump batches', () => {
      it('numbers events from 1 without gaps and saves the cursor with them', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        const first = await store.commitBatch(chat.chatId, OWNER_A, {
          events: [queuedEvent(2, 60, Date.now())],
          state: { state: 'queued' },
          progress: { queuePosition: 2, estimatedWaitTime: 60 },
          pump: pump(0),
          at: Date.now(),
        })
        expect(first).toEqual({ status: 'ok', seqs: [1], chatEnded: false })
        const second = await store.commitBatch(chat.chatId, OWNER_A, {
          events: [message('a'), message('b')],
          state: { state: 'agent' },
          progress: { agent: { id: '005000000000001', name: 'Andy' } },
          pump: pump(3),
          at: Date.now(),
        })
        expect(second).toEqual({ status: 'ok', seqs: [2, 3], chatEnded: false })
        expect(await store.loadPumpState(chat.chatId)).toEqual(pump(3))
        expect(await store.getChat(chat.chatId)).toMatchObject({
          state: 'agent',
          progress: { agent: { id: '005000000000001', name: 'Andy' } },
        })
        expect(await store.pendingWebhookCount(chat.chatId)).toBe(3)
      })

      it('refuses every write from a replica that does not hold the lease', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        const result = await store.commitBatch(chat.chatId, OWNER_B, {
          events: [message('intruder')],
          state: { state: 'agent' },
          pump: pump(9),
          at: Date.now(),
        })
        expect(result).toEqual({ status: 'lease_lost' })
        expect(await store.savePumpState(chat.chatId, OWNER_B, pump(9))).toBe(false)
        expect(await store.loadPumpState(chat.chatId)).toEqual(INITIAL_PUMP_STATE)
        expect(await store.pendingWebhookCount(chat.chatId)).toBe(0)
        expect((await store.getChat(chat.chatId))?.state).toBe('connecting')
        expect(await store.savePumpState(chat.chatId, OWNER_A, pump(1))).toBe(true)
        expect(await store.loadPumpState(chat.chatId)).toEqual(pump(1))
      })

      it('keeps chat.ended last: events after a requested end are dropped, the cursor is still saved', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        await store.requestEnd(chat.chatId, 'visitor', Date.now())
        const result = await store.commitBatch(chat.chatId, OWNER_A, {
          events: [message('late')],
          state: { state: 'ended', endReason: 'agent' },
          pump: pump(5),
          at: Date.now(),
        })
        expect(result).toEqual({ status: 'ok', seqs: [], chatEnded: true })
        expect(await store.loadPumpState(chat.chatId)).toEqual(pump(5))
        expect(await store.getChat(chat.chatId)).toMatchObject({ state: 'ended', endReason: 'visitor' })
        expect(await store.pendingWebhookCount(chat.chatId)).toBe(1)
      })

      it('ends a chat from a batch and frees its conversation', async () => {
        const { chat } = await store.createChat(newChat({ conversationId: 'conv_batch_end' }), OWNER_A, LEASE_TTL_MS)
        const result = await store.commitBatch(chat.chatId, OWNER_A, {
          events: [{ type: 'chat.ended', at: new Date().toISOString(), data: { reason: 'no_agent' } }],
          state: { state: 'ended', endReason: 'no_agent', endDetail: 'Unavailable' },
          pump: pump(0),
          at: Date.now(),
        })
        expect(result).toEqual({ status: 'ok', seqs: [1], chatEnded: true })
        expect(await store.getChat(chat.chatId)).toMatchObject({
          state: 'ended',
          endReason: 'no_agent',
          endDetail: 'Unavailable',
        })
        const next = await store.createChat(newChat({ conversationId: 'conv_batch_end' }), OWNER_A, LEASE_TTL_MS)
        expect(next.created).toBe(true)
      })

      it('allocates seqs atomically under concurrent batches and an end request', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        const commits = Array.from({ length: 25 }, (_, i) =>
          store.commitBatch(chat.chatId, OWNER_A, {
            events: [message(`${i}a`), message(`${i}b`)],
            pump: pump(i),
            at: Date.now(),
          })
        )
        const results = await Promise.all(commits)
        const seqs = results.flatMap((result) => (result.status === 'ok' ? result.seqs : []))
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
        await store.requestEnd(chat.chatId, 'visitor', Date.now())
        expect(await store.pendingWebhookCount(chat.chatId)).toBe(51)
      })
    })

    describe('webhook outbox', () => {
      it('delivers in seq order: ack removes the head only, fail backs off, dead-letter empties', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        const t0 = Date.now()
        await store.commitBatch(chat.chatId, OWNER_A, {
          events: [message('1'), message('2'), message('3')],
          pump: pump(0),
          at: t0,
        })
        expect(await store.dueWebhookChats(t0, 10)).toContain(chat.chatId)
        const head = await store.webhookHead(chat.chatId)
        expect(head).toMatchObject({
          chatId: chat.chatId,
          tenant: 'tenantA',
          conversationId: chat.conversationId,
          webhookUrl: 'https://webhook.botpress.cloud/abc',
          attempts: 0,
          event: { seq: 1, type: 'agent.message', data: { text: '1' } },
        })
        expect(head?.failingSince).toBeUndefined()

        await store.ackWebhook(chat.chatId, 2) // not the head: ignored
        expect((await store.webhookHead(chat.chatId))?.event.seq).toBe(1)
        await store.ackWebhook(chat.chatId, 1)
        expect((await store.webhookHead(chat.chatId))?.event.seq).toBe(2)
        expect(await store.dueWebhookChats(t0, 10)).toContain(chat.chatId)

        await store.failWebhook(chat.chatId, 2, t0 + 10_000, t0)
        await store.failWebhook(chat.chatId, 2, t0 + 20_000, t0 + 5_000)
        expect(await store.dueWebhookChats(t0 + 19_999, 10)).not.toContain(chat.chatId)
        expect(await store.dueWebhookChats(t0 + 20_000, 10)).toContain(chat.chatId)
        expect(await store.webhookHead(chat.chatId)).toMatchObject({ attempts: 2, failingSince: t0 })

        expect(await store.deadLetterWebhooks(chat.chatId, t0 + 30_000)).toBe(2)
        expect(await store.webhookHead(chat.chatId)).toBeUndefined()
        expect(await store.dueWebhookChats(Number.MAX_SAFE_INTEGER, 10)).not.toContain(chat.chatId)
        expect((await store.deadLetters(chat.chatId)).map((event) => event.seq)).toEqual([2, 3])

        // New events after a dead letter continue the seq and are due again, healthy.
        await store.commitBatch(chat.chatId, OWNER_A, { events: [message('4')], pump: pump(0), at: t0 })
        expect(await store.webhookHead(chat.chatId)).toMatchObject({ attempts: 0, event: { seq: 4 } })
      })

      it('lists due chats earliest first', async () => {
        const t0 = Date.now()
        const late = (await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)).chat.chatId
        const early = (await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)).chat.chatId
        await store.commitBatch(late, OWNER_A, { events: [message('x')], pump: pump(0), at: t0 + 50 })
        await store.commitBatch(early, OWNER_A, { events: [message('y')], pump: pump(0), at: t0 + 10 })
        expect(await store.dueWebhookChats(t0 + 100, 10)).toEqual([early, late])
        expect(await store.dueWebhookChats(t0 + 100, 1)).toEqual([early])
        // Only the chats whose lease the owner holds.
        await store.releaseLeases(OWNER_A, [early])
        expect(await store.dueWebhookChats(t0 + 100, 10, OWNER_A)).toEqual([late])
        expect(await store.dueWebhookChats(t0 + 100, 10, OWNER_B)).toEqual([])
      })
    })

    describe('leases', () => {
      it('gives a new chat to its creator and lets nobody else take it while the lease lives', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        expect(await store.leaseOwner(chat.chatId)).toBe(OWNER_A)
        expect(await store.acquireLeases(OWNER_B, LEASE_TTL_MS, 100)).not.toContain(chat.chatId)
        expect(await store.renewLeases(OWNER_B, [chat.chatId], LEASE_TTL_MS)).toEqual([])
        expect(await store.renewLeases(OWNER_A, [chat.chatId], LEASE_TTL_MS)).toEqual([chat.chatId])
      })

      it('lets another replica take over an expired lease, after which the old owner is fenced', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, SHORT_TTL_MS)
        await sleep(SHORT_TTL_MS + 50)
        expect(await store.leaseOwner(chat.chatId)).toBeUndefined()
        expect(await store.acquireLeases(OWNER_B, LEASE_TTL_MS, 100)).toContain(chat.chatId)
        expect(await store.leaseOwner(chat.chatId)).toBe(OWNER_B)
        expect(await store.renewLeases(OWNER_A, [chat.chatId], LEASE_TTL_MS)).toEqual([])
        expect(await store.savePumpState(chat.chatId, OWNER_A, pump(1))).toBe(false)
        expect(await store.savePumpState(chat.chatId, OWNER_B, pump(1))).toBe(true)
      })

      it('keeps a renewed lease past its first expiry', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, SHORT_TTL_MS * 2)
        await sleep(SHORT_TTL_MS)
        expect(await store.renewLeases(OWNER_A, [chat.chatId], SHORT_TTL_MS * 4)).toEqual([chat.chatId])
        await sleep(SHORT_TTL_MS * 2)
        expect(await store.leaseOwner(chat.chatId)).toBe(OWNER_A)
      })

      it('hands released chats over at once, and respects the acquire limit', async () => {
        const ids: string[] = []
        for (let i = 0; i < 3; i += 1) ids.push((await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)).chat.chatId)
        await store.releaseLeases(OWNER_B, ids) // not B's to release: nothing happens
        expect(await store.acquireLeases(OWNER_B, LEASE_TTL_MS, 100)).toEqual([])
        await store.releaseLeases(OWNER_A, ids)
        const firstTwo = await store.acquireLeases(OWNER_B, LEASE_TTL_MS, 2)
        expect(firstTwo).toHaveLength(2)
        const rest = await store.acquireLeases(OWNER_B, LEASE_TTL_MS, 2)
        expect([...firstTwo, ...rest].sort()).toEqual([...ids].sort())
      })

      it('gives a restarted replica with the same id its live leases back at once', async () => {
        const mine = (await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)).chat.chatId
        const theirs = (await store.createChat(newChat(), OWNER_B, LEASE_TTL_MS)).chat.chatId
        const reclaimed = await store.reclaimLeases(OWNER_A, LEASE_TTL_MS)
        expect(reclaimed).toContain(mine)
        expect(reclaimed).not.toContain(theirs)
        expect(await store.leaseOwner(theirs)).toBe(OWNER_B)
      })

      it('retires a chat only once it has ended and every event was delivered', async () => {
        const { chat } = await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)
        expect(await store.retireChat(chat.chatId, OWNER_A)).toBe(false) // still open
        await store.requestEnd(chat.chatId, 'visitor', Date.now())
        expect(await store.retireChat(chat.chatId, OWNER_A)).toBe(false) // chat.ended not delivered
        await store.ackWebhook(chat.chatId, 1)
        expect(await store.retireChat(chat.chatId, OWNER_B)).toBe(false) // not B's
        const activeBefore = await store.activeChatCount()
        expect(await store.retireChat(chat.chatId, OWNER_A)).toBe(true)
        expect(await store.activeChatCount()).toBe(activeBefore - 1)
        expect(await store.leaseOwner(chat.chatId)).toBeUndefined()
        expect(await store.acquireLeases(OWNER_B, LEASE_TTL_MS, 100)).not.toContain(chat.chatId)
        expect((await store.getChat(chat.chatId))?.state).toBe('ended')
      })
    })

    describe('retention', () => {
      it('purges retired chats that ended before the cutoff, and keeps the others', async () => {
        const old = (await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)).chat.chatId
        const open = (await store.createChat(newChat(), OWNER_A, LEASE_TTL_MS)).chat.chatId
        await store.enqueueVisitorMessage(old, 'm1', 'x')
        await store.requestEnd(old, 'visitor', Date.now() - 10_000)
        await store.ackWebhook(old, 1)
        await store.retireChat(old, OWNER_A)
        expect(await store.purgeEnded(Date.now() - 20_000, 100)).toBe(0)
        expect(await store.purgeEnded(Date.now(), 100)).toBe(1)
        expect(await store.getChat(old)).toBeUndefined()
        expect(await store.readOutbox(old, 0, 10)).toEqual([])
        expect(await store.getChat(open)).toBeDefined()
      })

      it('remembers a replay key once within its time to live', async () => {
        const now = Date.now()
        expect(await store.rememberOnce('sig-1', SHORT_TTL_MS, now)).toBe(true)
        expect(await store.rememberOnce('sig-1', SHORT_TTL_MS, now)).toBe(false)
        expect(await store.rememberOnce('sig-2', SHORT_TTL_MS, now)).toBe(true)
        await sleep(SHORT_TTL_MS + 50)
        expect(await store.rememberOnce('sig-1', SHORT_TTL_MS, Date.now())).toBe(true)
      })
    })

    describe('notes', () => {
      it('delivers published notes to subscribers', async () => {
        const received: StoreNote[] = []
        store.subscribe((note) => received.push(note))
        await sleep(50) // Redis: let the subscription start
        await store.publish({ kind: 'typing', chatId: 'chat_x', typing: true })
        for (let i = 0; i < 50 && received.length === 0; i += 1) await sleep(20)
        expect(received).toEqual([{ kind: 'typing', chatId: 'chat_x', typing: true }])
      })
    })
  })
}
