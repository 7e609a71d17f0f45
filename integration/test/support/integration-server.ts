// Runs the integration the way Botpress does locally: `integration.start(0)` (the SDK's HTTP dispatcher), with
// BP_API_URL and BP_WEBHOOK_URL pointing at a FakeBotpress. The SDK logs through console: it is kept quiet here and
// what it printed is kept for assertions.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { jest } from '@jest/globals'
import type { ConfigurationInput } from '../../src/definitions/configuration.js'
import integration from '../../src/index.js'
import { FakeBotpress } from './fake-botpress.js'
import { TEST_IDENTITY } from './fakes.js'

const CONSOLE_METHODS = ['debug', 'info', 'warn', 'error', 'log'] as const

export class IntegrationServer {
  private readonly _previousEnv: { api?: string; webhook?: string } = {}

  private constructor(
    public readonly botpress: FakeBotpress,
    private readonly _server: Server,
    public readonly url: string,
    /** What Botpress sends as the configuration; tests may change it between calls. */
    private readonly _runtime: { configuration: ConfigurationInput },
    public readonly printed: string[],
    private readonly _spies: { mockRestore(): void }[]
  ) {}

  /** `listen` starts the SDK's dispatcher; the default serves the sources, the bundle test serves the built bundle. */
  public static async start(
    configuration: ConfigurationInput,
    listen: () => Promise<Server> = () => integration.start(0)
  ): Promise<IntegrationServer> {
    const runtime = { configuration }
    const botpress = await FakeBotpress.start({ identity: TEST_IDENTITY, configuration: () => runtime.configuration })
    const previous = { api: process.env.BP_API_URL, webhook: process.env.BP_WEBHOOK_URL }
    process.env.BP_API_URL = botpress.url
    process.env.BP_WEBHOOK_URL = botpress.webhookBaseUrl
    const printed: string[] = []
    const spies = CONSOLE_METHODS.map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '))
      })
    )
    const server = await listen()
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    botpress.connect(url)
    const running = new IntegrationServer(botpress, server, url, runtime, printed, spies)
    Object.assign(running._previousEnv, previous)
    return running
  }

  public get configuration(): ConfigurationInput {
    return this._runtime.configuration
  }

  public set configuration(value: ConfigurationInput) {
    this._runtime.configuration = value
  }

  public get webhookUrl(): string {
    return `${this.botpress.webhookBaseUrl}/${TEST_IDENTITY.webhookId}`
  }

  public async close(): Promise<void> {
    this._server.closeAllConnections()
    await new Promise<void>((resolve) => this._server.close(() => resolve()))
    await this.botpress.close()
    process.env.BP_API_URL = this._previousEnv.api
    process.env.BP_WEBHOOK_URL = this._previousEnv.webhook
    for (const spy of this._spies) spy.mockRestore()
  }
}
