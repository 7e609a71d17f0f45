// What Salesforce lets an Enhanced Chat guest know before a hand-off (GET /v1/availability with
// backend=enhanced-chat). There is no agent-availability call for guests; two unauthenticated calls of the SCRT2 host
// that Salesforce's own web widget and mobile SDK make tell whether the deployment exists and its business hours:
// `GET /embeddedservice/v1/embedded-service-config?orgId=&esConfigName=&language=` and
// `GET /embeddedservice/v1/businesshours?orgId=&esConfigName=` (docs/enhanced-chat-protocol.md, "Before a hand-off").
// Business hours are not agent availability: the answer says so in its sentence.
import http from 'node:http'
import https from 'node:https'
import got, { type Got } from 'got'
import { z } from 'zod'
import type { BusinessHoursWindow, GuestAvailability } from '../chat-backend.js'
import { classifyFailure, classifyResponse } from './classify.js'
import { DEFAULT_REST_RETRY, type RetryPolicy } from './constants.js'
import { EnhancedChatError } from './errors.js'
import { withRetry } from './retry.js'
import type { CheckedTarget } from './target.js'

export const EMBEDDED_SERVICE_PATH = {
  config: '/embeddedservice/v1/embedded-service-config',
  businessHours: '/embeddedservice/v1/businesshours',
} as const

/** The configuration call takes a language; the widget sends the page's, the bridge only asks whether it exists. */
const CONFIG_LANGUAGE = 'en_US'

/** Salesforce answers an unknown deployment or org with one of these (the simulator: 404 and 400). */
const NOT_FOUND_KINDS = new Set(['not-found', 'bad-request'])

const configAnswerSchema = z.looseObject({ embeddedServiceConfig: z.looseObject({}) })
const businessHoursAnswerSchema = z.looseObject({
  businessHoursInfo: z.looseObject({
    isActive: z.boolean(),
    businessHours: z.array(z.looseObject({ startTime: z.number(), endTime: z.number() })).default([]),
  }),
})

/**
 * A check answers within the integration's own 10 s timeout, even against a host that never answers: two tries of
 * at most 4 s each (a save that finds Salesforce silent is only a warning; the first hand-off tries again).
 */
export const DEFAULT_CHECK_TIMEOUT_MS = 4_000
export const DEFAULT_CHECK_RETRY: RetryPolicy = { ...DEFAULT_REST_RETRY, maxRetries: 1 }

/** Connections are not kept: a check runs when a bot builder saves a configuration, not per message. */
const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) }

export interface AvailabilityCheckOptions {
  retry?: Partial<RetryPolicy>
  timeoutMs?: number
  /** The clock business hours are compared with (tests pass a fixed one). */
  now?: () => number
  random?: () => number
}

export interface BusinessHours {
  active: boolean
  windows: BusinessHoursWindow[]
}

/**
 * Whether `now` is within business hours: null when the deployment has no active business hours (Salesforce's
 * widget then never hides the chat), else whether a window holds `now` (windows are inclusive at both ends, as in
 * Salesforce's mobile SDK).
 */
export function withinBusinessHours(hours: BusinessHours, now: number): boolean | null {
  if (!hours.active) return null
  return hours.windows.some((window) => Date.parse(window.start) <= now && now <= Date.parse(window.end))
}

/** The next window that starts after `now`, if Salesforce listed one. */
function nextOpening(hours: BusinessHours, now: number): string | undefined {
  return hours.windows
    .map((window) => window.start)
    .filter((start) => Date.parse(start) > now)
    .sort()[0]
}

const AGENTS_UNKNOWN = 'Salesforce does not tell a guest whether agents are available.'

/** The answer's sentence: what is known, and plainly what is not. */
export function availabilitySentence(
  target: Pick<CheckedTarget, 'esDeveloperName' | 'orgId'>,
  found: boolean,
  hours: BusinessHours | null,
  now: number,
  detail?: string
): string {
  const name = target.esDeveloperName
  if (!found)
    return `esDeveloperName: Salesforce does not know the deployment ${name} in the org ${target.orgId}, so a hand-off to it would fail${detail ? ` (Salesforce: ${detail})` : ''}. ${AGENTS_UNKNOWN}`
  if (!hours)
    return `${AGENTS_UNKNOWN} The deployment ${name} exists; its business hours could not be read${detail ? ` (${detail})` : ''}.`
  const within = withinBusinessHours(hours, now)
  if (within === null)
    return `${AGENTS_UNKNOWN} The deployment ${name} exists and has no active business hours, so Salesforce does not limit its chats by hours.`
  if (within) return `${AGENTS_UNKNOWN} The deployment ${name} exists and it is within its business hours.`
  const next = nextOpening(hours, now)
  return `${AGENTS_UNKNOWN} The deployment ${name} exists but it is outside its business hours${next ? ` (they open again at ${next})` : ''}: a hand-off now is likely to find nobody.`
}

