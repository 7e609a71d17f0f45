// Botpress's side of the runtime protocol: the x-bp-* headers of each call, the webhook relay (byte for byte, only
// for its webhook id, only once an integration runs) and the errors an integration answers with.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { BotpressServer, IntegrationCaller, IntegrationCallError, type RuntimeResponse } from '../src/index.js'

const IDENTITY = {
  botId: 'bot_test',
  botUserId: 'user_bot',
  integrationId: 'int_test',
  integrationAlias: 'liveagent',
  webhookId: 'wh_test',
}

type Received = { headers: IncomingHttpHeaders; body: string }

/** A stand-in integration: remembers what it got; a `fail` action answers as a RuntimeError would. */
const startIntegration = async (received: Received[]): Promise<Server> => {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      const failing = body.includes('"type":"fail"')
      response.writeHead(failing ? 400 : 200, { 'content-type': 'application/json' })
      response.end(JSON.stringify(failing ? { message: 'refused on purpose' } : { output: { ok: true } }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

describe('the emulated runtime', () => {
  const received: Received[] = []
  const relayed: { rawBody: string; response: RuntimeResponse }[] = []
  let integration: Server
  let botpress: BotpressServer
  let configuration: Record<string, unknown> = { tenantId: 't1' }

  beforeAll(async () => {
    integration = await startIntegration(received)
    botpress = await BotpressServer.start({
      botId: IDENTITY.botId,
      integrationName: 'liveagent-hop',
      webhookId: IDENTITY.webhookId,
      onWebhookRelayed: (rawBody, response) => void relayed.push({ rawBody, response }),
    })
  })
  afterAll(async () => {
    await botpress?.close()
    await new Promise((resolve) => integration?.close(resolve))
  })

  const post = (path: string, body: string) =>
    fetch(`${botpress.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

  it('relays webhooks only for its webhook id, and only once an integration runs', async () => {
    const unknown = await post('/webhook/wh_other', '{}')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ message: 'no integration listens on webhook wh_other' })
    expect((await post('/webhook/wh_test', '{}')).status).toBe(503)
    expect(received).toHaveLength(0)
  })

  it('sends every call with the x-bp-* headers and the configuration of the moment', async () => {
    const { port } = integration.address() as AddressInfo
    const caller = new IntegrationCaller(`http://127.0.0.1:${port}`, IDENTITY, () => configuration)
    botpress.connectIntegration(caller)
    await expect(caller.action('ping', {})).resolves.toEqual({ ok: true })
    configuration = { tenantId: 't2' }
    await caller.register(`${botpress.webhookUrl}`)
    const [action, register] = received.slice(-2).map((r) => r.headers)
    expect(action).toMatchObject({ 'x-bp-operation': 'action_triggered', 'x-bp-type': 'ping', 'x-bot-id': 'bot_test' })
    expect(register).toMatchObject({ 'x-bp-operation': 'register', 'x-webhook-id': 'wh_test' })
    const decoded = (headers: IncomingHttpHeaders) =>
      JSON.parse(Buffer.from(String(headers['x-bp-configuration']), 'base64').toString())
    expect([decoded(action!), decoded(register!)]).toEqual([{ tenantId: 't1' }, { tenantId: 't2' }])
  })

  it('relays the webhook body byte for byte and reports the answer', async () => {
    const raw = '{ "spaced" :  "as signed" }'
    const answer = await post('/webhook/wh_test', raw)
    expect(answer.status).toBe(200)
    const last = received.at(-1)!
    expect(last.headers['x-bp-operation']).toBe('webhook_received')
    expect((JSON.parse(last.body) as { req: { body: string } }).req.body).toBe(raw)
    expect(relayed.at(-1)).toMatchObject({ rawBody: raw, response: { status: 200 } })
  })

  it("rejects an action the integration refused with the integration's message", async () => {
    const refused = await botpress.integration.action('fail', {}).catch((thrown: unknown) => thrown)
    expect(refused).toBeInstanceOf(IntegrationCallError)
    expect(refused).toMatchObject({ status: 400, message: 'refused on purpose', operation: 'action_triggered' })
    await expect(botpress.integration.call('action_triggered', { type: 'fail' }, 'fail')).resolves.toMatchObject({
      status: 400,
      body: { message: 'refused on purpose' },
    })
  })
})
