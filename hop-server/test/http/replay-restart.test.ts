// The replay guard across a restart: the SQLite store writes a signature's key with the group commit of the action it
// authorised (not as a write of its own), so a request captured before the hop server restarted is still refused
// after it, within the signature window, and the refused replay changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { signRequest } from '@liveagent-hop/bridge-contract'
import { startHopServer, type HopServer } from '../../src/index.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, chatBody, hopConfig, tempDir } from '../support/harness.js'

const dir = tempDir('hop-replay-restart-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopServer | undefined

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: { [TENANT]: SECRET } })
})

afterAll(async () => {
  await hop?.close()
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

describe('a replay after a restart', () => {
  it('is refused within the window, and the message is not enqueued twice', async () => {
    hop = await startHopServer(hopConfig(dir.path))
    const client = new HopTestClient(hop.url, TENANT, SECRET)
    const chatId = (await client.createChat(chatBody(mock.url, receiver.url))).body.chatId as string
    const path = `/v1/chats/${chatId}/messages`
    const rawBody = JSON.stringify({ messageId: 'm1', text: 'hello' })
    const headers = signRequest(TENANT, SECRET, { method: 'POST', target: path, rawBody }) as unknown as Record<
      string,
      string
    >
    expect((await client.raw('POST', path, rawBody, headers)).status).toBe(202)
    await hop.close()

    hop = await startHopServer(hopConfig(dir.path))
    const after = new HopTestClient(hop.url, TENANT, SECRET)
    const replay = await after.raw('POST', path, rawBody, headers)
    expect(replay.status).toBe(401)
    expect(replay.body.message).toMatch(/replayed request/)
    expect((await hop.store.readOutbox(chatId, 0, 100)).filter((item) => item.kind === 'message')).toHaveLength(1)
    // A fresh signature for the same message is accepted (and recognised as the duplicate it is).
    expect((await after.sendMessage(chatId, 'm1', 'hello')).body).toEqual({ accepted: true, duplicate: true })
  })
})
