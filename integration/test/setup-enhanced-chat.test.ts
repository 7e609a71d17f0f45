// Saving an Enhanced Chat configuration: the integration asks the real hop server what Salesforce (the simulator)
// lets a guest know. An unknown deployment refuses the save naming esDeveloperName; outside business hours the bot's
// log says so; the log always says that agents cannot be known before a hand-off.
import { RuntimeError } from '@botpress/sdk'
import type { HopServer } from '@liveagent-hop/hop-server'
import type { MockServer } from '@liveagent-hop/mock-server'
import { DirectHarness } from './support/harness.js'
import { backendSettings, startHopStack, type HopStack } from './support/hop-stack.js'

describe('saving an Enhanced Chat configuration', () => {
  let stack: HopStack
  let mock: MockServer
  let hop: HopServer
  let h: DirectHarness

  const setBusinessHours = async (mode: 'none' | 'open' | 'closed') => {
    const response = await fetch(`${mock.url}/__admin/enhanced/business-hours`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode }),
    })
    expect(response.status).toBe(200)
  }
  const configure = (overrides: Record<string, unknown> = {}) =>
    h.configure({
      hopServerUrl: hop.url,
      ...backendSettings('enhanced-chat', mock),
      ...overrides,
    })
  const botLog = () => h.logger.entries.filter((entry) => entry.forBot)

  beforeAll(async () => {
    stack = await startHopStack('enhanced-chat')
    ;({ mock, hop } = stack)
    h = await DirectHarness.start()
  })
  beforeEach(() => {
    h.logger.entries.length = 0
  })
  afterAll(async () => {
    await setBusinessHours('none')
    await h?.close()
    await stack?.close()
  })

  it('saves a known deployment and says that agents cannot be known, and that it has no business hours', async () => {
    await setBusinessHours('none')
    configure()
    await expect(h.register()).resolves.toBeUndefined()
    expect(botLog()).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(
          /^Connected to the hop server and Enhanced Chat\. Salesforce does not tell a guest whether agents are available\. The deployment Mock_Custom_Client exists and has no active business hours/
        ) as unknown,
      }),
    ])
  })

  it('warns when the deployment is outside its business hours, and saves', async () => {
    await setBusinessHours('closed')
    configure()
    await expect(h.register()).resolves.toBeUndefined()
    const [entry] = botLog()
    expect(entry).toMatchObject({ level: 'warn' })
    expect(entry!.message).toMatch(/outside its business hours \(they open again at .+\): a hand-off now is likely/)
    await setBusinessHours('open')
    h.logger.entries.length = 0
    await h.register()
    expect(botLog()[0]).toMatchObject({ level: 'info' })
    expect(botLog()[0]!.message).toContain('it is within its business hours')
  })

  it('refuses a deployment Salesforce does not know, naming esDeveloperName, and creates nothing', async () => {
    configure({ esDeveloperName: 'Nobody_Here' })
    const before = mock.enhanced.conversations().length
    const refused = await h.register().catch((thrown: unknown) => thrown)
    expect(refused).toBeInstanceOf(RuntimeError)
    expect((refused as Error).message).toMatch(
      /^The integration configuration is invalid: esDeveloperName: Salesforce does not know the deployment Nobody_Here in the org 00D5g000004AbCd/
    )
    expect(mock.enhanced.conversations()).toHaveLength(before)
  })

  it('refuses an SCRT2 URL the hop server may not call, in plain words', async () => {
    configure({ scrtUrl: 'http://127.0.0.1:81' })
    const refused = await h.register().catch((thrown: unknown) => thrown)
    expect(refused).toBeInstanceOf(RuntimeError)
    expect((refused as Error).message).toMatch(/^The hop server refused the Enhanced Chat configuration: scrtUrl: /)
  })

  it('saves with a warning when the hop server does not answer', async () => {
    configure({ hopServerUrl: 'http://127.0.0.1:9' })
    await expect(h.register()).resolves.toBeUndefined()
    expect(botLog()[0]).toMatchObject({ level: 'warn' })
    expect(botLog()[0]!.message).toMatch(/^Saved without checking the hop server and Enhanced Chat: /)
  })
})
