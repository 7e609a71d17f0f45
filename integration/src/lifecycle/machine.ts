// The hand-off lifecycle: bot → connecting → queued → agent → ended (with the reason). Pure: no timers, no invoked
// actors, so a persisted snapshot restores exactly. Side effects are *emitted* (see LifecycleEffect) and carried out
// by the caller. Every accepted transition has at least one action, so `snapshot.can(event)` tells accepted events
// from rejected ones.
//
// Which notices the customer reads is split with Botpress's HITL plugin (hub.md, "Who says what"): the plugin says
// the hand-off started, that an agent joined (on each hitlAssigned), that the chat ended (hitlStopped) and what
// happens on /end. The integration only tells the wait (queue position, estimated wait, "still connecting"): the
// plugin takes whoever writes first in the hand-off conversation for the agent, so these are opt-in (settings).
import { and, assign, emit, setup } from 'xstate'
import type { HopLifecycleEvent, LifecycleContext, LifecycleEffect, LifecycleEvent } from './types.js'

type EndedEvent = Extract<LifecycleEvent, { type: 'chat.ended' }>

const seqOf = (event: LifecycleEvent): number | undefined => ('seq' in event ? event.seq : undefined)

export const handoffMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    emitted: {} as LifecycleEffect,
  },
  guards: {
    isNewSeq: ({ context, event }) => {
      const seq = seqOf(event)
      return seq !== undefined && seq > context.lastSeq
    },
    queuePositionChanged: ({ context, event }) =>
      event.type === 'chat.queued' && event.position !== context.queuePosition,
    notToldStillConnecting: ({ context }) => !context.stillConnectingTold,
  },
  actions: {
    recordSeq: assign({ lastSeq: ({ context, event }) => seqOf(event) ?? context.lastSeq }),
    recordQueuePosition: assign({
      queuePosition: ({ context, event }) => (event.type === 'chat.queued' ? event.position : context.queuePosition),
    }),
    recordAgent: assign({
      agent: ({ context, event }) =>
        event.type === 'agent.joined' || event.type === 'chat.transferred' ? event.agent : context.agent,
    }),
    recordEnd: assign({
      endReason: ({ event }) => (event as EndedEvent).reason,
      endDetail: ({ event }) => (event as EndedEvent).detail ?? null,
    }),
    recordStop: assign({ endReason: 'visitor', endDetail: null }),
    recordFailure: assign({
      endReason: 'error',
      endDetail: ({ event }) => (event.type === 'hitl.failed' ? event.detail : null),
    }),
    markStillConnectingTold: assign({ stillConnectingTold: true }),
    // Starting changes nothing in the context; the transition still needs an action (see the header).
    recordStart: assign({ lastSeq: ({ context }) => context.lastSeq }),

    tellQueuePosition: emit(({ event }) => {
      const queued = event as Extract<HopLifecycleEvent, { type: 'chat.queued' }>
      return {
        type: 'tell' as const,
        message: queued.estimatedWaitTime === undefined ? ('queuePosition' as const) : ('queueWait' as const),
        position: queued.position,
        ...(queued.estimatedWaitTime === undefined ? {} : { waitSeconds: queued.estimatedWaitTime }),
      }
    }),
    tellStillConnecting: emit({ type: 'tell', message: 'stillConnecting' }),
    forwardToAgent: emit({ type: 'forwardToAgent' }),
    announceAgent: emit(({ event }) => {
      const agent = (event as Extract<HopLifecycleEvent, { agent: unknown }>).agent
      return { type: 'agentAssigned' as const, agent }
    }),
    deliverAgentMessage: emit(({ event }) => {
      const message = event as Extract<HopLifecycleEvent, { type: 'agent.message' }>
      return { type: 'agentMessage' as const, text: message.text, agent: message.agent }
    }),
    relayAgentTyping: emit(({ event }) => ({
      type: 'agentTyping' as const,
      typing: (event as Extract<HopLifecycleEvent, { type: 'agent.typing' }>).typing,
    })),
    announceEnd: emit(({ context }) => ({
      type: 'ended' as const,
      reason: context.endReason ?? 'error',
      detail: context.endDetail,
      handBack: true,
    })),
    announceStop: emit(({ event }) => ({
      type: 'ended' as const,
      reason: 'visitor' as const,
      detail: null,
      // The bot asked for the end: it knows already. A visitor's cancel phrase must hand back to the bot.
      handBack: event.type === 'hitl.stop' && event.by === 'visitor',
    })),
    announceFailure: emit(({ context }) => ({
      type: 'ended' as const,
      reason: 'error' as const,
      detail: context.endDetail,
      // startHitl fails with the error itself; there is no hand-off to hand back.
      handBack: false,
    })),
  },
}).createMachine({
  id: 'handoff',
  initial: 'bot',
  context: {
    lastSeq: 0,
    queuePosition: null,
    agent: null,
    endReason: null,
    endDetail: null,
    stillConnectingTold: false,
  },
  states: {
    bot: {
      on: {
        'hitl.start': { target: 'connecting', actions: 'recordStart' },
      },
    },
    connecting: {
      on: {
        'chat.queued': {
          guard: 'isNewSeq',
          target: 'queued',
          actions: ['recordSeq', 'recordQueuePosition', 'tellQueuePosition'],
        },
        'agent.joined': {
          guard: 'isNewSeq',
          target: 'agent',
          actions: ['recordSeq', 'recordAgent', 'announceAgent'],
        },
        'chat.ended': {
          guard: 'isNewSeq',
          target: 'ended',
          actions: ['recordSeq', 'recordEnd', 'announceEnd'],
        },
        'hitl.stop': { target: 'ended', actions: ['recordStop', 'announceStop'] },
        'hitl.failed': { target: 'ended', actions: ['recordFailure', 'announceFailure'] },
        'visitor.message': [
          {
            guard: 'notToldStillConnecting',
            actions: ['markStillConnectingTold', 'forwardToAgent', 'tellStillConnecting'],
          },
          { actions: 'forwardToAgent' },
        ],
      },
    },
    queued: {
      on: {
        'chat.queued': [
          {
            guard: and(['isNewSeq', 'queuePositionChanged']),
            actions: ['recordSeq', 'recordQueuePosition', 'tellQueuePosition'],
          },
          { guard: 'isNewSeq', actions: 'recordSeq' },
        ],
        'agent.joined': {
          guard: 'isNewSeq',
          target: 'agent',
          actions: ['recordSeq', 'recordAgent', 'announceAgent'],
        },
        'chat.ended': {
          guard: 'isNewSeq',
          target: 'ended',
          actions: ['recordSeq', 'recordEnd', 'announceEnd'],
        },
        'hitl.stop': { target: 'ended', actions: ['recordStop', 'announceStop'] },
        'visitor.message': [
          {
            guard: 'notToldStillConnecting',
            actions: ['markStillConnectingTold', 'forwardToAgent', 'tellStillConnecting'],
          },
          { actions: 'forwardToAgent' },
        ],
      },
    },
    agent: {
      on: {
        'agent.message': { guard: 'isNewSeq', actions: ['recordSeq', 'deliverAgentMessage'] },
        'agent.typing': { guard: 'isNewSeq', actions: ['recordSeq', 'relayAgentTyping'] },
        'chat.transferred': {
          guard: 'isNewSeq',
          actions: ['recordSeq', 'recordAgent', 'announceAgent'],
        },
        'chat.ended': {
          guard: 'isNewSeq',
          target: 'ended',
          actions: ['recordSeq', 'recordEnd', 'announceEnd'],
        },
        'hitl.stop': { target: 'ended', actions: ['recordStop', 'announceStop'] },
        'visitor.message': { actions: 'forwardToAgent' },
      },
    },
    ended: {
      on: {
        // The hop server confirms an end we caused (stopHitl, cancel phrase): nothing left to do but note the seq.
        'chat.ended': { guard: 'isNewSeq', actions: 'recordSeq' },
      },
    },
  },
})

export type HandoffMachine = typeof handoffMachine
