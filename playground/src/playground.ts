// Starts the whole hand-off on one machine, in dependency order, and stops it in reverse:
//   mock Live Agent (+ agent console) → hop server (SQLite) → local Botpress (API, webhook relay, bot loop)
//   → the integration (own process, SDK dispatcher) → the demo bot and the web chat channel → the chat page.
// A part that fails to start stops the parts already running before the error is thrown.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join, resolve } from 'node:path'
import { startHopServer } from '@liveagent-hop/hop-server'
import { loopbackTargetsOf } from '@liveagent-hop/hop-server/testing'
import { IntegrationCaller } from '@liveagent-hop/botpress-emulator'
import { startMockServer, type MockServerOptions, type ScenarioName } from '@liveagent-hop/mock-server'
import type { Backend, ConfigurationInput } from '@liveagent-hop/integration'
import { pino, type Logger } from 'pino'
import { DemoBot } from './bot/demo-bot.js'
import { LocalBotpress } from './botpress/local-botpress.js'
import {
  BOT_TYPING_MS,
  DEFAULT_DATA_DIR,
  DEFAULT_PORTS,
  DEFAULT_SCENARIO,
  HOST,
  PLAYGROUND_TENANT,
  PORT_LABELS,
  RUNTIME_IDENTITY,
  type PortName,
} from './defaults.js'
import { isAddressInUse, PortInUseError } from './errors.js'
import { IntegrationProcess } from './integration-host/integration-process.js'
import { WEBCHAT_CHANNEL, WebchatChannel } from './webchat/channel.js'
import { WebchatServer } from './webchat/server.js'

export type PlaygroundOptions = {
  /** The Salesforce chat product the integration is configured for (default `live-agent`). */
  backend?: Backend
  /** What the mock Live Agent's agents do (default `manual`: a person answers in the agent console). */
  scenario?: ScenarioName
  /** Ports to listen on; 0 picks a free one. Defaults: DEFAULT_PORTS. */
  ports?: Partial<Record<PortName, number>>
  /** The hop server's SQLite file lives here (default playground/data). Kept on close. */
  dataDir?: string
  /** Log files of the playground, the hop server and the integration go here; no logs when absent. */
  logDir?: string
  /** Any other mock Live Agent option (hold time, agent name, delays…). */
  mock?: Omit<MockServerOptions, 'port' | 'host' | 'scenario'>
  botTypingMs?: number
  /** A part stopped on its own (the integration process died): the playground no longer works. */
  onFailure?: (reason: string) => void
}

export type PlaygroundUrls = {
  /** The chat page. */
  chat: string
  /** The mock Live Agent's agent console. */
  console: string
  mock: string
  hop: string
  botpress: string
  integration: string
}

export type Playground = {
  urls: PlaygroundUrls
  scenario: ScenarioName
  dataDir: string
  /** Resolves once the bot has handled everything created so far. */
  idle(): Promise<void>
  /** Stops every part; the data directory stays. Safe to call twice. */
  close(): Promise<void>
}

/** Closers of the parts started so far, run in reverse order. */
class Shutdown {
  private readonly _steps: { name: string; close: () => Promise<void> }[] = []

  public constructor(private readonly _logger: Logger) {}

  public add(name: string, close: () => Promise<void>): void {
    this._steps.push({ name, close })
  }

