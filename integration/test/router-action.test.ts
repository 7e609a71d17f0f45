// The matchTrigger action and the hitl channel's cancel detection, with the router behind them: explanations in
// the output and in the bot's debug log, designer additions from the configuration, and validation on save.
import integration from '../src/index.js'
import { type DirectHarness, useDirectHarness, WEBHOOK_BASE_URL } from './support/harness.js'

describe('the router inside the integration', () => {
  let h: DirectHarness
  useDirectHarness((started) => (h = started))
  beforeEach(() => {
    h.configure({})
    h.logger.entries.length = 0
  })

  it('explains a match in the output and in a debug log the bot builder sees', async () => {
    const output = await h.matchTrigger({ text: 'could you hook me up with a live person?', locale: 'en' })
    expect(output).toEqual({
      matched: true,
      locale: 'en',
      rule: 'request',
      cue: 'hook me up',
      target: 'live person',
      explanation: 'Match (en): request cue "hook me up" with target "live person".',
    })
    expect(h.logger.entries).toContainEqual({
      level: 'debug',
      message: `matchTrigger: ${output.explanation}`,
      forBot: true,
    })
  })

  it('explains a refusal', async () => {
    await expect(h.matchTrigger({ text: 'I never asked to talk to a human', locale: 'en' })).resolves.toEqual({
      matched: false,
      locale: 'en',
      reason: 'negated',
      evidence: 'never',
      target: 'human',
      explanation: 'No match (en): negated by "never" (target "human").',
    })
  })

  it('uses the cue words, target words and never-trigger phrases of the configuration', async () => {
    h.configure({
      triggerCues: [{ locale: 'en', words: ['page'] }],
      triggerTargets: [{ locale: 'en', words: ['concierge'] }],
      neverTriggerPhrases: [{ locale: 'en', phrases: ['agent portal'] }],
    })
    await expect(h.matchTrigger({ text: 'please page the concierge' })).resolves.toMatchObject({
      matched: true,
      cue: 'page',
      target: 'concierge',
    })
    await expect(h.matchTrigger({ text: 'I want the agent portal' })).resolves.toMatchObject({
      matched: false,
      reason: 'never-trigger',
      evidence: 'agent portal',
    })
  })

  it('refuses, on save, router settings a designer got wrong, with a sentence', async () => {
    h.configure({
      triggerPhrases: [{ locale: 'en', phrases: ['talk to a human'] }],
      neverTriggerPhrases: [{ locale: 'en', phrases: ['talk to a human'] }],
    })
    const expected =
      'The integration configuration is invalid: "talk to a human" (en) is both a trigger phrase and a never-trigger phrase; keep it in one list.'
    await expect(
      integration.register({ ...h.props, webhookUrl: `${WEBHOOK_BASE_URL}/wh_test` } as never)
    ).rejects.toThrow(expected)
    await expect(h.matchTrigger({ text: 'agent' })).rejects.toThrow(expected)
  })

  it('refuses an empty cue word with a sentence naming the field', async () => {
    h.configure({ triggerCues: [{ locale: 'en', words: [''] }] })
    await expect(h.matchTrigger({ text: 'agent' })).rejects.toThrow(
      'The integration configuration is invalid: triggerCues.0.words.0: A cue word must not be empty.'
    )
  })

  // A customer's locale the router has no words for (the session's, or the action's input) is read in the bot's
  // default language and the others, never a crash: Botpress sends whatever the user's browser says.
  it.each(['it', 'pt-BR'])(
    'decides a message whose locale it has no words for (%s) in the languages it has',
    async (locale) => {
      await expect(h.matchTrigger({ text: 'can I talk to a human', locale })).resolves.toMatchObject({
        matched: true,
        locale: 'en',
        target: 'human',
      })
      await expect(h.matchTrigger({ text: 'ciao, grazie mille', locale })).resolves.toMatchObject({
        matched: false,
        locale: locale.slice(0, 2),
      })
    }
  )

  it('forwards and cancels during a hand-off whose customer speaks a language it has no words for', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff({ hitlSession: { locale: 'it-IT' } })
    await h.visitorSays(conversationId, userId, 'text', { text: 'il mio ordine non è arrivato' })
    expect(h.hop.chats.get(chatId)).toMatchObject({
      state: 'connecting',
      messages: [{ text: 'il mio ordine non è arrivato' }],
    })
    await h.visitorSays(conversationId, userId, 'text', { text: 'never mind' })
    expect(h.handoffState(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor' })
  })

  it('cancels a waiting hand-off only when the message is the cancellation itself', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.visitorSays(conversationId, userId, 'text', { text: 'I need to cancel the order I made yesterday' })
    expect(h.hop.chats.get(chatId)).toMatchObject({
      state: 'connecting',
      messages: [{ text: 'I need to cancel the order I made yesterday' }],
    })
    await h.visitorSays(conversationId, userId, 'text', { text: 'never mind that, what about my refund?' })
    expect(h.hop.chats.get(chatId)).toMatchObject({ state: 'ended' })
    expect(h.handoffState(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor' })
  })
})
