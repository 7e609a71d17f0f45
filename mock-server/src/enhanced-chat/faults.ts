import { z } from 'zod'

/** Route names a fault can target ('*' matches every route). */
export const ROUTES = [
  'accessToken',
  'continuationToken',
  'createConversation',
  'routingStatus',
  'listConversations',
  'sendMessage',
  'sendFile',
  'entry',
  'acknowledgeEntries',
  'listEntries',
  'endSession',
  'closeConversation',
  'sse',
] as const
export type RouteName = (typeof ROUTES)[number]
const ANY = '*'

const count = z.number().int().positive().default(1)

export const enhancedFaultSchema = z.discriminatedUnion('kind', [
  /** The next `count` requests to `route` answer this 5xx. */
  z.strictObject({
    kind: z.literal('error'),
    route: z.enum([...ROUTES, ANY], { error: `route must be '*' or one of ${ROUTES.join(', ')}` }),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(500),
    count,
  }),
  /** The next `count` sessions to be routed fail routing (ROUTING_RESULT with this failureType). */
  z.strictObject({
    kind: z.literal('routingFailure'),
    failureType: z.enum(['RoutingError', 'SubmissionError', 'Unknown', 'Cancelled']).default('RoutingError'),
    count,
  }),
  /** The next `count` events reach open streams `delayMs` late (in order; replay and entries are not delayed). */
  z.strictObject({ kind: z.literal('delayEvents'), delayMs: z.number().int().positive(), count }),
])
export type EnhancedFaultSpec = z.input<typeof enhancedFaultSchema>
type Fault = z.output<typeof enhancedFaultSchema>
type ErrorFault = Extract<Fault, { kind: 'error' }>
type RoutingFault = Extract<Fault, { kind: 'routingFailure' }>
type DelayFault = Extract<Fault, { kind: 'delayEvents' }>

/** Faults armed through /__admin/enhanced/faults; each request, routing or event consumes at most one. */
export class EnhancedFaultPlan {
  private faults: Fault[] = []

  add(spec: EnhancedFaultSpec): void {
    this.faults.push(enhancedFaultSchema.parse(spec))
  }

  takeError(route: RouteName): ErrorFault | undefined {
    return this.take((f): f is ErrorFault => f.kind === 'error' && (f.route === ANY || f.route === route))
  }

  takeRoutingFailure(): RoutingFault | undefined {
    return this.take((f): f is RoutingFault => f.kind === 'routingFailure')
  }

  takeDelay(): DelayFault | undefined {
    return this.take((f): f is DelayFault => f.kind === 'delayEvents')
  }

  pending(): Fault[] {
    return this.faults.map((f) => ({ ...f }))
  }

  clear(): void {
    this.faults = []
  }

  private take<T extends Fault>(match: (f: Fault) => f is T): T | undefined {
    const index = this.faults.findIndex(match)
    if (index < 0) return undefined
    const fault = this.faults[index] as T
    fault.count--
    if (fault.count <= 0) this.faults.splice(index, 1)
    return fault
  }
}
