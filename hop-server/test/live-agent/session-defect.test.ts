// A defect inside a Live Agent session (an exception that is no Live Agent error) fails the session with kind
// `internal`, which the backend seam reports as an internal failure: the pump ends the chat instead of restarting it
// (test/pump/internal-error.test.ts shows that part). The client is a stand-in whose ChasitorInit throws a TypeError.
import { describe, expect, it } from '@jest/globals'
import { conversationOutcomeOf } from '../../src/backends/live-agent/conversation.js'
import { ChatSession, openChat, type LiveAgentClient } from '../../src/backends/live-agent/index.js'
import { FAST, INIT, RecordingStore } from './helpers.js'

const DEFECT = "Cannot read properties of undefined (reading 'sequence')"

const defectiveClient = {
  createSession: () =>
    Promise.resolve({ id: 'session-1', key: 'key-1', affinityToken: 'affinity-1', clientPollTimeoutSec: 30 }),
  send: () => Promise.reject(new TypeError(DEFECT)),
} as unknown as LiveAgentClient

describe('a defect inside the session', () => {
  it('fails with kind internal (not hook-failed), and the seam calls it an internal failure', async () => {
    const cursor = await openChat(defectiveClient, INIT)
    const store = new RecordingStore(cursor)
    const outcome = await new ChatSession({ client: defectiveClient, cursor, hooks: store, ...FAST }).run()
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'internal', message: `internal error: ${DEFECT}` } })
    expect(conversationOutcomeOf(outcome)).toMatchObject({
      kind: 'failed',
      failure: { kind: 'internal', detail: `internal error in the Live Agent session: ${DEFECT}` },
    })
  })
})
