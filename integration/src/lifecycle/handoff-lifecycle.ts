import { z } from '@botpress/sdk'
import { createActor, type Actor, type SnapshotFrom } from 'xstate'
import { endReasonSchema, handoffStatusSchema, type HandoffStatus } from '../definitions/states.js'
import { handoffMachine } from './machine.js'
import type { LifecycleContext, LifecycleEffect, LifecycleEvent } from './types.js'

type HandoffActor = Actor<typeof handoffMachine>
type HandoffSnapshot = SnapshotFrom<typeof handoffMachine>

export type ApplyOutcome = 'applied' | 'duplicate' | 'rejected'

export type ApplyResult = {
  outcome: ApplyOutcome
  from: HandoffStatus
  to: HandoffStatus
  effects: LifecycleEffect[]
  /** Set when a hop event skipped sequence numbers (the contract says it never does). */
  gap?: { expected: number; received: number }
}

const persistedLifecycleSchema = z.object({
  value: handoffStatusSchema,
  context: z.object({
    lastSeq: z.number().int().min(0),
    queuePosition: z.number().nullable(),
    agent: z.object({ id: z.string(), name: z.string() }).nullable(),
    endReason: endReasonSchema.nullable(),
    endDetail: z.string().nullable(),
    stillConnectingTold: z.boolean(),
  }),
})

export type PersistedLifecycle = { value: HandoffStatus; context: LifecycleContext }

/** A persisted snapshot does not restore: the state was written by something else or by hand. */
export class CorruptLifecycleError extends Error {}

/** One hand-off's lifecycle: a running actor of the machine, restored from and persisted to a plain object. */
export class HandoffLifecycle {
  private constructor(private readonly _actor: HandoffActor) {}

  public static create(): HandoffLifecycle {
    return new HandoffLifecycle(createActor(handoffMachine).start())
  }

  /**
   * Restores from what `persist` returned. The shape is checked first: xstate throws asynchronously (out of reach of
   * a try/catch) on some malformed snapshots, and a hand-edited state must not take the process down.
   */
  public static restore(persisted: unknown): HandoffLifecycle {
    const parsed = persistedLifecycleSchema.safeParse(persisted)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new CorruptLifecycleError(
        `The stored hand-off lifecycle is not valid (${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'invalid'}).`
      )
    }
    const snapshot = handoffMachine.resolveState({ value: parsed.data.value, context: parsed.data.context })
    return new HandoffLifecycle(createActor(handoffMachine, { snapshot }).start())
  }

  public get status(): HandoffStatus {
    return this._snapshot.value as HandoffStatus
  }

  public get context(): LifecycleContext {
    return this._snapshot.context
  }

  /**
   * Applies an event once. A hop event whose seq was already applied is a `duplicate`; an event the current state
   * does not accept is `rejected` (nothing changes). Effects are what the caller must carry out, in order.
   */
  public apply(event: LifecycleEvent): ApplyResult {
    const before = this._snapshot
    const from = this.status
    if (!before.can(event)) {
      const seq = 'seq' in event ? event.seq : undefined
      const outcome: ApplyOutcome = seq !== undefined && seq <= before.context.lastSeq ? 'duplicate' : 'rejected'
      return { outcome, from, to: from, effects: [] }
    }
    const gap =
      'seq' in event && event.seq > before.context.lastSeq + 1
        ? { expected: before.context.lastSeq + 1, received: event.seq }
        : undefined
    const effects: LifecycleEffect[] = []
    const subscription = this._actor.on('*', (effect) => effects.push(effect))
    try {
      this._actor.send(event)
    } finally {
      subscription.unsubscribe()
    }
    return { outcome: 'applied', from, to: this.status, effects, ...(gap ? { gap } : {}) }
  }

  /** A JSON-safe `{ value, context }` for the conversation state. */
  public persist(): PersistedLifecycle {
    const snapshot = this._snapshot
    return {
      value: this.status,
      context: { ...snapshot.context, agent: snapshot.context.agent && { ...snapshot.context.agent } },
    }
  }

  public stop(): void {
    this._actor.stop()
  }

  private get _snapshot(): HandoffSnapshot {
    return this._actor.getSnapshot()
  }
}
