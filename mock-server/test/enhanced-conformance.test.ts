// Conformance walk of the Enhanced Chat simulator over raw HTTP: the happy path of a guest conversation from token to
// close, as Salesforce's sample app and captured traffic show it (docs/enhanced-chat-protocol.md).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { names, payloadOf, parseData, RawGuest, type SseEvent, type Loose } from './support/raw-enhanced.js'

const is = (name: string) => (e: SseEvent) => e.event === name
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('Enhanced Chat conformance walk (raw HTTP)', () => {
  let mock: MockServer
  let guest: RawGuest

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', ssePingMs: 200 })
  })
  afterEach(() => {
    guest?.closeStreams()
    mock.enhanced.reset()
  })
  afterAll(() => mock.close())

  it('token → stream → create → routing → agent joins → messages both ways → typing → acks → agent ends → new session → close', async () => {
    guest = new RawGuest(mock)
    const token = await guest.getToken()
    // A signed JWT (three parts) whose payload names the guest identity and the 15-character org id.
    const parts = token.accessToken.split('.')
    expect(parts).toHaveLength(3)
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
    expect(claims).toMatchObject({ apiVersion: 'v2', orgId: guest.orgId15, sub: token.context.endUser.subject })
    expect(claims.exp).toEqual(expect.any(Number))
    expect(token.context.endUser.subject).toMatch(/^v2\/iamessage\/UNAUTH\/NA\/uid:/)
    expect(token.lastEventId).toMatch(/^\d+$/)
    expect(token.context.configuration.embeddedServiceConfig.name).toBe(guest.deployment)

    const stream = await guest.stream()
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/)

    // Create: 201 with an empty body; unknown pre-chat keys are dropped silently.
    const { id, res } = await guest.createConversation({
      routingAttributes: { _firstName: 'Ada', _lastName: 'Lovelace', _email: 'ada@example.com', Unknown_Field: 'x' },
    })
    expect(res.status).toBe(201)
    expect(res.text).toBe('')
    expect(mock.enhanced.conversation(id)!.routingAttributes).toEqual({
      _firstName: 'Ada',
      _lastName: 'Lovelace',
      _email: 'ada@example.com',
    })
    const [routing] = await stream.waitFor(is('CONVERSATION_ROUTING_RESULT'))
    expect(payloadOf(routing!)).toMatchObject({
      entryType: 'RoutingResult',
      routingType: 'Initial',
      failureType: 'None',
    })
    expect(names(stream.events)).toEqual(['CONVERSATION_SESSION_STATUS_CHANGED', 'CONVERSATION_ROUTING_RESULT'])
    expect(payloadOf(stream.conversationEvents[0]!)).toMatchObject({
      sessionStatus: 'Waiting',
      sessionStatusPrev: 'New',
    })
    expect((await guest.call('GET', `/conversation/${id}`)).json()).toEqual({
      conversationId: id,
      routingStatus: 'ROUTED',
    })

    // Queue position while waiting, then the agent joins.
    mock.enhanced.queueUpdate(id, 2)
    const [queue] = await stream.waitFor(is('CONVERSATION_QUEUE_POSITION'))
    expect(payloadOf(queue!)).toMatchObject({ entryType: 'QueuePosition', position: 2 })
    mock.enhanced.accept(id, { agentName: 'Jane Agent' })
    const [joined] = await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'))
    const joinedData = parseData(joined!)
    expect(joinedData.conversationEntry.sender.role).toBe('System')
    expect(payloadOf(joined!).entries[0]).toMatchObject({
      operation: 'add',
      displayName: 'Jane Agent',
      participant: { role: 'Agent', appType: 'agent', subject: expect.stringMatching(/^005/) },
    })
    await stream.waitFor((e) => is('CONVERSATION_SESSION_STATUS_CHANGED')(e) && payloadOf(e).sessionStatus === 'Active')

    // Agent → guest: a message whose entryPayload is a JSON string.
    mock.enhanced.agentTyping(id, true)
    mock.enhanced.agentMessage(id, 'Hi, how can I help?')
    mock.enhanced.agentTyping(id, false)
    const [agentMessage] = await stream.waitFor(is('CONVERSATION_MESSAGE'))
    const data = parseData(agentMessage!)
    expect(data).toMatchObject({ conversationId: id, channelType: 'embedded_messaging' })
    expect(typeof data.conversationEntry.entryPayload).toBe('string')
    expect(data.conversationEntry).toMatchObject({ senderDisplayName: 'Jane Agent', sender: { role: 'Agent' } })
    expect(payloadOf(agentMessage!).abstractMessage).toMatchObject({
      messageType: 'StaticContentMessage',
      staticContent: { formatType: 'Text', text: 'Hi, how can I help?' },
    })
    await stream.waitFor(is('CONVERSATION_TYPING_STOPPED_INDICATOR'))
    expect(names(stream.events).slice(-3)).toEqual([
      'CONVERSATION_TYPING_STARTED_INDICATOR',
      'CONVERSATION_MESSAGE',
      'CONVERSATION_TYPING_STOPPED_INDICATOR',
    ])

    // Guest → agent: 202 with the entry; echoed on the stream as EndUser, then the agent's receipts.
    const typing = await guest.call('POST', `/conversation/${id}/entry`, {
      entryType: 'TypingStartedIndicator',
      id: crypto.randomUUID(),
    })
    expect(typing.status).toBe(202)
    expect(mock.enhanced.conversation(id)!.visitorTyping).toBe(true)
    const sent = await guest.send(id, 'My order 1042 is late')
    expect(sent.status).toBe(202)
    const [entry] = sent.json<{ conversationEntries: { id: string; clientTimestamp: number }[] }>().conversationEntries
    expect(entry).toEqual({ id: expect.any(String), clientTimestamp: expect.any(Number) })
    const echoes = await stream.waitFor(
      (e) => is('CONVERSATION_MESSAGE')(e) && parseData(e).conversationEntry.sender.role === 'EndUser'
    )
    expect(payloadOf(echoes[0]!).abstractMessage.staticContent.text).toBe('My order 1042 is late')
    expect(parseData(echoes[0]!).conversationEntry.identifier).toBe(entry!.id)
    const [delivered] = await stream.waitFor(is('CONVERSATION_DELIVERY_ACKNOWLEDGEMENT'))
    await stream.waitFor(is('CONVERSATION_READ_ACKNOWLEDGEMENT'))
    expect(payloadOf(delivered!).conversationEntryId).toBe(entry!.id)
    expect(mock.enhanced.conversation(id)!.visitorTyping).toBe(false)

    // The guest acknowledges the agent's message.
    const agentEntryId = data.conversationEntry.identifier
    const acks = await guest.call('POST', `/conversation/${id}/acknowledge-entries`, {
      acks: [{ id: crypto.randomUUID(), entryType: 'Read', conversationEntryId: agentEntryId }],
    })
    expect(acks.status).toBe(202)
    expect(mock.enhanced.conversation(id)!.acks).toEqual([{ conversationEntryId: agentEntryId, entryType: 'Read' }])

    // Entries: the same entries, payload as an object here.
    const list = await guest.call('GET', `/conversation/${id}/entries?limit=50&entryTypeFilter=Message`)
    const listed = list.json<{
      conversationEntries: { entryPayload: Record<string, Loose>; sender: { role: string } }[]
    }>()
    expect(
      listed.conversationEntries.map((e) => [e.sender.role, e.entryPayload.abstractMessage.staticContent.text])
    ).toEqual([
      ['Agent', 'Hi, how can I help?'],
      ['EndUser', 'My order 1042 is late'],
    ])

    // The agent ends: participant removed + session Ended, routing status NEEDS_ROUTING, and no close event.
    mock.enhanced.endChat(id)
    const ended = await stream.waitFor(
      (e) => is('CONVERSATION_SESSION_STATUS_CHANGED')(e) && payloadOf(e).sessionStatus === 'Ended'
    )
    expect(payloadOf(ended[0]!)).toMatchObject({ sessionStatusPrev: 'Active', sessionEndedByRole: 'Agent' })
    expect(names(stream.events).slice(-2)).toEqual([
      'CONVERSATION_PARTICIPANT_CHANGED',
      'CONVERSATION_SESSION_STATUS_CHANGED',
    ])
    expect(payloadOf(stream.conversationEvents.at(-2)!).entries[0]).toMatchObject({ operation: 'remove' })
    expect((await guest.call('GET', `/conversation/${id}`)).json()).toMatchObject({ routingStatus: 'NEEDS_ROUTING' })
    expect(names(stream.events)).not.toContain('CONVERSATION_CLOSE_CONVERSATION')

    // A message after the end: 417, unless the client asks for a new messaging session (routed again).
    expect((await guest.send(id, 'hello?')).status).toBe(417)
    expect(mock.enhanced.conversation(id)!.transcript.map((t) => t.text)).not.toContain('hello?')
    const again = await guest.send(id, 'One more question', { isNewMessagingSession: true })
    expect(again.status).toBe(202)
    await stream.waitFor(is('CONVERSATION_ROUTING_RESULT'), 2)
    expect(mock.enhanced.conversation(id)).toMatchObject({ sessions: 2, state: 'waiting', sessionStatus: 'Waiting' })

    // The guest closes the conversation: 204, session ended by the end user, then the close event.
    const closed = await guest.call('DELETE', `/conversation/${id}?esDeveloperName=${guest.deployment}`)
    expect(closed.status).toBe(204)
    const [close] = await stream.waitFor(is('CONVERSATION_CLOSE_CONVERSATION'))
    expect(payloadOf(close!)).toMatchObject({ entryType: 'CloseConversation', conversationIdentifier: id })
    expect(mock.enhanced.conversation(id)).toMatchObject({ closed: true, state: 'ended' })
    const conversations = await guest.call('GET', '/conversation/list?inclClosedConvs=true')
    expect(conversations.json()).toMatchObject({ openConversationsFound: 0, closedConversationsFound: 1 })

    // Keep-alives: `ping` events without ids; every other event has a numeric id, increasing.
    const pings = await stream.waitFor(is('ping'), 2)
    expect(pings.every((p) => p.id === undefined && /^\d+$/.test(p.data))).toBe(true)
    const ids = stream.conversationEvents.map((e) => Number(e.id))
    expect(ids.every((n, i) => Number.isInteger(n) && (i === 0 || n > ids[i - 1]!))).toBe(true)
    expect(Number(stream.conversationEvents[0]!.id)).toBeGreaterThan(Number(token.lastEventId))
    expect(id).toMatch(UUID)
  })

  it('carries every conversation of the identity on its one stream, and another identity sees none of them', async () => {
    guest = new RawGuest(mock)
    await guest.getToken()
    const stream = await guest.stream()
    const other = new RawGuest(mock)
    await other.getToken()
    const otherStream = await other.stream()
    const first = await guest.createConversation()
    const second = await guest.createConversation()
    await stream.waitFor(is('CONVERSATION_ROUTING_RESULT'), 2)
    expect(new Set(stream.conversationEvents.map((e) => parseData(e).conversationId))).toEqual(
      new Set([first.id, second.id])
    )
    const own = await other.createConversation()
    await otherStream.waitFor(is('CONVERSATION_ROUTING_RESULT'))
    expect(otherStream.conversationEvents.every((e) => parseData(e).conversationId === own.id)).toBe(true)
    expect(stream.conversationEvents.some((e) => parseData(e).conversationId === own.id)).toBe(false)
    other.closeStreams()
  })

  it('replays everything since the token when the stream opens after the conversation started', async () => {
    guest = new RawGuest(mock)
    await guest.getToken()
    const { id } = await guest.createConversation()
    mock.enhanced.accept(id)
    mock.enhanced.agentMessage(id, 'Are you there?')
    const stream = await guest.stream(guest.token.lastEventId)
    await stream.waitFor(is('CONVERSATION_MESSAGE'))
    expect(names(stream.events)).toEqual([
      'CONVERSATION_SESSION_STATUS_CHANGED',
      'CONVERSATION_ROUTING_RESULT',
      'CONVERSATION_PARTICIPANT_CHANGED',
      'CONVERSATION_SESSION_STATUS_CHANGED',
      'CONVERSATION_MESSAGE',
    ])
  })
})
