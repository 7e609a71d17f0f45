// kill -9 of the real hop process in the one window where exactly-once depends on the Enhanced Chat look-up: the
// visitor's message has reached Salesforce (the agent has it) but its 202 has not reached the hop server, so the
// stored cursor still holds the message as "may be in flight". Salesforce documents no de-duplication of a resent
// message id (nor does the simulator do any), so the next owner must find the message among the conversation's
// entries instead of sending it again. The simulator's holdAnswer fault keeps the answer back while the kill happens.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { SECRET, TENANT, TENANTS, eventually, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'
import { enhancedChatBody } from './backend-harness.js'

/** Far longer than the kill takes, far shorter than the hop server's 15 s REST timeout. */
const HOLD_MS = 8_000
/** Time for a second copy of a message to show, once the next owner has resumed, before asserting there is none. */
const SETTLE_MS = 300

const dir = tempDir('hop-ec-send-window-')
let mock: MockServer
let receiver: WebhookReceiver
const processes: HopProcess[] = []

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent' })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')))
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

const visitorLines = (id: string) =>
  (mock.enhanced.conversation(id)?.transcript ?? []).filter((line) => line.from === 'visitor').map((line) => line.text)

it('a message that reached Salesforce just before a kill -9 reaches the agent once', async () => {
  const env = fastEnv({ HOP_DATA_DIR: dir.path })
  const first = await startHopProcess(env)
  processes.push(first)
  const firstClient = new HopTestClient(first.url, TENANT, SECRET)
  const created = await firstClient.createChat(
    enhancedChatBody(mock, receiver.url, {
      first: 'Send',
      last: 'Window',
      conversationId: `conv_ec_window_${Date.now()}`,
    })
  )
  expect(created.status).toBe(201)
  const chatId = created.body.chatId as string
  const view = await mock.enhanced.waitFor((c) => c.visitorName === 'Send Window', 15_000)
  mock.enhanced.accept(view.id, { agentName: 'Jane' })
  await receiver.waitForType(chatId, 'agent.joined', 15_000)

  mock.enhanced.injectFault({ kind: 'holdAnswer', route: 'sendMessage', delayMs: HOLD_MS })
  expect((await firstClient.sendMessage(chatId, 'v1', 'in the window')).status).toBe(202)
  // Salesforce has it (the agent sees it) while the hop server still waits for the 202: kill it now.
  await eventually(() => visitorLines(view.id).includes('in the window'), 15_000)
  expect(await first.stop('SIGKILL')).toBeNull()

  const second = await startHopProcess(env)
  processes.push(second)
  const secondClient = new HopTestClient(second.url, TENANT, SECRET)
  // The next owner resumes the chat; a later message shows its outbox has moved past the one in the window.
  await eventually(async () => (await secondClient.sendMessage(chatId, 'v2', 'after the kill')).status === 202, 15_000)
  await eventually(() => visitorLines(view.id).includes('after the kill'), 20_000)
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  expect(visitorLines(view.id)).toEqual(['in the window', 'after the kill'])
  expect(mock.enhanced.conversations().filter((c) => c.visitorName === 'Send Window')).toHaveLength(1)
}, 90_000)
