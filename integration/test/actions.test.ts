import { RuntimeError } from '@botpress/sdk'
import { MAX_END_ATTEMPTS, PendingEnds, SWEEP_INTERVAL_MS, sweepPendingEnds } from '../src/lifecycle/pending-end.js'
import { Settings } from '../src/settings.js'
import { type DirectHarness, useDirectHarness, WEBHOOK_BASE_URL } from './support/harness.js'

describe('actions, with an in-memory Botpress client', () => {
  let h: DirectHarness
  useDirectHarness((started) => (h = started))
  beforeEach(() => {
    h.configure({})
    h.hop.clearFailures()
  })

  describe('createUser', () => {
    it('creates the customer as a Botpress user tagged as visitor', async () => {
      const { userId } = await h.createUser({ name: 'Ada', email: 'ada@example.com', pictureUrl: 'https://x/ada.png' })
      expect(h.store.getUser({ id: userId }).user).toMatchObject({
        name: 'Ada',
        pictureUrl: 'https://x/ada.png',
        tags: { role: 'visitor', email: 'ada@example.com' },
      })
    })

    it('refuses an input without a name, creating nothing', async () => {
      const users = h.store.users.size
      await expect(h.createUser({ email: 'x@example.com' } as never)).rejects.toThrow(
        new RuntimeError('Invalid input for createUser: name: Required.')
      )
      expect(h.store.users.size).toBe(users)
    })
  })

  describe('startHitl', () => {
    it('creates the hitl conversation, its lifecycle and the Live Agent chat, with the transcript', async () => {
      const { userId } = await h.createUser({ name: 'Ada', email: 'ada@example.com' })
      const { conversationId } = await h.startHitl({
        userId,
        title: 'Order 1234',
        description: 'Parcel late',
        hitlSession: { upstreamConversationId: 'conv_bot_1', buttonId: '5735g000000YYYY' },
        messageHistory: [
          { source: { type: 'user', userId }, type: 'text', payload: { text: 'Where is my order?' } },
          { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me check.' } },
          { source: { type: 'user', userId }, type: 'image', payload: { imageUrl: 'https://x/receipt.png' } },
          {
            source: { type: 'bot' },
            type: 'choice',
            payload: { text: 'Anything else?', options: [{ label: 'Yes', value: 'y' }] },
          },
          { source: { type: 'user', userId }, type: 'text', payload: { text: 'chat with an agent please' } },
        ],
      })

      const { conversation } = h.store.getConversation({ id: conversationId })
      const chat = h.hop.chatOf(conversationId)
      expect(conversation).toMatchObject({
        channel: 'hitl',
        tags: { chatId: chat.chatId, upstreamConversationId: 'conv_bot_1' },
      })
      expect(h.handoffState(conversationId)).toMatchObject({
        chatId: chat.chatId,
        status: 'connecting',
        locale: 'en',
        upstreamConversationId: 'conv_bot_1',
        lastSeq: 0,
        endReason: null,
      })
      expect(chat.request).toMatchObject({
        conversationId,
        webhookUrl: `${WEBHOOK_BASE_URL}/wh_test`,
        liveAgent: {
          endpoint: 'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
          organizationId: '00D5g000004XXXX',
          deploymentId: '5725g000000XXXX',
          buttonId: '5735g000000YYYY',
          apiVersion: '63',
        },
        visitor: { name: 'Ada', language: 'en' },
        prechatDetails: [
          { label: 'Email', value: 'ada@example.com', transcriptFields: [], displayToAgent: true },
          { label: 'Subject', value: 'Order 1234', transcriptFields: [], displayToAgent: true },
          { label: 'Description', value: 'Parcel late', transcriptFields: [], displayToAgent: true },
        ],
        transcriptDelivery: { mode: 'summary' },
      })
      expect((chat.request.transcript as { role: string; text: string }[]).map((l) => `${l.role}: ${l.text}`)).toEqual([
        'visitor: Where is my order?',
        'bot: Let me check.',
        'visitor: [Image] https://x/receipt.png',
        'bot: Anything else? (options: Yes)',
        'visitor: chat with an agent please',
      ])
      expect(h.texts(conversationId)).toEqual([])
    })

    it('takes the locale from the trigger phrase the customer used, and the configured transcript and name settings', async () => {
      h.configure({
        visitorNameTemplate: '{name} <{email}> (bot)',
        transcriptMode: 'messages',
        transcriptPrechatField: 'Bot_Transcript__c',
        buttonOverrides: ['5735g000000ZZZZ'],
      })
      const { conversationId } = await h.startHandoff({
        history: [
          {
            source: { type: 'user', userId: 'u' },
            type: 'text',
            payload: { text: "J'aimerais parler à un conseiller" },
          },
        ],
      })
      const chat = h.hop.chatOf(conversationId)
      expect(chat.request).toMatchObject({
        visitor: { name: 'Ada <ada@example.com> (bot)', language: 'fr' },
        transcriptDelivery: { mode: 'messages', prechatField: 'Bot_Transcript__c' },
        liveAgent: { buttonOverrides: ['5735g000000ZZZZ'] },
      })
      expect(h.handoffState(conversationId)).toMatchObject({ locale: 'fr' })
      expect(h.texts(conversationId)).toEqual([])
    })

    it('uses the locale of the Start HITL card when it gives one', async () => {
      const { conversationId } = await h.startHandoff({ hitlSession: { locale: 'de-AT' } })
      expect(h.handoffState(conversationId)).toMatchObject({ locale: 'de' })
    })

    it('treats fields of the Start HITL card left empty as not set', async () => {
      const { conversationId } = await h.startHandoff({
        hitlSession: { locale: '', buttonId: '', upstreamConversationId: ' ' },
      })
      expect(h.handoffState(conversationId)).toMatchObject({ locale: 'en', upstreamConversationId: null })
      expect(h.hop.chatOf(conversationId).request).toMatchObject({ liveAgent: { buttonId: '5735g000000XXXX' } })
    })

    it('refuses a malformed button id on the Start HITL card, creating nothing', async () => {
      const conversations = h.store.conversations.size
      await expect(h.startHandoff({ hitlSession: { buttonId: '123' } })).rejects.toThrow(
        'Invalid input for startHitl: hitlSession.buttonId: The button id is a 15 or 18 character Salesforce id starting with 573.'
      )
      expect(h.store.conversations.size).toBe(conversations)
    })

    it('fails with the hop server sentence, keeps the lifecycle as ended by an error and hands nothing back', async () => {
      h.hop.failNext(400, 'endpoint https://evil.example is not in the allowlist', 1, '/v1/chats')
      const stopped = h.store.eventsOf('hitlStopped').length
      const { userId } = await h.createUser({ name: 'Ada' })
      await expect(h.startHitl({ userId, messageHistory: [] })).rejects.toThrow(
        'The hop server refused the Live Agent configuration: endpoint https://evil.example is not in the allowlist.'
      )
      const conversation = [...h.store.conversations.values()].at(-1)!
      expect(h.handoffState(conversation.id)).toMatchObject({
        status: 'ended',
        endReason: 'error',
        chatId: null,
        endDetail: expect.stringContaining('allowlist'),
      })
      expect(conversation.tags.endReason).toBe('error')
      expect(h.store.eventsOf('hitlStopped').length).toBe(stopped)
      expect(h.logger.entries).toContainEqual(
        expect.objectContaining({ level: 'error', forBot: true, message: expect.stringContaining('allowlist') })
      )
    })

    it('refuses a bad configuration with the field name, before creating anything', async () => {
      h.configure({ organizationId: '12345' })
      const conversations = h.store.conversations.size
      const { userId } = await h.createUser({ name: 'Ada' })
      await expect(h.startHitl({ userId, messageHistory: [] })).rejects.toThrow(
        'The integration configuration is invalid: organizationId: The organization id is a 15 or 18 character Salesforce id starting with 00D.'
      )
      expect(h.store.conversations.size).toBe(conversations)
    })

    it('refuses an unknown user', async () => {
      await expect(h.startHitl({ userId: 'user_missing', messageHistory: [] })).rejects.toMatchObject({ code: 404 })
    })
  })

  describe('stopHitl', () => {
    it('ends the Live Agent chat, stores the reason and does not send hitlStopped back to the bot', async () => {
      const { conversationId, chatId } = await h.startHandoff()
      await h.event(chatId, 'chat.queued', { position: 1 })
      const stopped = h.store.eventsOf('hitlStopped').length
      await expect(h.stopHitl(conversationId)).resolves.toEqual({})
      expect(h.hop.chats.get(chatId)!.state).toBe('ended')
      expect(h.handoffState(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor', lastSeq: 1 })
      expect(h.store.getConversation({ id: conversationId }).conversation.tags.endReason).toBe('visitor')
      expect(h.store.eventsOf('hitlStopped').length).toBe(stopped)

      const endCalls = h.hop.callsTo('POST', `/v1/chats/${chatId}/end`).length
      await expect(h.stopHitl(conversationId)).resolves.toEqual({})
      expect(h.hop.callsTo('POST', `/v1/chats/${chatId}/end`).length).toBe(endCalls)
    })

    it('answers, logs and ends the chat later when the hop server is down after the plugin ended the hand-off', async () => {
      const { conversationId, chatId } = await h.startHandoff()
      h.hop.failNext(503, 'draining', 1, '/end')
      await expect(h.stopHitl(conversationId)).resolves.toEqual({})
      expect(h.handoffState(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor' })
      expect(h.hop.chats.get(chatId)!.state).toBe('connecting')
      expect(h.store.getConversation({ id: conversationId }).conversation.tags.endPending).toBe('true')
      expect(h.logger.entries).toContainEqual({
        level: 'warn',
        forBot: true,
        message: `The Live Agent chat of hand-off ${conversationId} could not be ended now; it will be ended on the integration's next activity.`,
      })

      // The next verified webhook (here for another chat) finds the hop server back and ends the pending chat.
      const other = await h.startHandoff()
      await h.event(other.chatId, 'chat.queued', { position: 1 })
      expect(h.hop.chats.get(chatId)!.state).toBe('ended')
      expect(h.store.getConversation({ id: conversationId }).conversation.tags.endPending).toBe('false')
    })

    it('gives a pending end up after a bounded number of attempts, telling the bot builder', async () => {
      const { conversationId } = await h.startHandoff()
      const callsBefore = h.hop.callsTo('POST', '/end').length
      h.hop.failNext(503, 'draining', MAX_END_ATTEMPTS + 5, '/end')
      await h.stopHitl(conversationId)
      const pending = new PendingEnds(h.props, Settings.fromConfiguration(h.configuration))
      for (let sweep = 0; sweep < MAX_END_ATTEMPTS + 3; sweep++) await pending.sweep()
      expect(h.store.getConversation({ id: conversationId }).conversation.tags.endPending).toBe('false')
      expect(h.handoffState(conversationId)).toMatchObject({ endAttempts: MAX_END_ATTEMPTS - 1 })
      // One attempt when stopHitl ran, then one retry per sweep until it gave up; none after.
      expect(h.hop.callsTo('POST', '/end').length - callsBefore).toBe(1 + MAX_END_ATTEMPTS)
      expect(h.logger.entries.at(-1)).toMatchObject({ level: 'error', forBot: true })
      h.hop.clearFailures()
    })

    it('sweeps for pending ends at most every 30 s in a warm process, unless it marked one itself', async () => {
      const settings = Settings.fromConfiguration(h.configuration)
      const sweeps = () => h.store.callsOf('listConversations').length
      const later = Date.now() + 3_600_000
      const before = sweeps()
      await sweepPendingEnds(h.props, settings, later)
      await sweepPendingEnds(h.props, settings, later + 1_000)
      expect(sweeps() - before).toBe(1)
      await sweepPendingEnds(h.props, settings, later + SWEEP_INTERVAL_MS)
      expect(sweeps() - before).toBe(2)

      const { conversationId } = await h.startHandoff()
      h.hop.failNext(503, 'draining', 1, '/end')
      await h.stopHitl(conversationId)
      await sweepPendingEnds(h.props, settings, later + SWEEP_INTERVAL_MS + 1_000)
      expect(sweeps() - before).toBe(3)
      expect(h.store.getConversation({ id: conversationId }).conversation.tags.endPending).toBe('false')
    })

    it('answers a stopHitl for a conversation without a hand-off, logging it (there is nothing to stop)', async () => {
      await expect(h.stopHitl('conv_none')).resolves.toEqual({})
      expect(h.logger.entries.at(-1)).toEqual({
        level: 'warn',
        forBot: true,
        message: 'stopHitl: there is no Live Agent hand-off in conversation conv_none.',
      })
    })
  })

  describe('register', () => {
    it('warns but saves when the hop server is unreachable or Live Agent does not answer', async () => {
      h.hop.failNext(503, 'draining', 3, '/v1/availability')
      await expect(h.register()).resolves.toBeUndefined()
      expect(h.logger.entries.at(-1)).toMatchObject({ level: 'warn', forBot: true })
      h.hop.failNext(502, 'Live Agent did not answer', 3, '/v1/availability')
      await expect(h.register()).resolves.toBeUndefined()
      expect(h.logger.entries.at(-1)).toMatchObject({ level: 'warn', forBot: true })
    })

    it('still refuses what a retry cannot fix: a wrong secret or a target the hop server refuses', async () => {
      h.hop.failNext(401, 'signature does not match', 1, '/v1/availability')
      await expect(h.register()).rejects.toThrow('The hop server rejected the signature')
      h.hop.failNext(400, 'endpoint is not allowed', 1, '/v1/availability')
      await expect(h.register()).rejects.toThrow('The hop server refused the Live Agent configuration')
    })
  })

  describe('matchTrigger', () => {
    it('matches the built-in vocabulary and reports the locale', async () => {
      await expect(h.matchTrigger({ text: 'Hola, quiero hablar con un agente' })).resolves.toMatchObject({
        matched: true,
        rule: 'request',
        cue: 'quiero',
        target: 'agente',
        locale: 'es',
      })
      await expect(h.matchTrigger({ text: 'where is my parcel', locale: 'fr-CA' })).resolves.toMatchObject({
        matched: false,
        locale: 'fr',
      })
    })

    it('uses only the configured phrases when the built-in ones are turned off', async () => {
      h.configure({
        useBuiltInPhrases: false,
        defaultLocale: 'it',
        triggerPhrases: [{ locale: 'it', phrases: ['parlare con un operatore'] }],
      })
      await expect(h.matchTrigger({ text: 'vorrei parlare con un operatore' })).resolves.toMatchObject({
        matched: true,
        phrase: 'parlare con un operatore',
        locale: 'it',
      })
      await expect(h.matchTrigger({ text: 'talk to a human' })).resolves.toMatchObject({ matched: false, locale: 'it' })
    })

    it('treats an empty locale as not set and an empty text as no match', async () => {
      await expect(h.matchTrigger({ text: 'agent', locale: '' })).resolves.toMatchObject({
        matched: true,
        target: 'agent',
        locale: 'en',
      })
      await expect(h.matchTrigger({ text: '' })).resolves.toMatchObject({ matched: false, locale: 'en' })
    })

    it('refuses a text that is not a string', async () => {
      await expect(h.matchTrigger({ text: 42 } as never)).rejects.toThrow('Invalid input for matchTrigger: text:')
    })
  })

  describe('getHandoffStatus', () => {
    it('finds a hand-off by its hitl conversation or by the bot conversation, with the outcome', async () => {
      const { conversationId, chatId } = await h.startHandoff({
        hitlSession: { upstreamConversationId: 'conv_bot_status' },
      })
      await h.event(chatId, 'chat.queued', { position: 1 })
      await h.event(chatId, 'agent.joined', { agent: { id: '005A00000000009', name: 'Zoe' } })
      await h.event(chatId, 'chat.ended', { reason: 'agent', detail: 'resolved' })
      const expected = {
        found: true,
        hitlConversationId: conversationId,
        status: 'ended',
        endReason: 'agent',
        endDetail: 'resolved',
        agentName: 'Zoe',
      }
      await expect(h.getHandoffStatus(conversationId)).resolves.toEqual(expected)
      await expect(h.getHandoffStatus('conv_bot_status')).resolves.toEqual(expected)
      await expect(h.getHandoffStatus('conv_unknown')).resolves.toEqual({ found: false })
    })
  })
})
