// The agent ends the chat just before one of the visitor's requests reaches the server: the request is answered 403
// (the session is gone) while the poll brings the ChatEnded. The chat must end as the agent ended it, not as an
// invalid session (which the bot reads as a time-out). Deterministic: the client below ends the chat on the mock
// right before it sends the request, so the 403 always comes first; the real mock serves both.
import { describe, expect, it } from '@jest/globals'
import {
  ChatSession,
  LiveAgentClient,
  openChat,
  type CallOptions,
  type ChasitorPost,
  type PollParams,
  type PollResult,
  type SessionAuth,
} from '../../src/backends/live-agent/index.js'
import type { MessagesPoller } from '../../src/backends/live-agent/client.js'
import { FAST, INIT, RecordingStore, agentLines, useMockSessions, waitUntil } from './helpers.js'

const rig = useMockSessions()

/**
 * A client that lets the agent end the chat right before its next resync or ChatMessage leaves, and hands the poll's
 * answer on only once that request has its 403: the order in which the two answers reach the hop is then always the
 * one that went wrong (the mock answers the held poll the moment the chat ends, so without this the poll would
 * usually win).
 */
class AgentEndsFirst extends LiveAgentClient {
  endBefore: 'ChasitorResyncState' | 'ChatMessage' | undefined
  private refusedRequest: Promise<unknown> | undefined
  constructor(
    endpoint: string,
    private readonly endChat: () => void
  ) {
    super({ endpoint })
  }
  override resyncState(auth: SessionAuth, organizationId: string, options?: CallOptions): Promise<void> {
    const ending = this.endsNow('ChasitorResyncState')
    return this.watch(ending, super.resyncState(auth, organizationId, options))
  }
  override send(auth: SessionAuth, sequence: number, post: ChasitorPost, options?: CallOptions): Promise<void> {
    const ending = post.kind === 'ChatMessage' && this.endsNow('ChatMessage')
    return this.watch(ending, super.send(auth, sequence, post, options))
  }
  override async messages(
    auth: SessionAuth,
    params: PollParams,
    options?: CallOptions,
    poller?: MessagesPoller
  ): Promise<PollResult> {
    const result = await super.messages(auth, params, options, poller)
    await this.refusedRequest
    return result
  }
  private endsNow(resource: 'ChasitorResyncState' | 'ChatMessage'): boolean {
    if (this.endBefore !== resource) return false
    this.endBefore = undefined
    this.endChat()
    return true
  }
  private watch(ending: boolean, request: Promise<void>): Promise<void> {
    if (ending) this.refusedRequest = request.catch(() => undefined)
    return request
  }
}

async function established(): Promise<{
  chat: ChatSession
  client: AgentEndsFirst
  store: RecordingStore
  id: string
  run: Promise<unknown>
}> {
  let id = ''
  const client = new AgentEndsFirst(`${rig.mock.url}/chat`, () => {
    rig.mock.admin.agentMessage(id, 'all sorted, goodbye')
    rig.mock.admin.endChat(id)
  })
  const cursor = await openChat(client, INIT)
  id = cursor.id
  const store = new RecordingStore(cursor)
  const chat = rig.track(new ChatSession({ client, cursor, hooks: store, ...FAST }))
  const run = chat.run()
  await rig.mock.admin.waitForChat((c) => c.id === id && c.acks.length > 0)
  rig.mock.admin.accept(id, { agentName: 'Andy' })
  await waitUntil(() => store.latest.established, 'ChatEstablished')
  return { chat, client, store, id, run }
}

describe('the agent ends the chat as a request of the visitor reaches the server', () => {
  it('during a hand-over: the resync is refused, the poll brings the ChatEnded, and the chat ends as the agent ended it', async () => {
    const { client, store, id, run } = await established()
    client.endBefore = 'ChasitorResyncState'
    rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'agent-ended' })
    expect(rig.mock.admin.stats().requests.ChasitorResyncState).toBe(1)
    expect(store.types()).toContain('ChatEnded')
    expect(agentLines(rig.mock.admin.chat(id)?.transcript ?? [])).toContain('all sorted, goodbye')
  })

  it('with a message on its way: the message is refused, and the chat still ends as the agent ended it', async () => {
    const { chat, client, store, run } = await established()
    client.endBefore = 'ChatMessage'
    const sent = chat.enqueue({ kind: 'ChatMessage', text: 'one more thing' })
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'agent-ended' })
    await expect(sent).resolves.toMatchObject({ status: 'dropped', reason: 'chat-over' })
    expect(store.types()).toContain('ChatEnded')
  })
})
