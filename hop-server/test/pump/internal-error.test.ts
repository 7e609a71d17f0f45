// A chat whose backend hits a reproducible defect ends once, with reason `error` and the defect in its detail, and
// is not picked up again. Before, the pump restarted it five times, the supervisor released the lease and the
// next scan took the chat again: a loop with no end. The backend here is a stand-in whose every run fails the same
// way (a real defect cannot be summoned on purpose); the hop server around it is the real one (SQLite, webhooks).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChatBackend, ChatConversation, Checkpoint } from '../../src/backends/chat-backend.js'
import { BackendRegistry } from '../../src/backends/registry.js'
import { startHopServer, type HopServer } from '../../src/index.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { FAST_TIMINGS, SECRET, TENANT, TENANTS, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'

const DEFECT = "Cannot read properties of undefined (reading 'agent')"
/** Lease scans to sit through after the end: a released chat would be taken again within one. */
const SCANS_TO_WATCH = 4

const CHECKPOINT: Checkpoint = { cursor: { backend: 'live-agent', version: 1, state: {} }, postIds: [], over: false }

/** Opens fine; every run of the conversation throws the same TypeError. Counts the resumes. */
class DefectiveBackend implements ChatBackend {
  readonly name = 'live-agent' as const
  readonly releaseGraceMs = 0
  resumes = 0

  targetProblem(): undefined {
    return undefined
  }

  open() {
    return Promise.resolve({ kind: 'opened' as const, checkpoint: CHECKPOINT })
  }

  resume(): ChatConversation {
    this.resumes += 1
    return {
      run: () => Promise.reject(new TypeError(DEFECT)),
      send: (message) => Promise.resolve({ status: 'interrupted', id: message.id, queued: false }),
      typing: () => undefined,
      end: () => Promise.resolve({ status: 'interrupted', id: 'end', queued: false }),
      stop: () => Promise.resolve(CHECKPOINT),
    }
  }

  close(): void {}
}

const dir = tempDir('hop-defect-')
const backend = new DefectiveBackend()
let receiver: WebhookReceiver
let hop: HopServer

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secrets: TENANTS })
  hop = await startHopServer(hopConfig(dir.path), { backends: () => new BackendRegistry([backend]) })
})

afterAll(async () => {
  await hop?.close()
  await receiver?.close()
  dir.remove()
})

describe('an error a retry cannot fix', () => {
  it('ends the chat once with reason error, says why, and the chat is not picked up again', async () => {
    const client = new HopTestClient(hop.url, TENANT, SECRET)
    // The endpoint is never called: the stand-in backend does not talk to Salesforce.
    const created = await client.createChat(chatBody('http://127.0.0.1:9', receiver.url))
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string

    const events = await receiver.waitForType(chatId, 'chat.ended')
    const ended = events.filter((event) => event.type === 'chat.ended')
    expect(ended).toHaveLength(1)
    expect(ended[0]?.data).toEqual({ reason: 'error', detail: `internal error: ${DEFECT}` })
    expect(await hop.store.getChat(chatId)).toMatchObject({ state: 'ended', endReason: 'error' })

    // Retired once its end was delivered: no lease, not active, nothing for a scan to take.
    await eventually(async () => (await hop.store.activeChatCount()) === 0)
    await sleep(FAST_TIMINGS.leases.scanMs * SCANS_TO_WATCH)
    expect(backend.resumes).toBe(1)
    expect(hop.ownedChats()).toBe(0)
    expect(receiver.events(chatId).filter((event) => event.type === 'chat.ended')).toHaveLength(1)
  })
})
