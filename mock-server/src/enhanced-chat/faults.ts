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
/** Routes with a request/answer exchange (the stream has no single answer to hold). */
const REST_ROUTES = ROUTES.filter((route) => route !== 'sse') as [RouteName, ...RouteName[]]
const ANY = '*'
/** A held answer longer than this would only meet the client's own timeout. */
const MAX_HOLD_MS = 60_000

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
  /**
   * The next `count` stream connects refused with 401 answer the plain text (`Jwt is expired`) instead of the
   * Spring-style JSON: clients have seen both from the event router.
   */
  z.strictObject({ kind: z.literal('plainStream401'), count }),
  /**
   * The next `count` requests to `route` are carried out at once, but their answer leaves `delayMs` later: the
   * window in which a client that dies (or times out) cannot know that its write took effect.
   */
  z.strictObject({
    kind: z.literal('holdAnswer'),
    route: z.enum([...REST_ROUTES, ANY], { error: `route must be '*' or one of ${REST_ROUTES.join(', ')}` }),
    delayMs: z.number().int().positive().max(MAX_HOLD_MS, `delayMs must be at most ${MAX_HOLD_MS}`),
    count,
  }),
])
export type EnhancedFaultSpec = z.input<typeof enhancedFaultSchema>
type Fault = z.output<typeof enhancedFaultSchema>
type ErrorFault = Extract<Fault, { kind: 'error' }>
type RoutingFault = Extract<Fault, { kind: 'routingFailure' }>
type DelayFault = Extract<Fault, { kind: 'delayEvents' }>
type HoldFault = Extract<Fault, { kind: 'holdAnswer' }>
type PlainStream401Fault = Extract<Fault, { kind: 'plainStream401' }>

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

  takePlainStream401(): PlainStream401Fault | undefined {
    return this.take((f): f is PlainStream401Fault => f.kind === 'plainStream401')
  }

  takeHold(route: RouteName): HoldFault | undefined {
    return this.take((f): f is HoldFault => f.kind === 'holdAnswer' && (f.route === ANY || f.route === route))
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
