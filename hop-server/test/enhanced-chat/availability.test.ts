// GET /v1/availability for Enhanced Chat: what Salesforce lets a guest know (the deployment exists, its business
// hours), never the agents; through the real hop server against the simulator on loopback. The Live Agent answer
// keeps its shape.
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { availabilitySentence, withinBusinessHours } from '../../src/backends/enhanced-chat/availability.js'
import { startHopServer, type HopServer } from '../../src/index.js'
import { HopTestClient } from '../../src/testing/index.js'
import { SECRET, TENANT, chatBody, hopConfig, tempDir } from '../support/harness.js'
import { freePort } from '../support/ports.js'

const dir = tempDir('hop-ec-availability-')
let mock: MockServer
let hop: HopServer
let client: HopTestClient

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', logLevel: 'silent' })
  hop = await startHopServer(hopConfig(dir.path))
  client = new HopTestClient(hop.url, TENANT, SECRET)
})

afterAll(async () => {
  await hop?.close()
  await mock?.close()
  dir.remove()
})

const ecQuery = (overrides: Record<string, string> = {}) =>
  `/v1/availability?${new URLSearchParams({
    backend: 'enhanced-chat',
    scrtUrl: mock.url,
    orgId: mock.options.orgId,
    esDeveloperName: mock.options.esDeveloperName,
    ...overrides,
  }).toString()}`

async function setBusinessHours(spec: unknown): Promise<void> {
  const response = await fetch(`${mock.url}/__admin/enhanced/business-hours`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  })
  expect(response.status).toBe(200)
}

describe('the business-hours rule', () => {
  const hours = { active: true, windows: [{ start: '2026-11-30T09:00:00.000Z', end: '2026-11-30T17:00:00.000Z' }] }
  const at = (iso: string) => Date.parse(iso)

  it('is within a window at both ends, outside it otherwise, and unknown without active hours', () => {
    expect(withinBusinessHours(hours, at('2026-11-30T09:00:00.000Z'))).toBe(true)
    expect(withinBusinessHours(hours, at('2026-11-30T17:00:00.000Z'))).toBe(true)
    expect(withinBusinessHours(hours, at('2026-11-30T17:00:00.001Z'))).toBe(false)
    expect(withinBusinessHours({ active: true, windows: [] }, at('2026-11-30T12:00:00.000Z'))).toBe(false)
    expect(withinBusinessHours({ ...hours, active: false }, at('2026-11-30T12:00:00.000Z'))).toBeNull()
  })

  it('says what is known and plainly that agents are not', () => {
    const target = { esDeveloperName: 'Botpress_Handoff', orgId: '00D5g000004AbCd' }
    const before = availabilitySentence(target, true, hours, at('2026-11-30T08:00:00.000Z'))
    expect(before).toMatch(/^Salesforce does not tell a guest whether agents are available\./)
    expect(before).toContain('outside its business hours (they open again at 2026-11-30T09:00:00.000Z)')
    expect(availabilitySentence(target, false, null, 0, 'No such deployment')).toMatch(
      /^esDeveloperName: Salesforce does not know the deployment Botpress_Handoff in the org 00D5g000004AbCd.*\(Salesforce: No such deployment\)/
    )
  })
})

