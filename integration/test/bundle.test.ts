// The production bundle (npm run build -w integration: one CommonJS file, as `bp build` makes it) is what Botpress
// Cloud runs. This test builds it into a temporary folder, loads that file alone and serves its `handler` with the
// SDK's HTTP server, then runs a hand-off through it against the real hop server and the mock Live Agent: the same
// path as end-to-end.test.ts, but through the built artefact instead of the sources.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { serve } from '@botpress/sdk'
import { startHopServer, type HopServer } from '@liveagent-hop/hop-server'
import { ephemeralLoopbackTargets } from '@liveagent-hop/hop-server/testing'
import { SAMPLE_IDS, startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { testConfiguration, TEST_SECRET, TEST_TENANT } from './support/fakes.js'
import { IntegrationServer } from './support/integration-server.js'

const BUNDLE_SCRIPT = fileURLToPath(new URL('../scripts/bundle.js', import.meta.url))
const MOCK_HOLD_MS = 300
const FAST_HOP = {
  leases: { ttlMs: 1500, renewMs: 400, scanMs: 250 },
  webhooks: { backoffBaseMs: 50, backoffMaxMs: 400, timeoutMs: 2000 },
  pump: { transcriptPaceMs: 30, visitorMessageGapMs: 10, liveAgentRetryBudgetMs: 2000 },
}
const POLL_MS = 25
const SETTLE_TIMEOUT_MS = 10_000

type Handler = Parameters<typeof serve>[0]
interface Bundle {
  default: { handler: Handler }
  handler: Handler
}

const eventually = async <T>(probe: () => T | undefined | false, what: string): Promise<T> => {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS
  for (;;) {
    const value = probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(POLL_MS)
  }
}

describe('the integration bundle', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'integration-bundle-'))
  const bundleDir = join(workDir, 'dist')
  const bundleFile = join(bundleDir, 'index.js')
  let bundle: Bundle
  let mock: MockServer
  let hop: HopServer
  let bp: IntegrationServer

  beforeAll(async () => {
    execFileSync(process.execPath, [BUNDLE_SCRIPT, bundleDir], { stdio: 'pipe' })
    bundle = createRequire(import.meta.url)(bundleFile) as Bundle
    mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS, logLevel: 'silent' })
    hop = await startHopServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      dataDir: join(workDir, 'hop-data'),
      tenants: { [TEST_TENANT]: TEST_SECRET },
      security: { loopbackTargets: ephemeralLoopbackTargets() },
      ...FAST_HOP,
    })
    bp = await IntegrationServer.start(
      testConfiguration(hop.url, {
        liveAgentEndpoint: `${mock.url}/chat`,
        organizationId: SAMPLE_IDS.orgId,
        deploymentId: SAMPLE_IDS.deploymentId,
        buttonId: SAMPLE_IDS.buttonId,
      }),
      () => serve(bundle.handler, 0)
    )
  })
  afterAll(async () => {
    await bp?.close()
    await hop?.close()
    await mock?.close()
    rmSync(workDir, { recursive: true, force: true })
  })

  it('is one self-contained CommonJS file: it requires nothing but Node built-ins', () => {
    const code = readFileSync(bundleFile, 'utf8')
    const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!))
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
    expect([...required].filter((name) => !builtins.has(name))).toEqual([])
    expect(bundle.handler).toBe(bundle.default.handler)
  })

  it('hands a conversation to an agent and back through the bundled handler', async () => {
    const store = () => bp.botpress.store
    const output = <T>(response: { body: unknown }) => (response.body as { output: T }).output

    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
    const { userId } = output<{ userId: string }>(await bp.botpress.callAction('createUser', { name: 'Ada' }))
    const started = await bp.botpress.callAction('startHitl', {
      userId,
      title: 'Late parcel',
      messageHistory: [{ source: { type: 'user', userId }, type: 'text', payload: { text: 'Where is my order?' } }],
    })
    expect(started.status).toBe(200)
    const { conversationId } = output<{ conversationId: string }>(started)
    const chat = await mock.admin.waitForChat((view) => view.state !== 'ended' && view.visitorName === 'Ada')

    mock.admin.accept(chat.id, { agentName: 'Andy' })
    await eventually(() => store().eventsOf('hitlAssigned').length === 1, 'hitlAssigned')
    mock.admin.agentMessage(chat.id, 'Hi Ada, Andy here')
    await eventually(
      () =>
        store()
          .transcript(conversationId)
          .some((line) => line.text === 'Hi Ada, Andy here'),
      'the agent message'
    )
    const sent = await bp.botpress.sendOutgoingMessage({
      conversationId,
      userId,
      type: 'text',
      payload: { text: 'Order 42', userId },
    })
    expect(sent.status).toBe(200)
    await eventually(
      () => mock.admin.chat(chat.id)!.transcript.some((entry) => entry.text === 'Order 42'),
      'the visitor message to reach the agent'
    )

    mock.admin.endChat(chat.id, 'agent')
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'ended', 'the end')
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({ endReason: 'agent' })
    expect(
      store()
        .eventsOf('hitlStopped')
        .map((event) => event.payload)
    ).toEqual([{ conversationId }])
  })
})
