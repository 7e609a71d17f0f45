import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { ResolvedOptions } from '../config.js'
import { createEnhancedAdmin, type EnhancedChatAdmin } from './admin.js'
import { enhancedAdminRoutes } from './admin-routes.js'
import {
  BUSINESS_HOURS_ADMIN_PATH,
  BusinessHoursSetting,
  businessHoursAdminRoutes,
  EMBEDDED_SERVICE_PREFIX,
  embeddedServiceRoutes,
} from './embedded-service.js'
import { REST_PREFIX } from './protocol.js'
import { restRoutes, sseRoute } from './routes.js'
import { EnhancedChatSimulator } from './simulator.js'
import { SseHub } from './sse-hub.js'

export const ENHANCED_ADMIN_PREFIX = '/__admin/enhanced'

export interface EnhancedChat {
  sim: EnhancedChatSimulator
  admin: EnhancedChatAdmin
  /** Fastify plugins of the REST API, the event stream and the admin routes, with their prefixes. */
  plugins: { plugin: (app: FastifyInstance) => Promise<void>; prefix: string }[]
  close(): void
}

/** The Enhanced Chat part of the mock: simulator, stream hub and their routes. */
export function createEnhancedChat(options: ResolvedOptions, log: Logger): EnhancedChat {
  const sim = new EnhancedChatSimulator(options, log)
  const hub = new SseHub(sim.faults, sim.tokens, options.ssePingMs)
  sim.onEvent((subject, event) => hub.deliver(subject, event))
  const businessHours = new BusinessHoursSetting()
  const admin = createEnhancedAdmin(sim, hub, businessHours)
  return {
    sim,
    admin,
    plugins: [
      { plugin: restRoutes(sim), prefix: REST_PREFIX },
      { plugin: sseRoute(sim, hub), prefix: '' },
      { plugin: enhancedAdminRoutes(admin), prefix: ENHANCED_ADMIN_PREFIX },
      { plugin: embeddedServiceRoutes(sim, businessHours), prefix: EMBEDDED_SERVICE_PREFIX },
      {
        plugin: businessHoursAdminRoutes(businessHours),
        prefix: `${ENHANCED_ADMIN_PREFIX}${BUSINESS_HOURS_ADMIN_PATH}`,
      },
    ],
    close: () => {
      hub.close()
      sim.close()
    },
  }
}

export type { EnhancedChatAdmin } from './admin.js'
export type { EnhancedChatView } from './conversation.js'
export type { EnhancedFaultSpec } from './faults.js'
export type { BusinessHoursSpec } from './embedded-service.js'
export { EVENT, LIMITS, MESSAGE, REST_PREFIX, SSE_PATH } from './protocol.js'
