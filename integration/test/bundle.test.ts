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
import { serve } from '@botpress/sdk'
import type { MockServer } from '@liveagent-hop/mock-server'
import type { IntegrationServer } from './support/integration-server.js'
import { customerSays, eventually, startEndToEnd, startHitlFor, type EndToEnd } from './support/hop-stack.js'

const BUNDLE_SCRIPT = fileURLToPath(new URL('../scripts/bundle.js', import.meta.url))
type Handler = Parameters<typeof serve>[0]
interface Bundle {
  default: { handler: Handler }
  handler: Handler
}

describe('the integration bundle', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'integration-bundle-'))
  const bundleDir = join(workDir, 'dist')
  const bundleFile = join(bundleDir, 'index.js')
  let bundle: Bundle
  let stack: EndToEnd
  let mock: MockServer
  let bp: IntegrationServer

  beforeAll(async () => {
    execFileSync(process.execPath, [BUNDLE_SCRIPT, bundleDir], { stdio: 'pipe' })
    bundle = createRequire(import.meta.url)(bundleFile) as Bundle
    stack = await startEndToEnd('live-agent', {}, () => serve(bundle.handler, 0))
    ;({ mock, bp } = stack)
  })
  afterAll(async () => {
    await stack?.close()
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

    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
    const { userId, conversationId } = await startHitlFor(bp, 'Ada')
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
    const sent = await customerSays(bp, { conversationId, userId }, 'Order 42')
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