/** Asks the SCRT2 host what a guest may know about a deployment. One instance per backend. */
export class EnhancedChatAvailability {
  private readonly http: Got
  private readonly retry: RetryPolicy
  private readonly timeoutMs: number
  private readonly now: () => number
  private readonly random: () => number

  constructor(options: AvailabilityCheckOptions = {}) {
    this.retry = { ...DEFAULT_CHECK_RETRY, ...options.retry }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
    this.http = got.extend({
      agent: agents,
      headers: { accept: 'application/json' },
      // Retries are decided by retry.ts only.
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      timeout: { request: this.timeoutMs },
    })
  }

  /**
   * The deployment's existence and business hours. Rejects with an EnhancedChatError when Salesforce did not say
   * whether the deployment exists (5xx, network, timeout after the bounded retries): nothing is known then.
   */
  async check(target: CheckedTarget, options: { signal?: AbortSignal } = {}): Promise<GuestAvailability> {
    const query = { orgId: target.orgId, esConfigName: target.esDeveloperName }
    const [config, hours] = await Promise.allSettled([
      this.get(
        'embeddedServiceConfig',
        target,
        EMBEDDED_SERVICE_PATH.config,
        { ...query, language: CONFIG_LANGUAGE },
        options
      ),
      this.get('businessHours', target, EMBEDDED_SERVICE_PATH.businessHours, query, options),
    ])
    const now = this.now()
    if (config.status === 'rejected') {
      const error: unknown = config.reason
      if (error instanceof EnhancedChatError && NOT_FOUND_KINDS.has(error.kind))
        return answer(false, null, availabilitySentence(target, false, null, now, error.serverMessage || undefined))
      throw error
    }
    parse('embeddedServiceConfig', config.value, configAnswerSchema)
    if (hours.status === 'rejected') {
      const reason = hours.reason instanceof Error ? hours.reason.message : String(hours.reason)
      return answer(true, null, availabilitySentence(target, true, null, now, reason))
    }
    let businessHours: BusinessHours
    try {
      businessHours = toBusinessHours(parse('businessHours', hours.value, businessHoursAnswerSchema))
    } catch (error) {
      return answer(true, null, availabilitySentence(target, true, null, now, (error as Error).message))
    }
    return answer(true, businessHours, availabilitySentence(target, true, businessHours, now), now)
  }

  private get(
    operation: string,
    target: CheckedTarget,
    path: string,
    searchParams: Record<string, string>,
    options: { signal?: AbortSignal }
  ): Promise<{ status: number; body: string }> {
    return withRetry(
      operation,
      async () => {
        let response
        try {
          response = await this.http(`${target.scrtUrl}${path}`, {
            searchParams,
            ...(options.signal ? { signal: options.signal } : {}),
          })
        } catch (error) {
          throw classifyFailure(operation, error, this.timeoutMs)
        }
        const { statusCode, body } = response
        if (statusCode >= 200 && statusCode < 300) return { status: statusCode, body }
        const retryAfter = response.headers['retry-after']
        throw classifyResponse(operation, statusCode, body, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
      },
      { policy: this.retry, signal: options.signal, random: this.random }
    )
  }
}

function answer(
  deploymentFound: boolean,
  businessHours: BusinessHours | null,
  message: string,
  now?: number
): GuestAvailability {
  return {
    backend: 'enhanced-chat',
    available: null,
    agentsKnown: false,
    deploymentFound,
    withinBusinessHours: businessHours && now !== undefined ? withinBusinessHours(businessHours, now) : null,
    businessHours,
    message,
  }
}

function toBusinessHours(parsed: z.output<typeof businessHoursAnswerSchema>): BusinessHours {
  const { isActive, businessHours } = parsed.businessHoursInfo
  return {
    active: isActive,
    windows: businessHours.map((window) => ({
      start: new Date(window.startTime).toISOString(),
      end: new Date(window.endTime).toISOString(),
    })),
  }
}

function parse<S extends z.ZodType>(
  operation: string,
  answer: { status: number; body: string },
  schema: S
): z.output<S> {
  let json: unknown
  try {
    json = JSON.parse(answer.body)
  } catch {
    throw new EnhancedChatError('malformed', operation, `${operation} answered ${answer.status} without JSON`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success)
    throw new EnhancedChatError(
      'malformed',
      operation,
      `${operation} answered ${answer.status} with an unexpected body`
    )
  return parsed.data
}
