// SimulatedChat on its own: each method is one protocol step, and the steps that make no sense are refused.
import { describe, expect, it } from '@jest/globals'
import { SimulatedChat, type PollReply } from '../src/simulated-chat.js'

const START = { orgId: '00D5g000004AbCd', buttonId: '5735g000000AbCd', visitorName: 'Ada', receiveQueueUpdates: false }
const AGENT = { name: 'Grace', userId: '005000000000001' }

function startedChat(): SimulatedChat {
  const chat = new SimulatedChat()
  chat.start(START)
  return chat
}

const idleReply = (): PollReply => ({
  batch: () => {},
  refuse: () => {},
  empty: () => {},
  destroy: () => {},
  onClientGone: () => {},
})

describe('SimulatedChat', () => {
  it('starts once, with what ChasitorInit said, and gives the visitor an id', () => {
    const chat = new SimulatedChat()
    expect(chat.started).toBe(false)
    chat.start(START)
    expect(chat.started).toBe(true)
    expect(chat.visitorId).toMatch(/^[0-9a-f-]{36}$/)
    expect(chat.toView()).toMatchObject({ state: 'waiting', buttonId: START.buttonId, visitorName: 'Ada' })
    expect(() => chat.start(START)).toThrow('has already started')
  })

  it('moves through the queue to an agent: waiting/queued by position, active once accepted', () => {
    const chat = startedChat()
    chat.routeTo('5735g000000XyZa', 1)
    expect(chat.toView()).toMatchObject({ state: 'waiting', buttonId: '5735g000000XyZa', queuePosition: 1 })
    chat.moveInQueue(3)
    expect(chat.toView()).toMatchObject({ state: 'queued', queuePosition: 3 })
    chat.moveInQueue(0)
    expect(chat.state).toBe('waiting')
    chat.acceptBy(AGENT)
    expect(chat.toView()).toMatchObject({ state: 'active', agent: 'Grace', agentId: AGENT.userId })
    expect(chat.toView().queuePosition).toBeUndefined()
    chat.transferTo({ name: 'Linus', userId: '005000000000002' })
    expect(chat.agent?.name).toBe('Linus')
  })

  it('clears typing and sneak peek when the visitor sends a message or the chat ends', () => {
    const chat = startedChat()
    chat.setSneakPeek('hel')
    expect(chat.toView()).toMatchObject({ visitorTyping: true, sneakPeek: 'hel' })
    chat.visitorSaid('hello')
    expect(chat.toView()).toMatchObject({ visitorTyping: false })
    expect(chat.toView().sneakPeek).toBeUndefined()
    expect(chat.transcript.map((entry) => [entry.from, entry.text])).toEqual([['visitor', 'hello']])
    chat.setVisitorTyping(true)
    chat.end('agent', true)
    expect(chat.toView()).toMatchObject({ state: 'ended', endReason: 'agent', visitorTyping: false })
    expect(chat.ended && chat.drainable).toBe(true)
    expect(chat.endedAt).toBeGreaterThan(0)
  })

  it('judges X-LIVEAGENT-SEQUENCE: only the next number is accepted, a lower one is a repeat, a higher one a gap', () => {
    const chat = startedChat()
    expect(chat.sequenceStanding(1)).toBe('next')
    expect(chat.sequenceStanding(2)).toBe('gap')
    expect(() => chat.acceptSequence(2)).toThrow('not the next')
    chat.acceptSequence(1)
    expect(chat.lastSequence).toBe(1)
    expect(chat.sequenceStanding(1)).toBe('repeat')
    expect(chat.sequenceStanding(2)).toBe('next')
    expect(() => chat.acceptSequence(1)).toThrow('not the next')
  })

  it('delivers every event after the ack in one batch, numbered by its last event, and forgets what was acked', () => {
    const chat = startedChat()
    expect(chat.batchAfter(-1)).toBeUndefined()
    chat.append('ChatRequestSuccess', {})
    chat.append('ChatEstablished', {})
    const batch = chat.batchAfter(-1)!
    expect(batch.messages.map((event) => event.type)).toEqual(['ChatRequestSuccess', 'ChatEstablished'])
    expect(batch.sequence).toBe(1)
    expect(batch.offset).toBe(chat.offsetBase + 1)
    expect(chat.maxDeliveredSeq).toBe(1)
    chat.acknowledge(0)
    expect(chat.pendingEvents).toBe(1)
    expect(chat.batchAfter(0)!.messages.map((event) => event.type)).toEqual(['ChatEstablished'])
    chat.acknowledge(1)
    expect(chat.pendingEvents).toBe(0)
    expect(chat.batchAfter(1)).toBeUndefined()
    expect(chat.append('ChatMessage', {})).toBe(2)
  })

  it('walks a server hand-over: new token, 503 standing for the old one, reconnect restarts the sequence, resync ends it', () => {
    const chat = startedChat()
    chat.acceptSequence(1)
    const before = chat.affinity
    expect(chat.reconnect()).toBe('nothing-pending')
    expect(chat.startHandover()).toBe(true)
    expect(chat.startHandover()).toBe(false) // already under way
    expect(chat.affinity).not.toBe(before)
    expect(chat.affinityStanding(before)).toBe('former')
    expect(chat.affinityStanding(chat.affinity)).toBe('current')
    expect(chat.affinityStanding('0badc0de')).toBe('unknown')
    expect(chat.affinityStanding(undefined)).toBe('unknown')
    expect(chat.handoverPending).toBe(true)

    expect(chat.reconnect()).toBe('reconnected')
    expect(chat).toMatchObject({ handoverPending: false, resyncPending: true, lastSequence: 0 })
    chat.acceptSequence(1)
    expect(chat.reconnect()).toBe('repeated') // a client that lost the answer: the sequence restarts again
    expect(chat.lastSequence).toBe(0)
    chat.finishResync()
    expect(chat.resyncPending).toBe(false)
    expect(chat.reconnect()).toBe('nothing-pending')
  })

  it('starts no hand-over once ended', () => {
    const chat = startedChat()
    chat.end('agent', true)
    expect(chat.startHandover()).toBe(false)
    expect(chat.handoverPending).toBe(false)
  })

  it('holds one poll at a time; releasing it restarts the expiry clock', () => {
    const chat = startedChat()
    const timer = setTimeout(() => {}, 0)
    clearTimeout(timer)
    const poll = { reply: idleReply(), ack: -1, timer }
    const openedAt = chat.lastPollEndAt
    chat.hold(poll)
    expect(chat.toView().pollOpen).toBe(true)
    expect(() => chat.hold({ ...poll })).toThrow('already holds a poll')
    expect(chat.release()).toBe(poll)
    expect(chat.release()).toBeUndefined()
    expect(chat.toView().pollOpen).toBe(false)
    expect(chat.lastPollEndAt).toBeGreaterThanOrEqual(openedAt)
  })

  it('keeps the recorded acks, pcs and sequences bounded', () => {
    const chat = startedChat()
    for (let i = 0; i < 1005; i++) {
      chat.recordPoll(i, i)
      chat.recordSequence(i)
    }
    chat.recordPoll(null, undefined)
    const view = chat.toView()
    expect(view.acks).toHaveLength(1000)
    expect(view.acks.at(-1)).toBeNull()
    expect(view.pcs).toHaveLength(1000)
    expect(view.sequences[0]).toBe(5)
  })

  it('hands out snapshots: changing a view changes nothing', () => {
    const chat = startedChat()
    chat.visitorSaid('hi')
    const view = chat.toView()
    view.transcript[0]!.text = 'changed'
    view.acks.push(7)
    expect(chat.toView().transcript[0]!.text).toBe('hi')
    expect(chat.toView().acks).toEqual([])
  })
})
