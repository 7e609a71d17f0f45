import { getShortestPaths } from '@xstate/graph'
import { createActor, type SnapshotFrom } from 'xstate'
import { END_REASONS } from '@liveagent-hop/bridge-contract'
import { HANDOFF_STATUSES } from '../src/definitions/states.js'
import { CorruptLifecycleError, HandoffLifecycle } from '../src/lifecycle/handoff-lifecycle.js'
import { handoffMachine } from '../src/lifecycle/machine.js'
import type { LifecycleEffect, LifecycleEvent } from '../src/lifecycle/types.js'

type Snapshot = SnapshotFrom<typeof handoffMachine>

const ANDY = { id: '005A00000000001', name: 'Andy' }
const BEA = { id: '005A00000000002', name: 'Bea' }

/** Every event the lifecycle can meet, with the next seq (and, once one exists, a redelivery of the last one). */
const eventsFor = (snapshot: Snapshot): LifecycleEvent[] => {
  const next = snapshot.context.lastSeq + 1
  const last = snapshot.context.lastSeq
  return [
    { type: 'hitl.start' },
    { type: 'hitl.failed', detail: 'hop server unreachable' },
    { type: 'hitl.stop', by: 'bot' },
    { type: 'hitl.stop', by: 'visitor' },
    { type: 'visitor.message' },
    { type: 'chat.queued', seq: next, position: 2 },
    { type: 'chat.queued', seq: next, position: 1 },
    { type: 'agent.joined', seq: next, agent: ANDY },
    { type: 'agent.message', seq: next, text: 'Hi, I am Andy', agent: ANDY },
    { type: 'agent.typing', seq: next, typing: true },
    { type: 'chat.transferred', seq: next, agent: BEA },
    ...END_REASONS.map((reason) => ({ type: 'chat.ended' as const, seq: next, reason })),
    ...(last > 0 ? [{ type: 'chat.queued' as const, seq: last, position: 9 }] : []),
  ]
}

// lastSeq grows without bound; the state space is what matters for coverage.
const serializeState = (snapshot: Snapshot) =>
  JSON.stringify([
    snapshot.value,
    snapshot.context.stillConnectingTold,
    snapshot.context.queuePosition,
    snapshot.context.agent?.id ?? null,
    snapshot.context.endReason,
    snapshot.context.endDetail,
  ])

const paths = getShortestPaths(handoffMachine, { events: eventsFor, serializeState })

describe('lifecycle machine, model-based', () => {
  it('reaches every state and every end reason', () => {
    const reached = new Set(paths.map((path) => String(path.state.value)))
    expect([...reached].sort()).toEqual([...HANDOFF_STATUSES].sort())
    const reasons = new Set(paths.filter((p) => p.state.value === 'ended').map((p) => p.state.context.endReason))
    expect([...reasons].sort()).toEqual([...END_REASONS].sort())
    expect(paths.length).toBeGreaterThan(20)
  })

  it('replays every shortest path on a real actor, with the lifecycle rules holding on each', () => {
    for (const path of paths) {
      const actor = createActor(handoffMachine).start()
      const effects: LifecycleEffect[] = []
      actor.on('*', (effect) => effects.push(effect))
      for (const step of path.steps) {
        actor.send(step.event)
        const snapshot = actor.getSnapshot()
        // The model state, not lastSeq (left out of the model to keep it finite).
        expect(serializeState(snapshot)).toBe(serializeState(step.state))
      }
      const endState = actor.getSnapshot()
      const description = path.steps.map((s) => s.event.type).join(' → ')

      // While waiting, more visitor messages are all forwarded but "still connecting" is told once in the hand-off.
      if (endState.value === 'connecting' || endState.value === 'queued') {
        for (let i = 0; i < 3; i++) actor.send({ type: 'visitor.message' })
        const told = effects.filter((e) => e.type === 'tell' && e.message === 'stillConnecting').length
        expect({ description, told }).toEqual({ description, told: 1 })
      }
      // The end is announced once, with the reason the state keeps.
      const ends = effects.filter((e) => e.type === 'ended')
      expect(ends.length).toBe(endState.value === 'ended' ? 1 : 0)
      if (ends[0]) {
        expect(ends[0].reason).toBe(endState.context.endReason)
      }
      // An event already applied never applies again.
      if (endState.context.lastSeq > 0) {
        expect(endState.can({ type: 'chat.ended', seq: endState.context.lastSeq, reason: 'agent' })).toBe(false)
        expect(endState.can({ type: 'agent.message', seq: endState.context.lastSeq, text: 'again', agent: ANDY })).toBe(
          false
        )
      }
      actor.stop()
    }
  })

  it('accepts only the transitions the hand-off allows', () => {
    const accepted = (value: string, event: LifecycleEvent, lastSeq = 0) =>
      handoffMachine
        .resolveState({
          value,
          context: {
            lastSeq,
            queuePosition: null,
            agent: null,
            endReason: null,
            endDetail: null,
            stillConnectingTold: false,
          },
        })
        .can(event)

    expect(accepted('bot', { type: 'agent.message', seq: 1, text: 'x', agent: ANDY })).toBe(false)
    expect(accepted('bot', { type: 'visitor.message' })).toBe(false)
    expect(accepted('bot', { type: 'hitl.stop', by: 'bot' })).toBe(false)
    expect(accepted('connecting', { type: 'hitl.start' })).toBe(false)
    expect(accepted('connecting', { type: 'agent.message', seq: 1, text: 'x', agent: ANDY })).toBe(false)
    expect(accepted('queued', { type: 'hitl.failed', detail: 'x' })).toBe(false)
    expect(accepted('agent', { type: 'chat.queued', seq: 1, position: 1 })).toBe(false)
    expect(accepted('agent', { type: 'agent.joined', seq: 1, agent: ANDY })).toBe(false)
    expect(accepted('ended', { type: 'visitor.message' })).toBe(false)
    expect(accepted('ended', { type: 'hitl.stop', by: 'bot' })).toBe(false)
    expect(accepted('ended', { type: 'agent.message', seq: 5, text: 'x', agent: ANDY })).toBe(false)
    expect(accepted('ended', { type: 'chat.ended', seq: 5, reason: 'visitor' }, 4)).toBe(true)
    expect(accepted('agent', { type: 'agent.message', seq: 4, text: 'x', agent: ANDY }, 4)).toBe(false)
  })
})

