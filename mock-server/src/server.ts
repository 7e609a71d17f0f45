import type { AddressInfo } from 'node:net'
import Fastify, { LogController } from 'fastify'
import { pino } from 'pino'
import { createAdmin, type MockAdmin } from './admin.js'
import { createEnhancedChat, type EnhancedChatAdmin } from './enhanced-chat/index.js'
import { resolveOptions, type MockServerOptions, type ResolvedOptions } from './config.js'
import { adminRoutes } from './http/admin-routes.js'
import { chasitorRoutes } from './http/chasitor-routes.js'
import { ConsoleFeed, consoleRoutes } from './http/console-routes.js'
import { REST_PREFIX, SSE_PATH } from './enhanced-chat/protocol.js'
import { CHAT_REST_PREFIX } from './protocol.js'
import { Simulator } from './simulator.js'

export const ADMIN_PREFIX = '/__admin'
export const CONSOLE_PREFIX = '/console'

export interface MockServer {
  /** `http://HOST:PORT`; the chasitor API is at `${url}/chat/rest/...`. */
  url: string
  admin: MockAdmin
  /** The Enhanced Chat API is at `${url}/iamessage/api/v2/...` and `${url}/eventrouter/v1/sse`. */
  enhanced: EnhancedChatAdmin
  /** The options in effect, defaults included. */
  options: ResolvedOptions
  /** Answers nothing more: drops held polls, ends SSE streams, clears every timer and closes the port. */
  close(): Promise<void>
}

const VERBOSE_LEVELS = new Set(['debug', 'trace'])

/** Starts the mock server (Live Agent and Enhanced Chat); resolves once it listens. Throws on invalid options. */
export async function startMockServer(input: MockServerOptions = {}): Promise<MockServer> {
  const options = resolveOptions(input)
  const log = pino({ name: 'liveagent-mock', level: options.logLevel })
  const sim = new Simulator(options, log)
  const admin = createAdmin(sim)
  const enhanced = createEnhancedChat(options, log)
  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: !VERBOSE_LEVELS.has(options.logLevel) }),
    // Held polls would otherwise keep close() waiting for up to holdMs.
    forceCloseConnections: true,
  })
  await app.register(chasitorRoutes(sim), { prefix: CHAT_REST_PREFIX })
  await app.register(adminRoutes(admin), { prefix: ADMIN_PREFIX })
  for (const { plugin, prefix } of enhanced.plugins) await app.register(plugin, { prefix })
  const feed = new ConsoleFeed(sim, enhanced.sim)
  await app.register(consoleRoutes(feed), { prefix: CONSOLE_PREFIX })
  app.get('/', async () => ({
    name: 'liveagent-mock',
    chasitorApi: CHAT_REST_PREFIX,
    enhancedChatApi: REST_PREFIX,
    enhancedChatEvents: SSE_PATH,
    esDeveloperName: options.esDeveloperName,
    admin: ADMIN_PREFIX,
    console: CONSOLE_PREFIX,
    orgId: options.orgId,
    deploymentId: options.deploymentId,
    buttonId: options.buttonId,
    scenario: options.scenario,
  }))

  try {
    await app.listen({ port: options.port, host: options.host })
  } catch (error) {
    feed.close()
    enhanced.close()
    sim.close()
    await app.close()
    throw error
  }
  const url = baseUrl(app.server.address() as AddressInfo)
  log.info({ url, scenario: options.scenario }, 'mock Live Agent server listening')

  let closing: Promise<void> | undefined
  return {
    url,
    admin,
    enhanced: enhanced.admin,
    options,
    close: () => {
      closing ??= (async () => {
        feed.close()
        enhanced.close()
        sim.close()
        await app.close()
      })()
      return closing
    },
  }
}

function baseUrl(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::'
  const host = wildcard ? '127.0.0.1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}
