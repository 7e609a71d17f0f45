// The scripted agents (echo, queue, unavailable) and a transfer, as an Enhanced Chat guest sees them on the stream.
import { afterEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer, type MockServerOptions } from '../src/index.js'
import { names, parseData, payloadOf, RawGuest, type SseEvent } from './support/raw-enhanced.js'

const FAST = { acceptDelayMs: 10, replyDelayMs: 10, queueStepMs: 10 } satisfies MockServerOptions
const is = (name: string) => (e: SseEvent) => e.event === name
const byAgent = (e: SseEvent) =>
  e.event === 'CONVERSATION_MESSAGE' && parseData(e).conversationEntry.sender.role === 'Agent'
const text = (e: SseEvent) => payloadOf(e).abstractMessage.staticContent.text as string

describe('Enhanced Chat scripted agents', () => {
  let mock: MockServer | undefined
  let guest: RawGuest | undefined

  afterEach(async () => {
    guest?.closeStreams()
    await mock?.close()
    mock = undefined
  })

  async function start(options: MockServerOptions) {
    mock = await startMockServer({ ...FAST, ...options })
    guest = new RawGuest(mock)
    await guest.getToken()
    const stream = await guest.stream()
    const { id } = await guest.createConversation()
    return { id, stream, guest }
  }

  it('echo: joins, echoes live messages but not the bot transcript, and ends the session on "bye"', async () => {
    const { id, stream, guest: g } = await start({ scenario: 'echo' })
    await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'))
    expect((await g.send(id, 'Bot transcript:\nCustomer: hi\nBot: Hello!')).status).toBe(202)
    expect((await g.send(id, '[10:01 UTC] Visitor: I need a human')).status).toBe(202)
    expect((await g.send(id, 'Where is my parcel?')).status).toBe(202)
    const [echo] = await stream.waitFor(byAgent)
    expect(text(echo!)).toBe('Echo: Where is my parcel?')
    expect((await g.send(id, 'bye')).status).toBe(202)
    await stream.waitFor((e) => is('CONVERSATION_SESSION_STATUS_CHANGED')(e) && payloadOf(e).sessionStatus === 'Ended')
    expect(stream.conversationEvents.filter(byAgent).map(text)).toEqual(['Echo: Where is my parcel?', 'Echo: bye'])
    expect(mock!.enhanced.conversation(id)).toMatchObject({ state: 'ended', endReason: 'agent', closed: false })
  })

  it('queue: QUEUE_POSITION 3, 2, 1, then the agent joins', async () => {
    const { stream } = await start({ scenario: 'queue' })
    await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'))
    const positions = stream.conversationEvents
      .filter(is('CONVERSATION_QUEUE_POSITION'))
      .map((e) => payloadOf(e).position)
    expect(positions).toEqual([3, 2, 1])
    const [routing] = stream.conversationEvents.filter(is('CONVERSATION_ROUTING_RESULT'))
    expect(payloadOf(routing!).estimatedWaitTime).toEqual({ estimatedWaitTimeInSeconds: null, isEWTRequested: false })
  })

  it('queue with queueInfo waitTime: an estimated wait in ROUTING_RESULT and no QUEUE_POSITION events', async () => {
    const { stream } = await start({ scenario: 'queue', queueInfo: 'waitTime' })
    await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'))
    expect(names(stream.events)).not.toContain('CONVERSATION_QUEUE_POSITION')
    const [routing] = stream.conversationEvents.filter(is('CONVERSATION_ROUTING_RESULT'))
    expect(payloadOf(routing!).estimatedWaitTime).toEqual({ estimatedWaitTimeInSeconds: 180, isEWTRequested: true })
  })

  it('unavailable: routing fails (RoutingError) and no agent ever joins', async () => {
    const { id, stream, guest: g } = await start({ scenario: 'unavailable' })
    const [routing] = await stream.waitFor(is('CONVERSATION_ROUTING_RESULT'))
    expect(payloadOf(routing!)).toMatchObject({ failureType: 'RoutingError' })
    expect((await g.call('GET', `/conversation/${id}`)).json()).toMatchObject({ routingStatus: 'NEEDS_ROUTING' })
    expect(mock!.enhanced.conversation(id)).toMatchObject({ state: 'ended', endReason: 'routingFailed' })
  })

  it('manual transfer: remove(old agent) → ROUTING_RESULT Transfer with routing status TRANSFER → add(new agent)', async () => {
    const { id, stream, guest: g } = await start({ scenario: 'manual', acceptDelayMs: 200 })
    mock!.enhanced.accept(id, { agentName: 'First Agent' })
    mock!.enhanced.transfer(id, 'Second Agent')
    // Until the next agent joins (acceptDelayMs later), the conversation is in transfer.
    expect(mock!.enhanced.conversation(id)).toMatchObject({ routingStatus: 'TRANSFER', state: 'waiting' })
    const changes = await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'), 3)
    expect(changes.map((e) => [payloadOf(e).entries[0].operation, payloadOf(e).entries[0].displayName])).toEqual([
      ['add', 'First Agent'],
      ['remove', 'First Agent'],
      ['add', 'Second Agent'],
    ])
    const transfer = stream.conversationEvents.filter(is('CONVERSATION_ROUTING_RESULT')).at(-1)!
    expect(payloadOf(transfer)).toMatchObject({ routingType: 'Transfer', failureType: 'None' })
    expect(names(stream.events).slice(-3)).toEqual([
      'CONVERSATION_PARTICIPANT_CHANGED',
      'CONVERSATION_ROUTING_RESULT',
      'CONVERSATION_PARTICIPANT_CHANGED',
    ])
    expect((await g.call('GET', `/conversation/${id}`)).json()).toMatchObject({ routingStatus: 'ROUTED' })
    expect(mock!.enhanced.conversation(id)).toMatchObject({ state: 'active', agent: 'Second Agent' })
  })

  it('waitFor resolves on a matching change, and rejects at once when the server closes', async () => {
    mock = await startMockServer({ scenario: 'manual' })
    const server = mock
    guest = new RawGuest(server)
    await guest.getToken()
    const joined = server.enhanced.waitFor((c) => c.state === 'active')
    const { id } = await guest.createConversation()
    server.enhanced.accept(id)
    expect(await joined).toMatchObject({ id, state: 'active' })
    const never = server.enhanced.waitFor((c) => c.closed, 60_000)
    await server.close()
    await expect(never).rejects.toThrow('closed')
  })
})
