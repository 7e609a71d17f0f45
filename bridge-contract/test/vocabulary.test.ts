// The words of the contract against docs/bridge-contract.md, so that the page and the code cannot drift apart.
import { describe, expect, it } from '@jest/globals'
import {
  CHAT_STATES,
  CLIENT_END_REASONS,
  END_REASONS,
  ENHANCED_CHAT_AVAILABILITY_FIELDS,
  HOP_EVENT_TYPES,
} from '../src/index.js'
import { CONTRACT_PAGE, codeSpans, tableAfter } from './docs.js'

const events = tableAfter('## Webhook events')

describe('the vocabulary is the one the contract page documents', () => {
  it('event types: the rows of the webhook events table, in order', () => {
    expect(events.map(([type]) => codeSpans(type!)[0])).toEqual([...HOP_EVENT_TYPES])
  })

  it('end reasons: those of chat.ended', () => {
    const ended = events.find(([type]) => codeSpans(type!)[0] === 'chat.ended')
    const reasons = codeSpans(ended![1]!)
      .join(' ')
      .match(/"([a-z_]+)"/g)!
      .map((quoted) => quoted.slice(1, -1))
      .filter((word) => !['reason', 'detail'].includes(word))
    expect(reasons).toEqual([...END_REASONS])
  })

  it('chat states: those of GET /v1/chats/:chatId', () => {
    const sentence = /`state` one of ([^.]+)\./.exec(CONTRACT_PAGE)
    expect(codeSpans(sentence![1]!)).toEqual([...CHAT_STATES])
  })

  it('the reasons a client may end a chat with', () => {
    const sentence = /`reason` is optional: ([^;]+);/.exec(CONTRACT_PAGE)
    expect(codeSpans(sentence![1]!)).toEqual([...CLIENT_END_REASONS])
  })

  it('the fields of the Enhanced Chat availability answer: the rows of its table, and the keys of its example', () => {
    const rows = tableAfter('**Enhanced Chat** (`?backend=enhanced-chat')
    expect(rows.map(([field]) => codeSpans(field!)[0])).toEqual([...ENHANCED_CHAT_AVAILABILITY_FIELDS])
    const start = CONTRACT_PAGE.indexOf('**Enhanced Chat** (`?backend=enhanced-chat')
    const example = /```json\n([\s\S]*?)```/.exec(CONTRACT_PAGE.slice(start))![1]!
    expect(Object.keys(JSON.parse(example) as object)).toEqual([...ENHANCED_CHAT_AVAILABILITY_FIELDS])
  })
})
