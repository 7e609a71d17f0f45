// The Simulator's protocol rules, judged without HTTP: requests go in as plain values, and a refusal comes out as
// the ProtocolError the HTTP layer would turn into Salesforce's answer.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { pino } from 'pino'
import type { ChasitorRequest, SessionCredentials } from '../src/chasitor-requests.js'
import { resolveOptions, SAMPLE_IDS, type MockServerOptions } from '../src/config.js'
import { ProtocolError } from '../src/errors.js'
import type { Resource } from '../src/protocol.js'
import type { Batch, PollReply, SimulatedChat } from '../src/simulated-chat.js'
import { Simulator } from '../src/simulator.js'

const VERSION = '47'

/** A PollReply that remembers how the poll was answered. */
class RecordedReply implements PollReply {
  answers: ({ batch: Batch } | { status: number; body: string } | 'empty' | 'destroyed')[] = []
  gone: (() => void) | undefined
  batch(batch: Batch): void {
    this.answers.push({ batch })
  }
  refuse(status: number, body: string): void {
    this.answers.push({ status, body })
  }
  empty(): void {
    this.answers.push('empty')
  }
  destroy(): void {
    this.answers.push('destroyed')
  }
  onClientGone(listener: () => void): void {
    this.gone = listener
  }
}

function refusal(action: () => unknown): { status: number; body: string } {
  try {
    action()
  } catch (error) {
    if (error instanceof ProtocolError) return { status: error.status, body: error.body }
    throw error
  }
  throw new Error('expected a ProtocolError')
}

