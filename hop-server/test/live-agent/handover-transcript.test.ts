// The rule that decides, from ChasitorSessionData's transcript, whether a ChatMessage in flight before a
// hand-over had landed: every combination of identical texts, messages lost by the server and old cursors.
import { describe, expect, it } from '@jest/globals'
import { landedBeforeHandover, serverVisitorLines } from '../../src/backends/live-agent/handover-transcript.js'

const agent = (content: string) => ({ type: 'Agent', name: 'Andy', content, timestamp: 1, sequence: 0 })
const visitor = (content: string) => ({ type: 'Chasitor', name: 'Ada', content, timestamp: 1, sequence: 0 })

describe('serverVisitorLines', () => {
  it('counts only the visitor entries and keeps the last one', () => {
    expect(serverVisitorLines([visitor('a'), agent('x'), visitor('b'), agent('y')])).toEqual({
      count: 2,
      lastText: 'b',
    })
    expect(serverVisitorLines([agent('x'), { type: 'OperatorTransferred', content: 'Bob' }])).toEqual({
      count: 0,
      lastText: undefined,
    })
  })
})

describe('landedBeforeHandover', () => {
  const server = (...lines: string[]) => serverVisitorLines(lines.map(visitor))

  it('the first message of the chat: landed when the server shows it', () => {
    expect(landedBeforeHandover('hi', { count: 0, lastText: undefined }, server('hi'))).toBe(true)
    expect(landedBeforeHandover('hi', { count: 0, lastText: undefined }, server())).toBe(false)
  })

  it('a text different from the previous one: the server last line decides', () => {
    const known = { count: 1, lastText: 'a' }
    expect(landedBeforeHandover('b', known, server('a', 'b'))).toBe(true)
    expect(landedBeforeHandover('b', known, server('a'))).toBe(false)
  })

  it('the same text twice in a row: only one more line than known counts as landed', () => {
    const known = { count: 2, lastText: 'ok' }
    expect(landedBeforeHandover('ok', known, server('ok', 'ok', 'ok'))).toBe(true)
    expect(landedBeforeHandover('ok', known, server('ok', 'ok'))).toBe(false)
  })

  it('after a message the server lost (count behind ours): a landed new text is still recognised', () => {
    // we know 2 ('a', 'b'); the server lost 'a', then 'c' landed
    expect(landedBeforeHandover('c', { count: 2, lastText: 'b' }, server('b', 'c'))).toBe(true)
    // the same loss, and 'c' never arrived
    expect(landedBeforeHandover('c', { count: 2, lastText: 'b' }, server('b'))).toBe(false)
    // identical texts after a loss cannot be told apart: resent (a possible repeat, never a loss)
    expect(landedBeforeHandover('ok', { count: 2, lastText: 'ok' }, server('ok', 'ok'))).toBe(false)
  })

  it('a cursor from before the count existed: resent, as that version did', () => {
    expect(landedBeforeHandover('hi', { count: undefined, lastText: undefined }, server('hi'))).toBe(false)
  })
})
