import { describe, expect, it } from '@jest/globals'
import { isBotTranscript } from '@liveagent-hop/mock-server'
import { splitText, transcriptFieldValue, transcriptMessages } from '../../src/chats/transcript.js'
import { chasitorInitParams } from '../../src/backends/live-agent/chasitor-init.js'
import { postIdsOf } from '../../src/backends/live-agent/conversation.js'
import { outboxPositionIn } from '../../src/pump/chat-pump.js'
import { resolveConfig } from '../../src/config.js'
import type { ChatRecord, TranscriptLine } from '../../src/store/types.js'
import type { SessionCursor } from '../../src/backends/live-agent/index.js'

const LINES: TranscriptLine[] = [
  { role: 'visitor', text: 'Where is my order?', at: '2026-11-24T10:00:00.000Z' },
  { role: 'bot', text: 'Let me check.' },
  { role: 'agent', text: 'Andy here, it ships today.', at: '2026-11-24T10:03:00.000Z' },
]

describe('transcript delivery', () => {
  it('builds one summary, or one message per line, or nothing', () => {
    expect(transcriptMessages(LINES, 'summary', 4000)).toEqual([
      'Conversation with the bot before the hand-off:\n[10:00 UTC] Visitor: Where is my order?\nBot: Let me check.\n[10:03 UTC] Previous agent: Andy here, it ships today.',
    ])
    expect(transcriptMessages(LINES, 'messages', 4000)).toEqual([
      '[10:00 UTC] Visitor: Where is my order?',
      'Bot: Let me check.',
      '[10:03 UTC] Previous agent: Andy here, it ships today.',
    ])
    expect(transcriptMessages(LINES, 'none', 4000)).toEqual([])
    expect(transcriptMessages([], 'summary', 4000)).toEqual([])
  })

  it('splits long text at line breaks, then spaces, never above the limit', () => {
    expect(splitText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc'])
    expect(splitText('line one\nline two', 12)).toEqual(['line one', 'line two'])
    expect(splitText('x'.repeat(10), 4)).toEqual(['xxxx', 'xxxx', 'xx'])
    const long = transcriptMessages(
      Array.from({ length: 50 }, (_, i) => ({ role: 'bot' as const, text: `line ${i} `.repeat(5) })),
      'summary',
      200
    )
    expect(long.length).toBeGreaterThan(1)
    expect(long.every((part) => part.length <= 200)).toBe(true)
  })

  it('keeps the latest part of a transcript that is too long for a field', () => {
    const value = transcriptFieldValue(
      Array.from({ length: 100 }, (_, i) => ({ role: 'bot' as const, text: `message ${i}` })),
      100
    )
    expect(value).toHaveLength(100)
    expect(value.startsWith('…')).toBe(true)
    expect(value.endsWith('Bot: message 99')).toBe(true)
  })
})

describe('ChasitorInit parameters', () => {
  const config = resolveConfig({ tenants: { t: 'secret-0123456789abcdef' } })
  const chat = (delivery: ChatRecord['request']['transcriptDelivery']): ChatRecord => ({
    chatId: 'chat_x',
    tenant: 't',
    conversationId: 'c',
    state: 'connecting',
    progress: {},
    createdAt: 0,
    request: {
      conversationId: 'c',
      webhookUrl: 'https://webhook.botpress.cloud/x',
      liveAgent: {
        endpoint: 'https://d.la1.salesforceliveagent.com/chat',
        organizationId: '00D5g000004AbCd',
        deploymentId: '5725g000000AbCd',
        buttonId: '5735g000000AbCd',
        apiVersion: '63',
        buttonOverrides: ['5735g000000YYYY'],
      },
      visitor: { name: 'Ada', language: 'fr-FR' },
      prechatDetails: [
        { label: 'Email', value: 'ada@example.com', transcriptFields: ['Email__c'], displayToAgent: true },
      ],
      prechatEntities: [],
      transcript: LINES,
      transcriptDelivery: delivery,
    },
  })

  it('maps the visitor, routing and prechat details, and adds the transcript field when asked', () => {
    const params = chasitorInitParams(chat({ mode: 'none', prechatField: 'Bot_Transcript__c' }), config)
    expect(params).toMatchObject({
      organizationId: '00D5g000004AbCd',
      buttonId: '5735g000000AbCd',
      buttonOverrides: ['5735g000000YYYY'],
      visitorName: 'Ada',
      language: 'fr-FR',
      receiveQueueUpdates: true,
      isPost: true,
    })
    expect(params.prechatDetails).toEqual([
      { label: 'Email', value: 'ada@example.com', transcriptFields: ['Email__c'], displayToAgent: true },
      {
        label: 'Bot transcript',
        value: expect.stringContaining('Visitor: Where is my order?'),
        transcriptFields: ['Bot_Transcript__c'],
        displayToAgent: true,
      },
    ])
    expect(chasitorInitParams(chat({ mode: 'summary' }), config).prechatDetails).toHaveLength(1)
  })
})

describe('outbox progress in a cursor', () => {
  it('counts an item once its last part is in the cursor, pending or delivered', () => {
    const cursor = {
      pendingPosts: [{ id: 'outbox:7.1' }, { id: 'typing-x' }],
      deliveredPostIds: ['outbox:3', 'outbox:5', 'live-agent:chasitor-init'],
    } as unknown as SessionCursor
    expect(outboxPositionIn(postIdsOf(cursor))).toBe(5)
  })
})

// The simulator's scripted agents must not answer the transcript (they echo live messages only), so they recognise
// what the hop server sends; this keeps the two from drifting apart when the transcript format changes.
describe('the simulator recognises every transcript message the hop server sends', () => {
  const LONG: TranscriptLine[] = [...LINES, { role: 'visitor', text: `${'very long question '.repeat(30)}?` }]
  it.each(['summary', 'messages'] as const)('in %s mode, every piece of a split message too', (mode) => {
    const sent = transcriptMessages(LONG, mode, 120)
    expect(sent.length).toBeGreaterThan(LONG.length)
    expect(sent.filter((text) => text.length > 120)).toEqual([])
    expect(sent.filter((text) => !isBotTranscript(text))).toEqual([])
  })
})