  public async run(): Promise<void> {
    for (const step of this._steps.reverse()) {
      try {
        await step.close()
      } catch (error) {
        this._logger.error({ err: error }, `could not stop ${step.name} cleanly`)
      }
    }
    this._steps.length = 0
  }
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const scenario = options.scenario ?? DEFAULT_SCENARIO
  const ports = { ...DEFAULT_PORTS, ...options.ports }
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR)
  mkdirSync(dataDir, { recursive: true })
  const logs = new LogFiles(options.logDir)
  const logger = logs.logger('playground')
  const shutdown = new Shutdown(logger)
  shutdown.add('the log files', () => logs.close())

  try {
    const mock = await listening('console', ports.console, () =>
      startMockServer({ ...options.mock, scenario, port: ports.console, host: HOST })
    )
    shutdown.add('the mock Live Agent', () => mock.close())

    const botpress = await listening('botpress', ports.botpress, () =>
      LocalBotpress.start({
        host: HOST,
        port: ports.botpress,
        botId: RUNTIME_IDENTITY.botId,
        botUserId: RUNTIME_IDENTITY.botUserId,
        integrationName: RUNTIME_IDENTITY.integrationAlias,
        webhookId: RUNTIME_IDENTITY.webhookId,
        logger,
      })
    )
    shutdown.add('the local Botpress', () => botpress.close())

    const hop = await listening('hop', ports.hop, () =>
      startHopServer(
        {
          port: ports.hop,
          host: HOST,
          dataDir,
          tenants: { [PLAYGROUND_TENANT.id]: PLAYGROUND_TENANT.secret },
          // Everything runs on loopback over http, which the hop server refuses except for the targets it is given:
          // the mock Live Agent and the local Botpress's webhook relay (started first, so their ports are known).
          security: { loopbackTargets: loopbackTargetsOf(mock.url, botpress.url) },
          logLevel: logs.enabled ? 'info' : 'silent',
        },
        logs.enabled ? { logDestination: logs.stream('hop-server') } : {}
      )
    )
    shutdown.add('the hop server', () => hop.close())

    const integration = await IntegrationProcess.start({
      port: ports.integration,
      apiUrl: botpress.url,
      webhookBaseUrl: botpress.webhookBaseUrl,
      ...(logs.enabled ? { logFile: logs.path('integration') } : {}),
      onUnexpectedExit: (code, signal) => {
        const reason = `the integration process stopped on its own (${signal ?? `exit code ${code}`})`
        logger.error(reason)
        options.onFailure?.(reason)
      },
    })
    shutdown.add('the integration', () => integration.close())

    const tenant = { hopServerUrl: hop.url, tenantId: PLAYGROUND_TENANT.id, sharedSecret: PLAYGROUND_TENANT.secret }
    // The simulator serves both products on one port; the integration is configured for the chosen one.
    const configuration: ConfigurationInput =
      options.backend === 'enhanced-chat'
        ? {
            ...tenant,
            backend: 'enhanced-chat',
            scrtUrl: mock.url,
            organizationId: mock.options.orgId,
            esDeveloperName: mock.options.esDeveloperName,
            prechatFields: [
              { userField: 'firstName', prechatField: '_firstName' },
              { userField: 'lastName', prechatField: '_lastName' },
              { userField: 'subject', prechatField: '_subject' },
            ],
          }
        : {
            ...tenant,
            liveAgentEndpoint: `${mock.url}/chat`,
            organizationId: mock.options.orgId,
            deploymentId: mock.options.deploymentId,
            buttonId: mock.options.buttonId,
          }
    const caller = new IntegrationCaller(integration.url, { ...RUNTIME_IDENTITY }, () => configuration)
    botpress.connectIntegration(caller)
    const channel = new WebchatChannel(botpress)
    botpress.registerChannel(WEBCHAT_CHANNEL, channel)
    botpress.connectBot(new DemoBot({ botpress, frontend: channel, typingMs: options.botTypingMs ?? BOT_TYPING_MS }))
    // What Botpress does when a bot builder saves the integration: it checks the hop server and the Live Agent target.
    await caller.register(botpress.webhookUrl)

    const consoleUrl = `${mock.url}/console`
    const web = await listening('chat', ports.chat, () =>
      WebchatServer.start({ host: HOST, port: ports.chat, channel, consoleUrl })
    )
    shutdown.add('the chat page', () => web.close())

    const urls: PlaygroundUrls = {
      chat: web.url,
      console: consoleUrl,
      mock: mock.url,
      hop: hop.url,
      botpress: botpress.url,
      integration: integration.url,
    }
    logger.info({ urls, scenario, dataDir }, 'playground started')
    let closing: Promise<void> | undefined
    return {
      urls,
      scenario,
      dataDir,
      idle: () => botpress.idle(),
      close: () => (closing ??= shutdown.run()),
    }
  } catch (error) {
    await shutdown.run()
    throw error
  }
}

/** Starts a server; a port already taken becomes a PortInUseError naming the part and its flag. */
async function listening<T>(name: PortName, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start()
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(PORT_LABELS[name].what, port, PORT_LABELS[name].flag)
    throw error
  }
}

/** One log file per part under logDir, or no logging at all. */
class LogFiles {
  private readonly _streams: WriteStream[] = []

  public constructor(private readonly _dir: string | undefined) {
    if (_dir) mkdirSync(_dir, { recursive: true })
  }

  public get enabled(): boolean {
    return this._dir !== undefined
  }

  public path(name: string): string {
    return join(this._dir ?? '.', `${name}.log`)
  }

  public stream(name: string): WriteStream {
    const stream = createWriteStream(this.path(name), { flags: 'a' })
    this._streams.push(stream)
    return stream
  }

  public logger(name: string): Logger {
    return this.enabled ? pino({ name, level: 'info' }, this.stream(name)) : pino({ level: 'silent' })
  }

  public async close(): Promise<void> {
    await Promise.all(this._streams.map((stream) => new Promise<void>((done) => stream.end(done))))
  }
}
