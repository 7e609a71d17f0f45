// Wires the parts together: store, metrics, the chat supervisor (leases and pumps), webhook delivery, the
// retention janitor and the HTTP API. `startHopServer` is the in-process entry point (tests, the playground,
// contract tests); the `liveagent-hop` bin calls it with the configuration read from the environment.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { resolveConfig, type HopConfig, type HopConfigInput } from './config.js'
import { ChatService } from './chats/chat-service.js'
import { buildApp } from './http/app.js'
import { createLogger } from './logger.js'
import { HopMetrics } from './metrics.js'
import { createBackendRegistry, type BackendRegistry, type BackendRegistryDeps } from './backends/registry.js'
import { ChatSupervisor } from './pump/supervisor.js'
import { startupNotices } from './startup-notices.js'
import { createStore } from './store/index.js'
import type { HopStore } from './store/types.js'
import { WebhookDispatcher } from './webhooks/dispatcher.js'

/** Ended chats purged per janitor round, so one round never holds the store for long. */
const PURGE_BATCH = 1000

export interface HopServer {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string
  port: number
  config: HopConfig
  store: HopStore
  metrics: HopMetrics
  app: FastifyInstance
  logger: Logger
  /** Chats this replica currently holds. */
  ownedChats(): number
  /** Graceful: stops accepting requests, stops the pumps (cursors stay stored), releases leases, closes the store. */
  close(): Promise<void>
}

export interface StartOptions {
  /** Log destination (default stdout). */
  logDestination?: NodeJS.WritableStream
  /**
   * Log the start-up notices and the "listening" line (default true). The bin turns it off in a terminal, where it
   * prints a readable summary of the same instead.
   */
  startupLog?: boolean
  /** The chat backends (default: those this build enables). Tests put a backend with a known defect here. */
  backends?: (deps: BackendRegistryDeps) => BackendRegistry
}

export async function startHopServer(
  input: HopConfigInput | HopConfig = {},
  options: StartOptions = {}
): Promise<HopServer> {
  // A copy: its port becomes the one actually bound (see below).
  const config: HopConfig = { ...(isResolved(input) ? input : resolveConfig(input)) }
  const logger = createLogger(config.logLevel, options.logDestination)
  const startupLog = options.startupLog ?? true
  if (startupLog) for (const notice of startupNotices(config)) logger.warn(notice)
  const store = createStore(config.store)
  const metrics = new HopMetrics()
  const backends = (options.backends ?? createBackendRegistry)({ config, metrics, logger })

  // The dispatcher and the supervisor call each other; the closures read `supervisor` only after both exist.
  const dispatcher: WebhookDispatcher = new WebhookDispatcher({
    config,
    store,
    metrics,
    logger: logger.child({ part: 'webhooks' }),
    owns: (chatId) => supervisor.owns(chatId),
    onDrained: (chatId) => supervisor.onDrained(chatId),
  })
  const supervisor: ChatSupervisor = new ChatSupervisor({
    config,
    store,
    metrics,
    logger: logger.child({ part: 'pump' }),
    backends,
    webhookEventsStored: (chatId) => dispatcher.eventsStored(chatId),
    chatsTaken: () => dispatcher.sweepSoon(),
    chatDropped: (chatId) => dispatcher.forget(chatId),
  })
  const chats = new ChatService({ config, store, backends, onChatCreated: (chatId) => supervisor.adopt(chatId) })
  const app = await buildApp({ config, store, metrics, logger, chats, availability: backends })

  try {
    await store.ping()
    await supervisor.start()
    dispatcher.start()
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    await supervisor.close().catch(() => undefined)
    await dispatcher.stop().catch(() => undefined)
    await app.close().catch(() => undefined)
    backends.close()
    await store.close().catch(() => undefined)
    throw error
  }

  const janitor = setInterval(() => {
    store
      .purgeEnded(Date.now() - config.retention.retentionMs, PURGE_BATCH)
      .then((purged) => purged > 0 && logger.info({ purged }, 'purged ended chats past retention'))
      .catch((error: unknown) => logger.warn({ err: error }, 'retention purge failed'))
  }, config.retention.sweepMs)
  janitor.unref()

  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  // With port 0 the port is known only now; the outbound URL policy reads it so that no chat ever calls the hop
  // server itself, even through a loopback port range that covers it.
  config.port = port
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  if (startupLog) {
    logger.info(
      {
        url,
        store: store.kind,
        replicaId: config.replicaId,
        chats: supervisor.ownedCount,
        tenantIds: [...config.tenants.keys()],
      },
      'liveagent-hop listening'
    )
  }

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      clearInterval(janitor)
      await app.close()
      // Deliveries stop before the leases go, so two replicas never deliver one chat's events at once.
      await dispatcher.stop()
      await supervisor.close()
      backends.close()
      await store.close()
      logger.info('liveagent-hop stopped')
    })()
    return closing
  }

  return {
    url,
    port,
    config,
    store,
    metrics,
    app,
    logger,
    ownedChats: () => supervisor.ownedCount,
    close,
  }
}

function isResolved(input: HopConfigInput | HopConfig): input is HopConfig {
  return input.tenants instanceof Map && typeof (input as HopConfig).replicaId === 'string' && 'usingDevTenant' in input
}
