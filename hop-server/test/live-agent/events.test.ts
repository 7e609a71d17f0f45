import { describe, expect, it } from '@jest/globals'
import { KNOWN_EVENT_TYPES, messagesEnvelopeSchema, parseEvent } from '../../src/backends/live-agent/index.js'

describe('parseEvent', () => {
  it('parses the observed real batch (§6) into typed events, keeping unknown fields', () => {
    const raw = [
      {
        type: 'ChatRequestSuccess',
        message: {
          connectionTimeout: 150000,
          estimatedWaitTime: 9,
          queuePosition: 1,
          visitorId: 'e5c7',
          geoLocation: { countryCode: 'MX', latitude: 19.43 },
          sensitiveDataRules: [],
          transcriptSaveEnabled: false,
        },
      },
      { type: 'QueueUpdate', message: { estimatedWaitTime: 0, position: 0 } },
      {
        type: 'ChatEstablished',
        message: { name: 'Agent G', userId: '0053g000000usWa', items: [], sneakPeekEnabled: false },
      },
      { type: 'ChatMessage', message: { text: 'Ok', name: 'Agent G', schedule: { responseDelayMilliseconds: 0 } } },
      { type: 'ChatEnded', message: { attachedRecords: [], reason: 'agent' } },
    ].map(parseEvent)

    expect(raw.map((e) => e.type)).toEqual([
      'ChatRequestSuccess',
      'QueueUpdate',
      'ChatEstablished',
      'ChatMessage',
      'ChatEnded',
    ])
    const success = raw[0]
    if (success?.type !== 'ChatRequestSuccess') throw new Error('expected ChatRequestSuccess')
    expect(success.message.connectionTimeout).toBe(150000)
    expect(success.message.geoLocation).toEqual({ countryCode: 'MX', latitude: 19.43 })
    const message = raw[3]
    if (message?.type !== 'ChatMessage') throw new Error('expected ChatMessage')
    expect(message.message.text).toBe('Ok')
    expect(message.message.schedule).toEqual({ responseDelayMilliseconds: 0 })
  })

  it('knows every documented and undocumented type of the notes', () => {
    for (const type of [
      'ChatRequestSuccess',
      'ChatRequestFail',
      'QueueUpdate',
      'ChatEstablished',
      'ChatMessage',
      'AgentTyping',
      'AgentNotTyping',
      'AgentDisconnect',
      'ChatTransferred',
      'ChatEnded',
      'CustomEvent',
      'NewVisitorBreadcrumb',
      'ChasitorSessionData',
      'SensitiveDataRules',
      'ReconnectSession',
      'SwitchServer',
      'TransferToButtonInitiated',
      'ChatResumedAfterTransfer',
      'FileTransfer',
      'RichMessage',
      'AgentJoinedConference',
      'AgentLeftConference',
      'AsyncResult',
    ]) {
      expect(KNOWN_EVENT_TYPES).toContain(type)
    }
  })

  it('accepts numbers sent as numeric strings and field-less events without a message', () => {
    const update = parseEvent({ type: 'QueueUpdate', message: { position: '3', estimatedWaitTime: '-1' } })
    expect(update).toEqual({ type: 'QueueUpdate', message: { position: 3, estimatedWaitTime: -1 } })
    expect(parseEvent({ type: 'AgentDisconnect' })).toEqual({ type: 'AgentDisconnect', message: {} })
    expect(parseEvent({ type: 'AgentTyping', message: null })).toEqual({ type: 'AgentTyping', message: {} })
  })

  it('accepts attachedRecords as a string or an array', () => {
    expect(parseEvent({ type: 'ChatEnded', message: { reason: 'agent', attachedRecords: '["500x"]' } }).type).toBe(
      'ChatEnded'
    )
    expect(
      parseEvent({ type: 'ChatEnded', message: { reason: 'agent', attachedRecords: [{ fieldName: 'CaseId' }] } }).type
    ).toBe('ChatEnded')
  })

  it('turns an unknown type into an unknown event that keeps the payload', () => {
    expect(parseEvent({ type: 'HologramCall', message: { x: 1 } })).toEqual({
      type: 'unknown',
      originalType: 'HologramCall',
      message: { x: 1 },
      issue: 'unknown event type HologramCall',
    })
  })

  it('turns a known type with wrong field types into an unknown event naming the field', () => {
    const event = parseEvent({ type: 'ChatMessage', message: { text: 42, name: 'A' } })
    expect(event.type).toBe('unknown')
    if (event.type !== 'unknown') throw new Error('expected unknown')
    expect(event.originalType).toBe('ChatMessage')
    expect(event.issue).toMatch(/^ChatMessage: text: /)
    expect(event.message).toEqual({ text: 42, name: 'A' })
  })

  it('never throws on garbage elements', () => {
    for (const raw of [null, 3, 'x', [], { message: {} }, { type: 7 }, { type: 'ChatMessage', message: 'hi' }]) {
      expect(parseEvent(raw).type).toBe('unknown')
    }
  })

  it('does not treat inherited object keys as event types', () => {
    expect(parseEvent({ type: 'toString', message: {} }).type).toBe('unknown')
    expect(parseEvent({ type: '__proto__', message: {} }).type).toBe('unknown')
  })
})

describe('messagesEnvelopeSchema', () => {
  it('requires an array of messages and an integer sequence; offset is optional', () => {
    expect(messagesEnvelopeSchema.safeParse({ messages: [], sequence: 3 }).success).toBe(true)
    expect(messagesEnvelopeSchema.parse({ messages: [], sequence: '4', offset: '97391055' })).toMatchObject({
      sequence: 4,
      offset: 97391055,
    })
    expect(messagesEnvelopeSchema.safeParse({ messages: {}, sequence: 3 }).success).toBe(false)
    expect(messagesEnvelopeSchema.safeParse({ messages: [], sequence: 'x' }).success).toBe(false)
    expect(messagesEnvelopeSchema.safeParse({ messages: [], sequence: 1.5 }).success).toBe(false)
    expect(messagesEnvelopeSchema.safeParse({ messages: [] }).success).toBe(false)
  })
})