describe('Simulator rules (no HTTP)', () => {
  let sim: Simulator
  const open: Simulator[] = []

  function simulator(options: MockServerOptions = {}): Simulator {
    const created = new Simulator(
      resolveOptions({ scenario: 'manual', holdMs: 60_000, ...options }),
      pino({ level: 'silent' })
    )
    open.push(created)
    return created
  }

  beforeEach(() => {
    sim = simulator()
  })
  afterEach(() => {
    for (const created of open.splice(0)) created.close()
  })

  const request = (credentials: SessionCredentials, resource: Resource, affinity?: string): ChasitorRequest => ({
    resource,
    apiVersion: VERSION,
    sessionKey: credentials.key,
    affinity: affinity ?? sim.find(credentials.id)!.affinity,
  })

  /** A session that sent ChasitorInit with sequence 1 (and, if asked, was accepted by an agent). */
  function chat(accepted = true, on: Simulator = sim): SimulatedChat {
    const credentials = on.chasitor.openSession()
    const session = on.find(credentials.id)!
    on.chasitor.chasitorInit(
      session,
      {
        organizationId: SAMPLE_IDS.orgId,
        deploymentId: SAMPLE_IDS.deploymentId,
        buttonId: SAMPLE_IDS.buttonId,
        sessionId: session.id,
        visitorName: 'Ada',
      },
      '1'
    )
    if (accepted) on.accept(session.id)
    return session
  }

  const rules = (): string[] => sim.stats.view().violations.map((violation) => violation.rule)
  const visitorTexts = (session: SimulatedChat): string[] =>
    session.transcript.filter((entry) => entry.from === 'visitor').map((entry) => entry.text)

  describe('admission', () => {
    it('refuses a missing or unsupported API version with 400', () => {
      expect(
        refusal(() =>
          sim.chasitor.admit({ resource: 'SessionId', apiVersion: undefined, sessionKey: undefined, affinity: 'null' })
        )
      ).toMatchObject({ status: 400 })
      expect(
        refusal(() =>
          sim.chasitor.admit({ resource: 'SessionId', apiVersion: '28', sessionKey: undefined, affinity: 'null' })
        )
      ).toMatchObject({ status: 400 })
      expect(rules()).toEqual(['missing-api-version'])
      expect(
        sim.chasitor.admit({ resource: 'SessionId', apiVersion: VERSION, sessionKey: undefined, affinity: 'null' })
          .version
      ).toBe(47)
    })

    it('refuses an unknown key and a wrong affinity with 403, an ended chat unless it can still be drained', () => {
      const credentials = sim.chasitor.openSession()
      expect(
        refusal(() =>
          sim.chasitor.admitSession({ ...request(credentials, 'ChatMessage'), sessionKey: 'nope' }, 'required')
        ).status
      ).toBe(403)
      expect(
        refusal(() => sim.chasitor.admitSession(request(credentials, 'ChatMessage', '0badc0de'), 'required')).status
      ).toBe(403)
      expect(rules()).toEqual(['unknown-session', 'wrong-affinity'])

      const session = chat()
      const ended = {
        resource: 'Messages',
        apiVersion: VERSION,
        sessionKey: session.key,
        affinity: session.affinity,
      } as const
      sim.endChat(session.id)
      expect(sim.chasitor.admitSession(ended, 'pollable').session).toBe(session)
      expect(refusal(() => sim.chasitor.admitSession({ ...ended, resource: 'ChatMessage' }, 'required')).status).toBe(
        403
      )
    })

    it('answers 503 to everything but ReconnectSession during a hand-over, and to the old token after it', () => {
      const session = chat()
      const old = session.affinity
      const with_ = (resource: Resource, affinity: string): ChasitorRequest => ({
        resource,
        apiVersion: VERSION,
        sessionKey: session.key,
        affinity,
      })
      sim.chasitor.startHandover(session)
      expect(refusal(() => sim.chasitor.admitSession(with_('Messages', session.affinity), 'pollable')).status).toBe(503)
      expect(sim.chasitor.admitSession(with_('ReconnectSession', 'null'), 'pollable').session).toBe(session)
      sim.chasitor.reconnect(session, { version: 47, affinity: 'null', offset: '0' })
      expect(refusal(() => sim.chasitor.admitSession(with_('Messages', old), 'pollable')).status).toBe(503)
      expect(rules()).toContain('stale-affinity')
    })

    it('acts out a 500 and a hand-over fault itself, and leaves reset, delay and drop to the transport', () => {
      const session = chat()
      const req = (resource: Resource): ChasitorRequest => ({
        resource,
        apiVersion: VERSION,
        sessionKey: session.key,
        affinity: session.affinity,
      })
      sim.faults.add({ resource: 'ChatMessage', kind: 'drop' })
      expect(sim.chasitor.admitSession(req('ChatMessage'), 'required').fault).toEqual({ kind: 'drop' })
      sim.faults.add({ resource: 'Messages', kind: 'delay', delayMs: 5 })
      expect(sim.chasitor.admitSession(req('Messages'), 'pollable').fault).toEqual({ kind: 'delay', delayMs: 5 })
      sim.faults.add({ resource: 'Messages', kind: 'error500' })
      expect(refusal(() => sim.chasitor.admitSession(req('Messages'), 'pollable')).status).toBe(500)
      sim.faults.add({ resource: 'Messages', kind: 'handover' })
      expect(refusal(() => sim.chasitor.admitSession(req('Messages'), 'pollable')).status).toBe(503)
      expect(session.handoverPending).toBe(true)
    })
  })

  describe('sequenced POSTs', () => {
    it('applies the next number once, acknowledges a repeat without applying it, refuses a gap with 409', () => {
      const session = chat()
      sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'hello' }, '2')
      sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'hello' }, '2')
      expect(visitorTexts(session)).toEqual(['hello'])
      expect(refusal(() => sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'far' }, '5'))).toEqual({
        status: 409,
        body: 'Out of sync Ack. Expected 5. Actual 2',
      })
      expect(session.lastSequence).toBe(2)
      expect(session.toView().sequences).toEqual([1, 2, 2, 5])
      expect(sim.stats.view()).toMatchObject({ conflicts409: 1 })
      expect(rules()).toEqual(['sequence-gap'])
    })

    it('refuses a number that is not a positive integer with 400', () => {
      const session = chat()
      for (const raw of ['0', '-1', 'two'])
        expect(refusal(() => sim.chasitor.visitorPost(session, { noun: 'ChasitorTyping' }, raw)).status).toBe(400)
    })

    it('answers 500 to a message before ChatEstablished without consuming its number; ChatEnd may go while queued', () => {
      const session = chat(false)
      expect(
        refusal(() => sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'anyone?' }, '2')).status
      ).toBe(500)
      expect(session.lastSequence).toBe(1)
      sim.chasitor.visitorPost(session, { noun: 'ChatEnd', reason: 'client' }, '2')
      expect(session.toView()).toMatchObject({ state: 'ended', endReason: 'client' })
      expect(rules()).toEqual(['post-before-established'])
    })

    it('refuses a missing number with 409, unless lenient, which applies it', () => {
      const strict = chat()
      expect(refusal(() => sim.chasitor.visitorPost(strict, { noun: 'ChatMessage', text: 'x' }, undefined))).toEqual({
        status: 409,
        body: 'Out of sync Ack. Expected null. Actual 1',
      })
      const lenientSim = simulator({ lenient: true })
      const lenient = chat(true, lenientSim)
      lenientSim.chasitor.visitorPost(lenient, { noun: 'ChatMessage', text: 'x' }, undefined)
      expect(visitorTexts(lenient)).toEqual(['x'])
    })

    it('swallows a dropped ChatMessage (counted, not seen) but still applies other nouns', () => {
      const session = chat()
      sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'lost' }, '2', true)
      sim.chasitor.visitorPost(session, { noun: 'ChasitorTyping' }, '3', true)
      expect(visitorTexts(session)).toEqual([])
      expect(session.toView()).toMatchObject({ droppedMessages: 1, visitorTyping: true, lastSequence: 3 })
    })

    it('applies a MultiNoun in order and nothing after its ChatEnd', () => {
      const session = chat()
      sim.chasitor.multiNoun(
        session,
        [
          { noun: 'ChatMessage', text: 'first' },
          { noun: 'ChatEnd', reason: 'client' },
          { noun: 'ChatMessage', text: 'after the end' },
        ],
        '2'
      )
      expect(visitorTexts(session)).toEqual(['first'])
      expect(session.state).toBe('ended')
    })

    it('checks ChasitorInit before consuming its number, and counts a second one as a violation', () => {
      const credentials = sim.chasitor.openSession()
      const session = sim.find(credentials.id)!
      const init = {
        organizationId: SAMPLE_IDS.orgId,
        deploymentId: SAMPLE_IDS.deploymentId,
        buttonId: SAMPLE_IDS.buttonId,
        sessionId: session.id,
      }
      expect(refusal(() => sim.chasitor.chasitorInit(session, { ...init, sessionId: 'other' }, '1')).status).toBe(400)
      expect(
        refusal(() => sim.chasitor.chasitorInit(session, { ...init, buttonOverrides: ['x_y_z'] }, '1')).status
      ).toBe(400)
      expect(session.lastSequence).toBe(0)
      sim.chasitor.chasitorInit(session, init, '1')
      sim.chasitor.chasitorInit(session, init, '2')
      expect(rules()).toEqual(['repeated-init'])
      expect(sim.chats()).toHaveLength(1)
    })
  })

  describe('Messages polls', () => {
    it('answers pending events at once and holds an empty poll until an event wakes it', async () => {
      const session = chat(false)
      const first = new RecordedReply()
      sim.chasitor.pollMessages(session, { ack: '-1', pc: '0' }, first)
      expect(first.answers).toEqual([{ batch: expect.objectContaining({ sequence: 0 }) }])
      const held = new RecordedReply()
      sim.chasitor.pollMessages(session, { ack: '0', pc: '1' }, held)
      expect(held.answers).toEqual([])
      expect(session.toView()).toMatchObject({ pollOpen: true, acks: [-1, 0], pcs: [0, 1] })
      sim.accept(session.id)
      await Promise.resolve() // the wake runs in a microtask, so that events of one tick travel together
      expect(held.answers).toEqual([
        {
          batch: expect.objectContaining({
            sequence: 1,
            messages: [expect.objectContaining({ type: 'ChatEstablished' })],
          }),
        },
      ])
      expect(session.toView().pollOpen).toBe(false)
    })

    it('clamps an ack beyond what was delivered and counts it; refuses a missing or malformed ack with 400', () => {
      const session = chat()
      sim.chasitor.pollMessages(session, { ack: '7', pc: undefined }, new RecordedReply())
      expect(rules()).toEqual(['ack-ahead'])
      expect(session.toView().acks).toEqual([-1])
      const later = chat()
      expect(
        refusal(() => sim.chasitor.pollMessages(later, { ack: undefined, pc: undefined }, new RecordedReply())).status
      ).toBe(400)
      expect(
        refusal(() => sim.chasitor.pollMessages(later, { ack: '-2', pc: undefined }, new RecordedReply())).status
      ).toBe(400)
      expect(rules()).toEqual(['ack-ahead', 'missing-ack'])
    })

    it('answers two polls at once 409 both and terminates the chat', () => {
      const session = chat()
      sim.chasitor.pollMessages(session, { ack: '-1', pc: undefined }, new RecordedReply())
      const held = new RecordedReply()
      sim.chasitor.pollMessages(session, { ack: '1', pc: undefined }, held)
      expect(
        refusal(() => sim.chasitor.pollMessages(session, { ack: '1', pc: undefined }, new RecordedReply())).status
      ).toBe(409)
      expect(held.answers).toEqual([{ status: 409, body: expect.stringContaining('Conflict') }])
      expect(session.toView()).toMatchObject({ state: 'ended', endReason: 'duplicatePoll' })
      expect(sim.stats.view().conflicts409).toBe(2)
      expect(rules()).toEqual(['concurrent-poll'])
    })

    it('forgets a held poll whose client went away', () => {
      const session = chat()
      sim.chasitor.pollMessages(session, { ack: '-1', pc: undefined }, new RecordedReply())
      const held = new RecordedReply()
      sim.chasitor.pollMessages(session, { ack: '1', pc: undefined }, held)
      held.gone!()
      expect(session.toView().pollOpen).toBe(false)
      sim.chasitor.pollMessages(session, { ack: '1', pc: undefined }, new RecordedReply()) // not a duplicate
      expect(rules()).toEqual([])
    })
  })

  describe('server hand-over', () => {
    it('answers the held poll 503, then ReconnectSession gives a new token and ChasitorSessionData comes next', () => {
      const session = chat()
      sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'before' }, '2')
      const first = new RecordedReply()
      sim.chasitor.pollMessages(session, { ack: '-1', pc: undefined }, first)
      const delivered = (first.answers[0] as { batch: Batch }).batch
      const held = new RecordedReply()
      sim.chasitor.pollMessages(session, { ack: String(delivered.sequence), pc: undefined }, held)
      sim.chasitor.startHandover(session)
      expect(held.answers).toEqual([{ status: 503, body: expect.stringContaining('Invalid Affinity Token') }])

      const token = sim.chasitor.reconnect(session, { version: 47, affinity: 'null', offset: String(delivered.offset) })
      expect(token).toBe(session.affinity)
      expect(session.lastSequence).toBe(0)
      const batch = session.batchAfter(delivered.sequence)!
      expect(batch.messages.map((event) => event.type)).toEqual(['ChasitorSessionData'])
      expect(batch.messages[0]!.message).toMatchObject({
        queuePosition: 0,
        chatMessages: [expect.objectContaining({ type: 'Chasitor', content: 'before', name: 'Ada' })],
      })
      expect(sim.chasitor.reconnect(session, { version: 47, affinity: 'null', offset: undefined })).toBe(token) // a repeat
      sim.chasitor.resyncState(session, SAMPLE_IDS.orgId)
      expect(
        refusal(() => sim.chasitor.reconnect(session, { version: 47, affinity: 'null', offset: undefined })).status
      ).toBe(405)
      expect(rules()).toEqual([])
    })

    it('counts a reconnect with a real token or an offset beyond what was delivered, and a POST before the resync', () => {
      const session = chat()
      sim.chasitor.startHandover(session)
      sim.chasitor.reconnect(session, { version: 47, affinity: session.affinity, offset: '999999999999' })
      sim.chasitor.visitorPost(session, { noun: 'ChatMessage', text: 'early' }, '1')
      expect(rules()).toEqual(['reconnect-affinity', 'reconnect-offset', 'post-before-resync'])
    })

    it('has no ReconnectSession before API version 37 (404), and refuses an org that is not this one on resync', () => {
      const session = chat()
      sim.chasitor.startHandover(session)
      expect(
        refusal(() => sim.chasitor.reconnect(session, { version: 36, affinity: 'null', offset: '0' })).status
      ).toBe(404)
      expect(refusal(() => sim.chasitor.resyncState(session, '00D000000000BAD')).status).toBe(400)
    })
  })

  it('deletes a session by its key once; an unknown or ended key answers 403', () => {
    const session = chat()
    expect(refusal(() => sim.chasitor.deleteSession('unknown')).status).toBe(403)
    sim.chasitor.deleteSession(session.key)
    expect(session.toView()).toMatchObject({ state: 'ended', endReason: 'deleted' })
    expect(refusal(() => sim.chasitor.deleteSession(session.key)).status).toBe(403)
  })
})