describe('HandoffLifecycle', () => {
  const startedAndQueued = () => {
    const lifecycle = HandoffLifecycle.create()
    lifecycle.apply({ type: 'hitl.start' })
    lifecycle.apply({ type: 'chat.queued', seq: 1, position: 3 })
    return lifecycle
  }

  it('tells apart applied, duplicate and rejected events, and changes nothing for the last two', () => {
    const lifecycle = startedAndQueued()
    const before = lifecycle.persist()
    expect(lifecycle.apply({ type: 'chat.queued', seq: 1, position: 3 })).toMatchObject({
      outcome: 'duplicate',
      effects: [],
    })
    expect(lifecycle.apply({ type: 'agent.message', seq: 2, text: 'x', agent: ANDY })).toMatchObject({
      outcome: 'rejected',
      from: 'queued',
      to: 'queued',
    })
    expect(lifecycle.persist()).toEqual(before)
    expect(lifecycle.apply({ type: 'agent.joined', seq: 2, agent: ANDY })).toEqual({
      outcome: 'applied',
      from: 'queued',
      to: 'agent',
      // hitlAssigned only: the HITL plugin tells the customer that an agent joined.
      effects: [{ type: 'agentAssigned', agent: ANDY }],
    })
  })

  it('tells the queue position only when it changes', () => {
    const lifecycle = startedAndQueued()
    expect(lifecycle.apply({ type: 'chat.queued', seq: 2, position: 3 }).effects).toEqual([])
    expect(lifecycle.apply({ type: 'chat.queued', seq: 3, position: 1 }).effects).toEqual([
      { type: 'tell', message: 'queuePosition', position: 1 },
    ])
    expect(lifecycle.apply({ type: 'chat.queued', seq: 4, position: 2, estimatedWaitTime: 90 }).effects).toEqual([
      { type: 'tell', message: 'queueWait', position: 2, waitSeconds: 90 },
    ])
    expect(lifecycle.context.lastSeq).toBe(4)
  })

  it('notes a gap in the sequence but applies the event', () => {
    const lifecycle = startedAndQueued()
    expect(lifecycle.apply({ type: 'agent.joined', seq: 4, agent: ANDY })).toMatchObject({
      outcome: 'applied',
      gap: { expected: 2, received: 4 },
    })
  })

  it('forwards every visitor message while waiting but says "still connecting" once', () => {
    const lifecycle = startedAndQueued()
    expect(lifecycle.apply({ type: 'visitor.message' }).effects).toEqual([
      { type: 'forwardToAgent' },
      { type: 'tell', message: 'stillConnecting' },
    ])
    expect(lifecycle.apply({ type: 'visitor.message' }).effects).toEqual([{ type: 'forwardToAgent' }])
  })

  it('hands back on a visitor cancel but not when the bot stopped the chat, telling nothing itself', () => {
    const cancelled = startedAndQueued().apply({ type: 'hitl.stop', by: 'visitor' })
    expect(cancelled.effects).toEqual([{ type: 'ended', reason: 'visitor', detail: null, handBack: true }])
    const stopped = startedAndQueued().apply({ type: 'hitl.stop', by: 'bot' })
    expect(stopped.effects).toEqual([{ type: 'ended', reason: 'visitor', detail: null, handBack: false }])
  })

  it('leaves the end notice to the HITL plugin (hitlStopped), waiting or with an agent', () => {
    expect(startedAndQueued().apply({ type: 'chat.ended', seq: 2, reason: 'timeout' }).effects).toEqual([
      { type: 'ended', reason: 'timeout', detail: null, handBack: true },
    ])
    const withAgent = startedAndQueued()
    withAgent.apply({ type: 'agent.joined', seq: 2, agent: ANDY })
    expect(withAgent.apply({ type: 'chat.ended', seq: 3, reason: 'timeout', detail: 'idle' }).effects).toEqual([
      { type: 'ended', reason: 'timeout', detail: 'idle', handBack: true },
    ])
  })

  it('persists to plain JSON and restores to the same state', () => {
    const lifecycle = startedAndQueued()
    lifecycle.apply({ type: 'visitor.message' })
    lifecycle.apply({ type: 'agent.joined', seq: 2, agent: ANDY })
    const stored = JSON.parse(JSON.stringify(lifecycle.persist())) as unknown
    const restored = HandoffLifecycle.restore(stored)
    expect(restored.status).toBe('agent')
    expect(restored.context).toEqual(lifecycle.context)
    expect(restored.apply({ type: 'agent.joined', seq: 2, agent: ANDY }).outcome).toBe('duplicate')
    expect(restored.apply({ type: 'agent.message', seq: 3, text: 'hello', agent: ANDY }).effects).toEqual([
      { type: 'agentMessage', text: 'hello', agent: ANDY },
    ])
  })

  it.each([
    ['null', null],
    ['an unknown state', { value: 'lost', context: {} }],
    ['a negative seq', { value: 'queued', context: { lastSeq: -1 } }],
  ])('refuses to restore %s', (_what, persisted) => {
    expect(() => HandoffLifecycle.restore(persisted)).toThrow(CorruptLifecycleError)
  })
})
