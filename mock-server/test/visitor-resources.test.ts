import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { API_VERSION, RawVisitor, rawRequest } from './support/raw-visitor.js'

describe('SessionId and Visitor resources', () => {
  let mock: MockServer
  const v = { 'X-LIVEAGENT-API-VERSION': API_VERSION }

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100 })
  })
  afterAll(() => mock.close())

  it('SessionId returns a real-shaped id, key, affinity token and clientPollTimeout', async () => {
    const visitor = new RawVisitor(mock)
    const session = await visitor.start()
    expect(session.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(session.key).toMatch(/^[0-9a-f-]{36}![0-9]+!\S+$/)
    expect(session.key.split('!')[0]).toBe(session.id)
    expect(session.affinityToken).toMatch(/^[0-9a-f]{8}$/)
    expect(session.clientPollTimeout).toBe(40)
  })

  it('SessionId requires the API version header', async () => {
    const res = await rawRequest(`${mock.url}/chat/rest/System/SessionId`, {
      headers: { 'X-LIVEAGENT-AFFINITY': 'null' },
    })
    expect(res.status).toBe(400)
  })

  it('DELETE SessionId/{key} ends the session; later requests answer 403', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const res = await rawRequest(`${visitor.api}/System/SessionId/${encodeURIComponent(visitor.session.key)}`, {
      method: 'DELETE',
      headers: visitor.headers(),
    })
    expect(res.status).toBe(200)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'ended', endReason: 'deleted' })
    expect((await visitor.poll(-1)).status).toBe(403)
  })

  it('ChasitorInit refuses missing fields, foreign ids and a foreign sessionId with 400', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.start()
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ organizationId: undefined }, /organizationId/],
      [{ organizationId: '00D000000000001' }, /not this org/],
      [{ deploymentId: '572000000000001' }, /deploymentId/],
      [{ buttonId: 'abc' }, /button id/],
      [{ sessionId: 'someone-else' }, /sessionId/],
      [{ buttonOverrides: ['nope'] }, /buttonOverrides/],
    ]
    for (const [override, message] of cases) {
      const res = await visitor.post('Chasitor/ChasitorInit', 1, visitor.initBody(override))
      expect(res.status).toBe(400)
      expect(res.text).toMatch(message)
    }
    // Nothing was consumed: sequence 1 still opens the chat.
    expect((await visitor.post('Chasitor/ChasitorInit', 1, visitor.initBody())).status).toBe(200)
  })

  it('Availability answers in the {messages:[…]} wrapper for bracketed and bare id lists', async () => {
    const { orgId, deploymentId, buttonId } = mock.options
    const base = `${mock.url}/chat/rest/Visitor/Availability?org_id=${orgId}&deployment_id=${deploymentId}`
    const bracketed = await rawRequest(`${base}&Availability.ids=[${buttonId},5735g000000ZzZz]`, { headers: v })
    expect(bracketed.json()).toEqual({
      messages: [
        {
          type: 'Availability',
          message: { results: [{ id: buttonId, isAvailable: true }, { id: '5735g000000ZzZz' }] },
        },
      ],
    })
    mock.admin.setAvailability(false)
    const bare = await rawRequest(`${base}&Availability.ids=${buttonId}&Availability.needEstimatedWaitTime=1`, {
      headers: v,
    })
    expect(bare.json()).toEqual({
      messages: [{ type: 'Availability', message: { results: [{ id: buttonId, estimatedWaitTime: -1 }] } }],
    })
    mock.admin.setAvailability(true)
    expect((await rawRequest(`${base}`, { headers: v })).status).toBe(400)
    expect((await rawRequest(`${base}&Availability.ids=${buttonId}`)).status).toBe(400)
  })

  it('Settings and VisitorId answer in the wrapper; a wrong org is refused', async () => {
    const { orgId, deploymentId, buttonId } = mock.options
    const qs = `org_id=${orgId}&deployment_id=${deploymentId}`
    const settings = await rawRequest(`${mock.url}/chat/rest/Visitor/Settings?${qs}&Settings.buttonIds=[${buttonId}]`, {
      headers: v,
    })
    expect(settings.json()).toMatchObject({
      messages: [
        {
          type: 'Settings',
          message: { pingRate: 50000, buttons: [{ id: buttonId, type: 'Standard', isAvailable: true }] },
        },
      ],
    })
    const visitorId = await rawRequest(`${mock.url}/chat/rest/Visitor/VisitorId?${qs}`, { headers: v })
    expect(visitorId.json()).toMatchObject({
      messages: [{ type: 'VisitorId', message: { sessionId: expect.any(String) } }],
    })
    const foreign = await rawRequest(
      `${mock.url}/chat/rest/Visitor/Settings?org_id=00D000000000001&deployment_id=${deploymentId}`,
      {
        headers: v,
      }
    )
    expect(foreign.status).toBe(400)
  })

  it('answers 404 to unknown paths and 405 to a known path with the wrong method', async () => {
    expect((await rawRequest(`${mock.url}/chat/rest/System/Nope`, { headers: v })).status).toBe(404)
    expect((await rawRequest(`${mock.url}/chat/rest/System/Messages`, { method: 'POST', headers: v })).status).toBe(405)
  })

  it('refuses a ReconnectSession below API version 37', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    const res = await rawRequest(`${visitor.api}/System/ReconnectSession?ReconnectSession.offset=0`, {
      headers: visitor.headers({ 'X-LIVEAGENT-API-VERSION': '36', 'X-LIVEAGENT-AFFINITY': 'null' }),
    })
    expect(res.status).toBe(404)
  })
})
