// The rule that decides, from ChasitorSessionData's transcript, whether a ChatMessage in flight before a
// hand-over had landed: every combination of identical texts, messages lost by the server and old cursors.
import { describe, expect, it } from '@jest/globals'
import {
  landedPastRun,
  landedRunBeforeHandover,
  serverVisitorLines,
} from '../../src/backends/live-agent/handover-transcript.js'

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

describe('landedRunBeforeHandover, one uncertain message', () => {
  const server = (...lines: string[]) => lines
  const landedBeforeHandover = (
    text: string,
    known: { count: number | undefined; lastText: string | undefined },
    lines: string[]
  ) => landedRunBeforeHandover([text], known, lines) === 1

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

describe('landedRunBeforeHandover, several uncertain messages after a restart', () => {
  it('counts the leading run the server shows, by count when it agrees', () => {
    const known = { count: 1, lastText: 'a' }
    expect(landedRunBeforeHandover(['b', 'c', 'd'], known, ['a', 'b', 'c'])).toBe(2)
    expect(landedRunBeforeHandover(['b', 'c', 'd'], known, ['a', 'b', 'c', 'd'])).toBe(3)
    expect(landedRunBeforeHandover(['b', 'c', 'd'], known, ['a'])).toBe(0)
  })

  it('repeated texts: the count tells how many landed', () => {
    const known = { count: 1, lastText: 'ok' }
    expect(landedRunBeforeHandover(['ok', 'ok'], known, ['ok', 'ok'])).toBe(1)
    expect(landedRunBeforeHandover(['ok', 'ok'], known, ['ok', 'ok', 'ok'])).toBe(2)
  })

  it('after a message the server lost, distinct texts still tell; repeated ones are resent', () => {
    expect(landedRunBeforeHandover(['c', 'd'], { count: 2, lastText: 'b' }, ['b', 'c', 'd'])).toBe(2)
    // the first 'ok' surely landed (the line after ours); the second cannot be told apart: resent
    expect(landedRunBeforeHandover(['ok', 'ok'], { count: 3, lastText: 'x' }, ['x', 'ok', 'ok'])).toBe(1)
    expect(landedRunBeforeHandover(['ok', 'ok'], { count: 3, lastText: 'ok' }, ['x', 'ok', 'ok'])).toBe(0)
  })
})

describe('landedPastRun, after a restart', () => {
  it('gives the lines past every uncertain message, when they all stand right after the known lines', () => {
    expect(landedPastRun(['c'], 2, ['a', 'b', 'c', 'd', 'e'])).toEqual(['d', 'e'])
    expect(landedPastRun([], 2, ['a', 'b', 'd'])).toEqual(['d'])
  })

  it('gives nothing when the server holds no more, an uncertain message is missing or out of place, or the count is unknown', () => {
    expect(landedPastRun(['c'], 2, ['a', 'b', 'c'])).toEqual([])
    expect(landedPastRun(['c', 'd'], 2, ['a', 'b', 'd', 'e', 'f'])).toEqual([])
    // The server lost one earlier message: the lines do not line up with what this client counted.
    expect(landedPastRun(['c'], 2, ['a', 'c', 'd'])).toEqual([])
    expect(landedPastRun(['c'], undefined, ['a', 'b', 'c', 'd'])).toEqual([])
  })
})