describe('GET /v1/availability with backend=enhanced-chat', () => {
  it('answers that the deployment exists, has no active business hours, and that agents cannot be known', async () => {
    await setBusinessHours({ mode: 'none' })
    const { status, body } = await client.get(ecQuery())
    expect(status).toBe(200)
    expect(body).toEqual({
      backend: 'enhanced-chat',
      available: null,
      agentsKnown: false,
      deploymentFound: true,
      withinBusinessHours: null,
      businessHours: { active: false, windows: [] },
      message: expect.stringContaining('has no active business hours') as unknown,
    })
    expect(body.message).toMatch(/^Salesforce does not tell a guest whether agents are available\./)
  })

  it('follows the business hours the simulator is set to: within, then outside with the next opening', async () => {
    await setBusinessHours({ mode: 'open' })
    const open = await client.get(ecQuery())
    expect(open.body).toMatchObject({ deploymentFound: true, withinBusinessHours: true, available: null })
    expect((open.body.businessHours as { active: boolean }).active).toBe(true)

    await setBusinessHours({ mode: 'closed' })
    const closed = await client.get(ecQuery())
    expect(closed.body).toMatchObject({ deploymentFound: true, withinBusinessHours: false, available: null })
    expect(closed.body.message).toMatch(/outside its business hours \(they open again at \d{4}-\d\d-\d\dT/)
    await setBusinessHours({ mode: 'none' })
  })

  it('tells a deployment Salesforce does not know, naming esDeveloperName', async () => {
    const { status, body } = await client.get(ecQuery({ esDeveloperName: 'Nobody_Here' }))
    expect(status).toBe(200)
    expect(body).toMatchObject({ deploymentFound: false, withinBusinessHours: null, businessHours: null })
    expect(body.message).toMatch(/^esDeveloperName: Salesforce does not know the deployment Nobody_Here/)
  })

  it('refuses bad input with a 400 naming the field, and calls nobody', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ orgId: '00D5g0000' }, /^orgId: /],
      [{ orgId: `${mock.options.orgId}XYZ` }, /^orgId: /],
      [{ scrtUrl: 'https://acme.my.salesforce.com' }, /^scrtUrl: /],
      [{ scrtUrl: `${mock.url}/chat` }, /^scrtUrl: /],
      [{ esDeveloperName: 'Not A Name' }, /^esDeveloperName: /],
      [{ backend: 'carrier-pigeon' }, /backend/],
      [{ extra: 'x' }, /extra|additional/],
    ]
    for (const [overrides, message] of cases) {
      const { status, body } = await client.get(ecQuery(overrides))
      expect({ overrides, status }).toEqual({ overrides, status: 400 })
      expect(body.message).toMatch(message)
    }
    const missing = await client.get(`/v1/availability?backend=enhanced-chat&scrtUrl=${encodeURIComponent(mock.url)}`)
    expect(missing.status).toBe(400)
    expect(missing.body.message).toBe('orgId is required')
    const mixed = await client.get(`${ecQuery()}&buttonId=5735g000000AbCd`)
    expect(mixed.status).toBe(400)
    expect(mixed.body.message).toMatch(/buttonId/)
  })

  it('answers 502 when Salesforce does not say whether the deployment exists', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`
    const { status, body } = await client.get(ecQuery({ scrtUrl: nobody }))
    // The hop server keeps a 5xx's detail in its log; the answer says only that it failed.
    expect({ status, body }).toEqual({
      status: 502,
      body: { statusCode: 502, error: 'Bad Gateway', message: 'internal error' },
    })
  })

  it('answers 502 when the SCRT2 host takes connections but never answers (two bounded tries)', async () => {
    const sockets = new Set<Socket>()
    let connections = 0
    const silent = createServer((socket) => {
      connections += 1
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as AddressInfo
      const { status } = await client.get(ecQuery({ scrtUrl: `http://127.0.0.1:${port}` }))
      expect(status).toBe(502)
      // The configuration and the business hours, each tried twice, then given up.
      expect(connections).toBe(4)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('keeps the Live Agent answer as it was: available and buttons, nothing else', async () => {
    const { liveAgent } = chatBody(mock.url, 'http://127.0.0.1:9')
    for (const query of [liveAgent, { backend: 'live-agent', ...liveAgent }]) {
      const { status, body } = await client.get(`/v1/availability?${new URLSearchParams(query).toString()}`)
      expect(status).toBe(200)
      expect(Object.keys(body).sort()).toEqual(['available', 'buttons'])
      expect(body.available).toBe(true)
    }
    const missing = await client.get(`/v1/availability?endpoint=${encodeURIComponent(`${mock.url}/chat`)}`)
    expect(missing.status).toBe(400)
    expect(missing.body.message).toMatch(/^organizationId/)
  })
})
