import { describe, expect, it } from '@jest/globals'
import { parseEvent, type LiveAgentEvent } from '../../src/backends/live-agent/index.js'
import { bridgeEventsOf, endOfSession } from '../../src/backends/live-agent/bridge-events.js'
import { translateBatch as translateBridgeEvents, type ChatSnapshot } from '../../src/pump/translate.js'

const AT = Date.parse('2026-11-24T10:00:00.000Z')
const events = (...raw: { type: string; message?: object }[]): LiveAgentEvent[] => raw.map((e) => parseEvent(e))
// The Live Agent backend's words for the events, then the pump's rules: the whole path of a batch.
const translateBatch = (batch: LiveAgentEvent[], snapshot: ChatSnapshot, at: number) =>
  translateBridgeEvents(bridgeEventsOf(batch), snapshot, at)
const ANDY = { name: 'Andy', userId: '005000000000001' }

describe('translating Live Agent batches into webhook events', () => {
  it('maps the happy path: queued, joined, message, typing, ended', () => {
    const result = translateBatch(
      events(
        { type: 'ChatRequestSuccess', message: { queuePosition: 2, estimatedWaitTime: 30 } },
        { type: 'QueueUpdate', message: { position: 1, estimatedWaitTime: -1 } },
        { type: 'ChatEstablished', message: ANDY },
        { type: 'AgentTyping', message: {} },
        { type: 'ChatMessage', message: { text: 'Hi', name: 'Andy', agentId: ANDY.userId } },
        { type: 'ChatEnded', message: { reason: 'agent' } }
      ),
      { state: 'connecting', progress: {} },
      AT
    )
    expect(result.events.map((e) => [e.type, e.data])).toEqual([
      ['chat.queued', { position: 2, estimatedWaitTime: 30 }],
      ['chat.queued', { position: 1 }],
      ['agent.joined', { agent: { id: ANDY.userId, name: 'Andy' } }],
      ['agent.typing', { typing: true }],
      ['agent.message', { text: 'Hi', agent: { id: ANDY.userId, name: 'Andy' } }],
      ['chat.ended', { reason: 'agent' }],
    ])
    expect(result.events.every((e) => e.at === '2026-11-24T10:00:00.000Z')).toBe(true)
    expect(result.state).toEqual({ state: 'ended', endReason: 'agent' })
    expect(result.agentMessages).toBe(1)
  })

  it('keeps only the last of consecutive typing events, and ignores queue updates once an agent is there', () => {
    const result = translateBatch(
      events(
        { type: 'AgentTyping' },
        { type: 'AgentNotTyping' },
        { type: 'QueueUpdate', message: { position: 3 } },
        { type: 'AgentDisconnect' },
        { type: 'SomethingNew', message: { x: 1 } }
      ),
      { state: 'agent', progress: { agent: { id: ANDY.userId, name: 'Andy' } } },
      AT
    )
    expect(result.events.map((e) => [e.type, e.data])).toEqual([['agent.typing', { typing: false }]])
    expect(result.state).toBeUndefined()
  })

  it('reports transfers with the new agent, and drops what follows the end', () => {
    const result = translateBatch(
      events(
        { type: 'ChatTransferred', message: { name: 'Bea', userId: '005000000000002' } },
        { type: 'ChatMessage', message: { text: 'Bea here', name: 'Bea' } },
        { type: 'ChatRequestFail', message: { reason: 'Unavailable' } },
        { type: 'ChatMessage', message: { text: 'too late' } }
      ),
      { state: 'agent', progress: { agent: { id: ANDY.userId, name: 'Andy' } } },
      AT
    )
    expect(result.events.map((e) => [e.type, e.data])).toEqual([
      ['chat.transferred', { agent: { id: '005000000000002', name: 'Bea' } }],
      ['agent.message', { text: 'Bea here', agent: { id: '005000000000002', name: 'Bea' } }],
      ['chat.ended', { reason: 'no_agent', detail: 'Unavailable' }],
    ])
    expect(result.progress.agent).toEqual({ id: '005000000000002', name: 'Bea' })
  })

  it.each([
    ['client', { reason: 'visitor', detail: 'client' }],
    ['clientIdleTimeout', { reason: 'timeout', detail: 'clientIdleTimeout' }],
    ['agentsUnavailable', { reason: 'no_agent', detail: 'agentsUnavailable' }],
    ['NoPost', { reason: 'error', detail: 'NoPost' }],
    ['somethingElse', { reason: 'agent', detail: 'somethingElse' }],
  ])('maps ChatEnded reason %s', (reason, data) => {
    const result = translateBatch(
      events({ type: 'ChatEnded', message: { reason } }),
      { state: 'agent', progress: {} },
      AT
    )
    expect(result.events[0]?.data).toEqual(data)
  })

  it('ends sessions that are over without an event', () => {
    expect(endOfSession('session-invalid', undefined).endReason).toBe('timeout')
    expect(endOfSession('duplicate-poll', undefined).endReason).toBe('error')
  })
})
