// The dispatcher's in-memory due queue: earliest first, one timer for all chats, a planned retry kept against a
// nudge, and nothing left armed after close. Fake timers drive the clock (Date.now included).
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { DueQueue } from '../../src/webhooks/due-queue.js'

const START = 1_000_000

let woken: number
let queue: DueQueue

beforeEach(() => {
  jest.useFakeTimers({ now: START })
  woken = 0
  queue = new DueQueue(() => (woken += 1))
})

afterEach(() => {
  queue.close()
  jest.useRealTimers()
})

describe('DueQueue', () => {
  it('hands out chats earliest first, each when its time comes, with one timer for all of them', () => {
    queue.schedule('c', START + 300)
    queue.schedule('a', START + 100)
    queue.schedule('b', START + 200)
    expect(jest.getTimerCount()).toBe(1)
    expect(queue.takeDue(10)).toEqual([])

    jest.advanceTimersByTime(100)
    expect(woken).toBe(1)
    expect(queue.takeDue(10)).toEqual(['a'])
    expect(jest.getTimerCount()).toBe(1)

    jest.advanceTimersByTime(250)
    expect(woken).toBe(2)
    expect(queue.takeDue(10)).toEqual(['b', 'c'])
    expect(queue.size).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('takes at most the number asked for, and wakes again for the rest', () => {
    for (const chatId of ['a', 'b', 'c']) queue.nudge(chatId)
    expect(queue.takeDue(2)).toEqual(['a', 'b'])
    jest.advanceTimersByTime(0)
    expect(woken).toBe(1)
    expect(queue.takeDue(2)).toEqual(['c'])
  })

  it('replaces a chat’s time when it is scheduled again (the retry decision), keeping one entry', () => {
    queue.schedule('a', START + 100)
    for (let i = 1; i <= 1000; i += 1) queue.schedule('a', START + 100 + i)
    expect(queue.size).toBe(1)
    jest.advanceTimersByTime(100)
    expect(queue.takeDue(10)).toEqual([])
    jest.advanceTimersByTime(1000)
    expect(queue.takeDue(10)).toEqual(['a'])
    expect(queue.takeDue(10)).toEqual([])
  })

  it('makes a chat due now on a nudge, unless a retry is planned for it: the backoff is kept', () => {
    queue.schedule('failing', START + 5000)
    queue.nudge('failing')
    queue.nudge('healthy')
    expect(queue.takeDue(10)).toEqual(['healthy'])
    jest.advanceTimersByTime(5000)
    expect(queue.takeDue(10)).toEqual(['failing'])
  })

  it('forgets a removed chat', () => {
    queue.schedule('a', START + 10)
    queue.schedule('b', START + 20)
    queue.remove('a')
    expect(queue.has('a')).toBe(false)
    jest.advanceTimersByTime(20)
    expect(queue.takeDue(10)).toEqual(['b'])
  })

  it('leaves no timer after close, and plans nothing afterwards', () => {
    queue.schedule('a', START + 10)
    queue.close()
    expect(jest.getTimerCount()).toBe(0)
    queue.nudge('b')
    expect(jest.getTimerCount()).toBe(0)
    expect(queue.takeDue(10)).toEqual([])
    jest.advanceTimersByTime(100)
    expect(woken).toBe(0)
  })
})
