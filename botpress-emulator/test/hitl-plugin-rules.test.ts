// The HITL plugin's rules every stand-in follows (plugins/hitl 1.3.0): texts, close command, made-up email.
import { describe, expect, it } from '@jest/globals'
import { isCloseCommand, isSupportedType, noReplyEmail, PLUGIN_DEFAULT_TEXTS, textOf } from '../src/index.js'

describe("the HITL plugin's rules", () => {
  it('reads a text as the plugin does: unset or empty is the default, only NULL is silence', () => {
    expect(textOf({}, 'onHitlStoppedMessage')).toBe(PLUGIN_DEFAULT_TEXTS.onHitlStoppedMessage)
    expect(textOf({ onHitlStoppedMessage: '' }, 'onHitlStoppedMessage')).toBe(PLUGIN_DEFAULT_TEXTS.onHitlStoppedMessage)
    expect(textOf({ onHitlStoppedMessage: 'NULL' }, 'onHitlStoppedMessage')).toBeNull()
    expect(textOf({ onHitlStoppedMessage: 'Bye' }, 'onHitlStoppedMessage')).toBe('Bye')
  })

  it('closes on the close command only for a text message, trimmed and in any case', () => {
    expect(isCloseCommand({}, 'text', '  /END ')).toBe(true)
    expect(isCloseCommand({}, 'markdown', '/end')).toBe(false)
    expect(isCloseCommand({}, 'text', '/end now')).toBe(false)
    expect(isCloseCommand({ userHitlCloseCommand: ' Bye ' }, 'text', 'bye')).toBe(true)
    expect(isCloseCommand({ userHitlCloseCommand: 'bye' }, 'text', '/end')).toBe(false)
  })

  it('copies only the types the plugin supports, and makes up the no-reply address', () => {
    expect(['text', 'image', 'video', 'audio', 'file', 'bloc'].every(isSupportedType)).toBe(true)
    expect(['markdown', 'choice', 'card'].some(isSupportedType)).toBe(false)
    expect(noReplyEmail('user_1', 'bot_1')).toBe('user_1@no-reply.bot_1.botpress.com')
  })
})
