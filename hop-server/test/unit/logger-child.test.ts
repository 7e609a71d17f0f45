import { describe, expect, it } from '@jest/globals'
import { Writable } from 'node:stream'
import { createLogger } from '../../src/logger.js'
import { lazyChild } from '../../src/logger-child.js'

/** A pino logger writing its lines into an array, and how many children it made. */
function recordingLogger(level: 'info' | 'debug') {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line))
      done()
    },
  })
  const logger = createLogger(level, sink)
  let children = 0
  const parent = {
    child: (bindings: Record<string, unknown>) => {
      children += 1
      return logger.child(bindings)
    },
    isLevelEnabled: (name: string) => logger.isLevelEnabled(name),
  }
  return { parent, lines, children: () => children, flush: () => new Promise((resolve) => setImmediate(resolve)) }
}

describe('lazy child logger', () => {
  it('makes no pino child until a line at an enabled level is written', async () => {
    const log = recordingLogger('info')
    const child = lazyChild(log.parent, { chatId: 'chat_1' }).child({ part: 'session' })
    child.debug({ detail: 1 }, 'below the level')
    expect(log.children()).toBe(0)
    child.warn({ detail: 2 }, 'written')
    child.info({ detail: 3 })
    await log.flush()
    expect(log.children()).toBe(1)
    expect(log.lines).toEqual([
      expect.objectContaining({ chatId: 'chat_1', part: 'session', detail: 2, msg: 'written', level: 40 }),
      expect.objectContaining({ chatId: 'chat_1', part: 'session', detail: 3, level: 30 }),
    ])
    expect(log.lines[1]).not.toHaveProperty('msg')
  })

  it('writes the lines a pino child with the same bindings writes, secrets redacted', async () => {
    const lazy = recordingLogger('debug')
    const eager = recordingLogger('debug')
    lazyChild(lazy.parent, { hopChatId: 'chat_2' }).child({ part: 'session' }).debug({ key: 'secret' }, 'same')
    eager.parent.child({ hopChatId: 'chat_2' }).child({ part: 'session' }).debug({ key: 'secret' }, 'same')
    await Promise.all([lazy.flush(), eager.flush()])
    const withoutTime = (line: Record<string, unknown>) => ({ ...line, time: 0 })
    expect(lazy.lines.map(withoutTime)).toEqual(eager.lines.map(withoutTime))
    expect(lazy.lines[0]).toMatchObject({ key: '[redacted]' })
  })
})
