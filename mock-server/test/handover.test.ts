import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { RawVisitor, rawRequest, types, type Batch } from './support/raw-visitor.js'

describe('server hand-over: 503 → ReconnectSession → ChasitorSessionData → ChasitorResyncState', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100 })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.admin.reset())

  it('walks the whole recovery and the chat goes on with the sequence restarted at 1', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    await visitor.post('Chasitor/ChatMessage', 2, { text: 'before' })
    mock.admin.agentMessage(id, 'hi there')
    const batch = await visitor.nextBatch(-1)
    const oldAffinity = visitor.affinity

    mock.admin.injectFault({ resource: 'Messages', kind: 'handover' })
    const refused = await visitor.poll(batch.sequence)
    expect(refused.status).toBe(503)
    expect(refused.text).toContain('Invalid Affinity Token')
    // Every request of the session answers 503 until ReconnectSession, and nothing is applied.
    expect((await visitor.post('Chasitor/ChatMessage', 3, { text: 'lost?' })).status).toBe(503)

    const res = await fetch(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=${batch.offset}`, {
      headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      messages: { type: string; message: { resetSequence: boolean; affinityToken: string } }[]
    }
    expect(body.messages[0]!.type).toBe('ReconnectSession')
    expect(body.messages[0]!.message.resetSequence).toBe(true)
    const newAffinity = body.messages[0]!.message.affinityToken
    expect(newAffinity).toMatch(/^[0-9a-f]{8}$/)
    expect(newAffinity).not.toBe(oldAffinity)
    visitor.affinity = newAffinity

    const next = await visitor.nextBatch(batch.sequence)
    expect(types(next)[0]).toBe('ChasitorSessionData')
    const sessionData = next.messages[0]!.message as { chatMessages: { type: string; content: string }[] }
    expect(sessionData.chatMessages).toEqual([
      expect.objectContaining({ type: 'Chasitor', content: 'before' }),
      expect.objectContaining({ type: 'Agent', content: 'hi there' }),
    ])

    const resync = await visitor.post('Chasitor/ChasitorResyncState', undefined, { organizationId: mock.options.orgId })
    expect(resync.status).toBe(200)
    expect((await visitor.post('Chasitor/ChatMessage', 1, { text: 'after' })).status).toBe(200)

    const chat = mock.admin.chat(id)!
    expect(chat.transcript.filter((t) => t.from === 'visitor').map((t) => t.text)).toEqual(['before', 'after'])
    expect(chat.handoverPending).toBe(false)
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('answers a held poll 503 when a POST triggers the hand-over, and the old affinity keeps getting 503', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 20_000 })
    try {
      const visitor = new RawVisitor(slow)
      const id = await visitor.startChat()
      slow.admin.accept(id)
      const batch = await visitor.nextBatch(-1)
      const held = visitor.poll(batch.sequence)
      await slow.admin.waitForChat((c) => c.id === id && c.pollOpen)
      slow.admin.injectFault({ resource: 'ChatMessage', kind: 'handover', sessionId: id })
      expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'x' })).status).toBe(503)
      expect((await held).status).toBe(503)

      const res = await fetch(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=${batch.offset}`, {
        headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
      })
      expect(res.status).toBe(200)
      // Still using the old token after the reconnect: 503 again, recorded as a violation.
      expect((await visitor.poll(batch.sequence)).status).toBe(503)
      expect(slow.admin.stats().violations.map((v) => v.rule)).toEqual(['stale-affinity'])
    } finally {
      await slow.close()
    }
  })

  it('answers 405 to ReconnectSession when no hand-over is pending', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    const res = await fetch(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=0`, {
      headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
    })
    expect(res.status).toBe(405)
    expect(await res.text()).toContain('no server hand-over is pending')
  })

  it('answers a repeated ReconnectSession (its answer lost) with the same token until ChasitorResyncState, then 405', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    const batch = await visitor.nextBatch(-1)
    mock.admin.injectFault({ resource: '*', kind: 'handover', sessionId: id })
    expect((await visitor.poll(batch.sequence)).status).toBe(503)
    const reconnect = async (): Promise<{ status: number; token?: string; text: string }> => {
      const res = await rawRequest(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=${batch.offset}`, {
        headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
      })
      if (res.status !== 200) return { status: res.status, text: res.text }
      const body = res.json<{ messages: { message: { affinityToken: string; resetSequence: boolean } }[] }>()
      expect(body.messages[0]!.message.resetSequence).toBe(true)
      return { status: 200, token: body.messages[0]!.message.affinityToken, text: res.text }
    }
    const first = await reconnect()
    const repeated = await reconnect()
    expect(repeated).toEqual({ status: 200, token: first.token, text: first.text })
    visitor.affinity = first.token!

    // one ChasitorSessionData, still the next event; then the hand-over is over and a repeat is refused
    const next = await visitor.nextBatch(batch.sequence)
    expect(types(next)).toEqual(['ChasitorSessionData'])
    expect(
      (await visitor.post('Chasitor/ChasitorResyncState', undefined, { organizationId: mock.options.orgId })).status
    ).toBe(200)
    expect((await visitor.post('Chasitor/ChatMessage', 1, { text: 'after' })).status).toBe(200)
    expect(await reconnect()).toMatchObject({ status: 405, text: expect.stringContaining('no server hand-over') })
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('a chat the agent ends during a hand-over: ReconnectSession still works and the ChatEnded can be read', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    const batch = await visitor.nextBatch(-1)
    mock.admin.injectFault({ resource: '*', kind: 'handover', sessionId: id })
    expect((await visitor.poll(batch.sequence)).status).toBe(503)
    mock.admin.agentMessage(id, 'last words')
    mock.admin.endChat(id)

    const res = await rawRequest(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=${batch.offset}`, {
      headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
    })
    expect(res.status).toBe(200)
    visitor.affinity = res.json<{
      messages: { message: { affinityToken: string } }[]
    }>().messages[0]!.message.affinityToken
    const next = await visitor.nextBatch(batch.sequence)
    expect(types(next)).toEqual(expect.arrayContaining(['ChatMessage', 'ChatEnded', 'ChasitorSessionData']))
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('answers 403 to ReconnectSession on a session that is gone (deleted)', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    const batch = await visitor.nextBatch(-1)
    mock.admin.injectFault({ resource: '*', kind: 'handover', sessionId: id })
    expect((await visitor.poll(batch.sequence)).status).toBe(503)
    const key = visitor.session.key
    expect(
      (
        await rawRequest(`${visitor.api}/System/SessionId/${encodeURIComponent(key)}`, {
          method: 'DELETE',
          headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
        })
      ).status
    ).toBeLessThan(500)
    const res = await rawRequest(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=${batch.offset}`, {
      headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
    })
    expect(res.status).toBe(403)
  })

  it('flags a sequenced POST sent before ChasitorResyncState and a bad reconnect offset', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    const batch: Batch = await visitor.nextBatch(-1)
    mock.admin.injectFault({ resource: '*', kind: 'handover' })
    expect((await visitor.poll(batch.sequence)).status).toBe(503)
    const res = await fetch(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=${batch.offset + 999}`, {
      headers: visitor.headers({ 'X-LIVEAGENT-AFFINITY': 'null' }),
    })
    visitor.affinity = (
      (await res.json()) as { messages: { message: { affinityToken: string } }[] }
    ).messages[0]!.message.affinityToken
    expect((await visitor.post('Chasitor/ChatMessage', 1, { text: 'hasty' })).status).toBe(200)
    expect(mock.admin.stats().violations.map((v) => v.rule)).toEqual(['reconnect-offset', 'post-before-resync'])
  })
})
