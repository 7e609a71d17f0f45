import { z } from 'zod'
import { RESOURCES } from './protocol.js'

export const FAULT_KINDS = ['handover', 'error500', 'delay', 'reset', 'drop'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** '*' matches every resource. */
export const ANY_RESOURCE = '*'

export const faultSchema = z
  .strictObject({
    resource: z.enum([...RESOURCES, ANY_RESOURCE], {
      error: `resource must be '*' or one of ${RESOURCES.join(', ')}`,
    }),
    kind: z.enum(FAULT_KINDS),
    /** How many matching requests the fault applies to. */
    count: z.number().int().positive().default(1),
    delayMs: z.number().int().nonnegative().optional(),
    /** Restrict the fault to one session (its id); requests without a session never match then. */
    sessionId: z.string().min(1).optional(),
  })
  .refine((f) => f.kind !== 'delay' || f.delayMs !== undefined, { message: "a 'delay' fault needs delayMs" })

export type FaultSpec = z.input<typeof faultSchema>
type Fault = z.output<typeof faultSchema>

export interface FaultTarget {
  resource: string
  sessionId: string | undefined
  /** Only sequenced visitor POSTs can be dropped silently. */
  droppable: boolean
  /** A hand-over needs a session, and never hits ReconnectSession itself. */
  handoverable: boolean
}

/** Faults armed through the admin API; each request consumes at most one. */
export class FaultPlan {
  private faults: Fault[] = []

  add(spec: FaultSpec): void {
    this.faults.push(faultSchema.parse(spec))
  }

  /** The fault this request must suffer, if any (its count is consumed). */
  take(target: FaultTarget): Fault | undefined {
    if (this.faults.length === 0) return undefined
    const index = this.faults.findIndex((f) => this.matches(f, target))
    if (index < 0) return undefined
    const fault = this.faults[index]!
    fault.count--
    if (fault.count <= 0) this.faults.splice(index, 1)
    return fault
  }

  pending(): Fault[] {
    return this.faults.map((f) => ({ ...f }))
  }

  clear(): void {
    this.faults = []
  }

  private matches(fault: Fault, target: FaultTarget): boolean {
    if (fault.resource !== ANY_RESOURCE && fault.resource !== target.resource) return false
    if (fault.sessionId !== undefined && fault.sessionId !== target.sessionId) return false
    if (fault.kind === 'drop') return target.droppable
    if (fault.kind === 'handover') return target.handoverable
    return true
  }
}
