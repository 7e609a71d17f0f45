// The whole path on Enhanced Chat: the integration configured for enhanced-chat behind the SDK's dispatcher and a
// fake Botpress, the real hop server (SQLite in a temp dir) and the Enhanced Chat simulator, whose admin API plays
// the agent. The pre-chat fields mapped in the configuration reach Salesforce as routing attributes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startHopServer, type HopServer } from '@liveagent-hop/hop-server'
import { ephemeralLoopbackTargets } from '@liveagent-hop/hop-server/testing'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { testConfiguration, TEST_SECRET, TEST_TENANT } from './support/fakes.js'
import { IntegrationServer } from './support/integration-server.js'

const FAST_HOP = {
  leases: { ttlMs: 1500, renewMs: 400, scanMs: 250 },
  webhooks: { backoffBaseMs: 50, backoffMaxMs: 400, timeoutMs: 2000 },
  pump: { transcriptPaceMs: 30, visitorMessageGapMs: 10, liveAgentRetryBudgetMs: 2000 },
}

const eventually = async <T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

describe('end to end on Enhanced Chat: integration → real hop server → simulator → back', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'integration-ec-e2e-'))
  let mock: MockServer
  let hop: HopServer
  let bp: IntegrationServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent' })
    hop = await startHopServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      dataDir,
      tenants: { [TEST_TENANT]: TEST_SECRET },
      security: { loopbackTargets: ephemeralLoopbackTargets() },
      ...FAST_HOP,
    })
    bp = await IntegrationServer.start(
      testConfiguration(hop.url, {
        backend: 'enhanced-chat',
        liveAgentEndpoint: undefined,
        deploymentId: undefined,
        buttonId: undefined,
        scrtUrl: mock.url,
        organizationId: mock.options.orgId,
        esDeveloperName: mock.options.esDeveloperName,
        prechatFields: [
          { userField: 'firstName', prechatField: '_firstName' },
          { userField: 'lastName', prechatField: '_lastName' },
          { userField: 'subject', prechatField: '_subject' },
        ],
      })
    )
  })
  afterAll(async () => {
    await bp?.close()
    await hop?.close()
    await mock?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const store = () => bp.botpress.store
  const texts = (conversationId: string) =>
    store()
      .transcript(conversationId)
      .map((line) => `${line.user}: ${line.text}`)
  const output = <T>(response: { body: unknown }) => (response.body as { output: T }).output
  const visitorLines = (id: string) =>
    (mock.enhanced.conversation(id)?.transcript ?? []).filter((line) => line.from === 'visitor').map((l) => l.text)

  it('saves an Enhanced Chat configuration whose deployment the simulator knows', async () => {
    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
  })

  it('hands a conversation to an agent and back, with the pre-chat fields, the transcript and messages both ways', async () => {
    const { userId } = output<{ userId: string }>(await bp.botpress.callAction('createUser', { name: 'Ada Lovelace' }))
    const started = await bp.botpress.callAction('startHitl', {
      userId,
      title: 'Late parcel',
      messageHistory: [
        { source: { type: 'user', userId }, type: 'text', payload: { text: 'Where is my order?' } },
        { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me check.' } },
        { source: { type: 'user', userId }, type: 'text', payload: { text: 'I want to talk to a human' } },
      ],
    })
    expect(started.status).toBe(200)
    const { conversationId } = output<{ conversationId: string }>(started)
    const view = await mock.enhanced.waitFor((c) => c.visitorName === 'Ada Lovelace' && c.state !== 'ended')
    expect(view.routingAttributes).toEqual({ _firstName: 'Ada', _lastName: 'Lovelace', _subject: 'Late parcel' })
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'queued', 'the queue')

    mock.enhanced.accept(view.id, { agentName: 'Jane Agent' })
    await eventually(() => store().eventsOf('hitlAssigned').length === 1, 'hitlAssigned')
    // The transcript reaches the agent as one summary message, as the customer's (nothing else is possible).
    await eventually(() => visitorLines(view.id).length >= 1, 'the transcript')
    expect(visitorLines(view.id)[0]).toContain('Where is my order?')

    mock.enhanced.agentMessage(view.id, 'Hi Ada, Jane here')
    await eventually(() => texts(conversationId).includes('Jane Agent: Hi Ada, Jane here'), 'the agent message')
    await bp.botpress.sendOutgoingMessage({
      conversationId,
      userId,
      type: 'text',
      payload: { text: 'Order 42', userId },
    })
    await eventually(() => visitorLines(view.id).includes('Order 42'), 'the visitor message to reach the agent')

    mock.enhanced.endChat(view.id)
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'ended', 'the end')
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({ endReason: 'agent' })
    expect(texts(conversationId)).toEqual(['Jane Agent: Hi Ada, Jane here', 'Ada Lovelace: Order 42'])
    expect(visitorLines(view.id).filter((line) => line === 'Order 42')).toHaveLength(1)
  })
})
