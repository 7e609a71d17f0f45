import { describe, expect, it } from '@jest/globals'
import {
  LiveAgentInputError,
  cloneCursor,
  draftCursor,
  parseCursor,
  serializeCursor,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'
import { midChatCursor } from '../support/session-cursor.js'

const cursor = midChatCursor({
  handover: 'await-session-data',
  pendingPosts: [
    { id: 'msg-1', post: { kind: 'ChatMessage', text: 'hello' }, sequence: 4 },
    { id: 'msg-2', post: { kind: 'ChatEnd', reason: 'client' } },
  ],
  deliveredPostIds: ['msg-0'],
})

describe('session cursor', () => {
  it('survives JSON serialisation unchanged (it is plain data)', () => {
    const text = serializeCursor(cursor)
    expect(parseCursor(text)).toEqual(cursor)
    expect(parseCursor(JSON.parse(text))).toEqual(cursor)
  })

  it('keeps a ChasitorInit post with its full body', () => {
    const withInit: SessionCursor = {
      ...cursor,
      pendingPosts: [
        {
          id: 'live-agent:chasitor-init',
          sequence: 1,
          post: {
            kind: 'ChasitorInit',
            body: {
              organizationId: '00D5g000004AbCd',
              deploymentId: '5725g000000AbCd',
              buttonId: '5735g000000AbCd',
              sessionId: cursor.id,
              userAgent: 'hop',
              language: 'fr-FR',
              screenResolution: '1x1',
              visitorName: 'Ada',
              prechatDetails: [{ label: 'Email', value: 'a@b.c', transcriptFields: ['Email__c'] }],
              prechatEntities: [],
              receiveQueueUpdates: true,
              isPost: true,
            },
          },
        },
      ],
    }
    expect(parseCursor(serializeCursor(withInit))).toEqual(withInit)
  })

  it('rejects broken cursors with a LiveAgentInputError naming the field', () => {
    expect(() => parseCursor('{not json')).toThrow(new LiveAgentInputError('Invalid session cursor: not valid JSON'))
    expect(() => parseCursor({ ...cursor, ack: -2 })).toThrow(/ack/)
    expect(() => parseCursor({ ...cursor, version: 2 })).toThrow(/version/)
    expect(() => parseCursor({ ...cursor, nextSequence: 0 })).toThrow(/nextSequence/)
    expect(() => parseCursor({ ...cursor, pendingPosts: [{ id: 'x', post: { kind: 'Nope' } }] })).toThrow(
      /pendingPosts/
    )
    expect(() => parseCursor({ ...cursor, surprise: true })).toThrow(LiveAgentInputError)
  })

  it('still reads a cursor written before the hand-over transcript check (its count stays unknown)', () => {
    const parsed = parseCursor(serializeCursor(cursor))
    expect(parsed.acceptedChatMessages).toBeUndefined()
    expect(parsed.lastChatMessageText).toBeUndefined()
    const current: SessionCursor = {
      ...cursor,
      acceptedChatMessages: 3,
      lastChatMessageText: 'hello',
      pendingPosts: [{ id: 'msg-1', post: { kind: 'ChatMessage', text: 'hello' }, sequenceBeforeHandover: 4 }],
    }
    expect(parseCursor(serializeCursor(current))).toEqual(current)
    expect(() => parseCursor({ ...current, acceptedChatMessages: -1 })).toThrow(/acceptedChatMessages/)
  })

  it('keeps the check of unrecorded sends from a previous process, and refuses it malformed', () => {
    const checking: SessionCursor = {
      ...cursor,
      unrecordedSends: true,
      nextSequenceBeforeHandover: 7,
      landedUnqueuedTexts: ['hello again'],
    }
    expect(parseCursor(serializeCursor(checking))).toEqual(checking)
    expect(() => parseCursor({ ...checking, unrecordedSends: false })).toThrow(/unrecordedSends/)
    expect(() => parseCursor({ ...checking, nextSequenceBeforeHandover: 0 })).toThrow(/nextSequenceBeforeHandover/)
    expect(() => parseCursor({ ...checking, landedUnqueuedTexts: [] })).toThrow(/landedUnqueuedTexts/)
    const copy = cloneCursor(checking)
    copy.landedUnqueuedTexts!.push('changed')
    expect(checking.landedUnqueuedTexts).toEqual(['hello again'])
  })

  it('clones deeply', () => {
    const copy = cloneCursor(cursor)
    copy.pendingPosts[0]!.sequence = 99
    expect(cursor.pendingPosts[0]!.sequence).toBe(4)
  })

  it('drafts a commit without touching the cursor it came from: top level, pending list and entries are copies', () => {
    const before = serializeCursor(cursor)
    const draft = draftCursor(cursor)
    draft.ack = 42
    draft.pendingPosts[0]!.sequence = 99
    delete draft.pendingPosts[0]!.sequenceBeforeHandover
    draft.pendingPosts.push({ id: 'other', post: { kind: 'ChasitorTyping' } })
    draft.deliveredPostIds = [...draft.deliveredPostIds, 'x']
    expect(serializeCursor(cursor)).toBe(before)
    expect(draft.pendingPosts[0]!.post).toBe(cursor.pendingPosts[0]!.post)
  })
})
