// The whole path with the real parts: the integration behind the SDK's dispatcher and a fake Botpress, the real
// hop server (SQLite in a temp dir) and the mock Live Agent, whose admin API plays the agent.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startHopServer, type HopServer } from '@liveagent-hop/hop-server'
import { ephemeralLoopbackTargets } from '@liveagent-hop/hop-server/testing'
import { SAMPLE_IDS, startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { testConfiguration, TEST_SECRET, TEST_TENANT } from './support/fakes.js'
import { IntegrationServer } from './support/integration-server.js'

const MOCK_HOLD_MS = 300
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

describe('end to end: integration → real hop server → mock Live Agent → back', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'integration-e2e-'))
  let mock: MockServer
  let hop: HopServer
  let bp: IntegrationServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS, logLevel: 'silent' })
    hop = await startHopServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      dataDir,
      tenants: { [TEST_TENANT]: TEST_SECRET },
      // The mock and the local Botpress take their ports from the OS.
      security: { loopbackTargets: ephemeralLoopbackTargets() },
      ...FAST_HOP,
    })
    bp = await IntegrationServer.start(
      testConfiguration(hop.url, {
        liveAgentEndpoint: `${mock.url}/chat`,
        organizationId: SAMPLE_IDS.orgId,
        deploymentId: SAMPLE_IDS.deploymentId,
        buttonId: SAMPLE_IDS.buttonId,
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

  const startHandoff = async (name: string) => {
    const { userId } = output<{ userId: string }>(await bp.botpress.callAction('createUser', { name }))
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
    const liveAgentChat = await mock.admin.waitForChat((chat) => chat.state !== 'ended' && chat.visitorName === name)
    return { userId, conversationId, liveAgentChat }
  }

  it('registers against the hop server and Live Agent', async () => {
    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
  })

  it('hands a conversation to an agent and back, with messages both ways and the outcome stored', async () => {
    const { userId, conversationId, liveAgentChat } = await startHandoff('Ada')

    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'queued', 'the queue')
    const early = await bp.botpress.sendOutgoingMessage({
      conversationId,
      userId,
      type: 'text',
      payload: { text: 'Hello?', userId },
    })
    expect(early.status).toBe(200)

    mock.admin.accept(liveAgentChat.id, { agentName: 'Andy' })
    await eventually(() => store().eventsOf('hitlAssigned').length === 1, 'hitlAssigned')
    await eventually(
      () => mock.admin.chat(liveAgentChat.id)!.transcript.some((entry) => entry.text === 'Hello?'),
      'the early message to reach the agent'
    )
    const visitorLines = mock.admin
      .chat(liveAgentChat.id)!
      .transcript.filter((entry) => entry.from === 'visitor')
      .map((entry) => entry.text)
    expect(visitorLines[0]).toContain('Where is my order?')

    mock.admin.agentMessage(liveAgentChat.id, 'Hi Ada, Andy here')
    await eventually(() => texts(conversationId).includes('Andy: Hi Ada, Andy here'), 'the agent message')
    await bp.botpress.sendOutgoingMessage({
      conversationId,
      userId,
      type: 'text',
      payload: { text: 'Order 42', userId },
    })
    await eventually(
      () => mock.admin.chat(liveAgentChat.id)!.transcript.some((entry) => entry.text === 'Order 42'),
      'the visitor message to reach the agent'
    )

    mock.admin.endChat(liveAgentChat.id, 'agent')
    // The effects (hitlStopped…) come before the state is saved: wait for the saved state.
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'ended', 'the end')
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({
      endReason: 'agent',
      agentName: 'Andy',
    })
    expect(
      store()
        .eventsOf('hitlStopped')
        .map((e) => e.payload)
    ).toEqual([{ conversationId }])
    // Only the two sides' words: the HITL plugin tells the customer about the hand-off itself.
    expect(texts(conversationId)).toEqual(['Ada: Hello?', 'Andy: Hi Ada, Andy here', 'Ada: Order 42'])
  })

  it('stops a hand-off from the bot and takes the hop server confirmation quietly', async () => {
    const { conversationId, liveAgentChat } = await startHandoff('Grace')
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'queued', 'the queue')
    const stop = await bp.botpress.callAction('stopHitl', { conversationId })
    expect(stop.status).toBe(200)
    await eventually(() => mock.admin.chat(liveAgentChat.id)!.state === 'ended', 'Live Agent to end the chat')
    const state = await eventually(() => {
      const s = store().conversationState(conversationId, 'handoff') as { lastSeq: number; status: string } | undefined
      return s && s.lastSeq >= 2 ? s : undefined
    }, 'the chat.ended confirmation')
    expect(state).toMatchObject({ status: 'ended', endReason: 'visitor' })
    expect(
      store()
        .eventsOf('hitlStopped')
        .filter((e) => e.payload.conversationId === conversationId)
    ).toEqual([])
  })
})
