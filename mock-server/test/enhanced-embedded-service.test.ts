// The deployment's configuration and business hours, the two calls a guest can make before any token, and the admin
// switch that sets the hours (src/enhanced-chat/embedded-service.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'

type Json = Record<string, unknown>

describe('Enhanced Chat embedded service calls', () => {
  let mock: MockServer
  const get = async (path: string, query: Record<string, string>) => {
    const response = await fetch(`${mock.url}/embeddedservice/v1${path}?${new URLSearchParams(query).toString()}`)
    return { status: response.status, body: (await response.json()) as Json }
  }
  const setHours = async (spec: unknown) => {
    const response = await fetch(`${mock.url}/__admin/enhanced/business-hours`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    })
    return { status: response.status, body: (await response.json()) as Json }
  }
  const known = () => ({ orgId: mock.options.orgId, esConfigName: mock.options.esDeveloperName })

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', orgId: '00D5g000004AbCdEAA' })
  })
  afterEach(async () => {
    await setHours({ mode: 'none' })
  })
  afterAll(() => mock.close())

  it("answers the deployment's configuration for the 15- and the 18-character org id", async () => {
    for (const orgId of [mock.options.orgId, mock.options.orgId.slice(0, 15)]) {
      const { status, body } = await get('/embedded-service-config', { ...known(), orgId, language: 'en_US' })
      expect(status).toBe(200)
      expect(body['embeddedServiceConfig']).toMatchObject({
        name: mock.options.esDeveloperName,
        deploymentType: 'Api',
        language: 'en_US',
        forms: [{ formType: 'PreChat' }],
      })
    }
  })

  it('refuses an unknown deployment with 404 and an unknown org with 400, each with {message}', async () => {
    for (const path of ['/embedded-service-config', '/businesshours']) {
      const unknownDeployment = await get(path, { ...known(), esConfigName: 'Nobody_Here' })
      expect(unknownDeployment).toEqual({
        status: 404,
        body: { message: 'No embedded service deployment named Nobody_Here in this org' },
      })
      const otherOrg = await get(path, { ...known(), orgId: '00D000000000001' })
      expect(otherOrg.status).toBe(400)
      expect(otherOrg.body['message']).toMatch(/orgId/)
      const missing = await get(path, { orgId: mock.options.orgId })
      expect(missing.status).toBe(400)
      expect(missing.body['message']).toMatch(/esConfigName/)
    }
  })

  it('answers no active business hours by default, then what the admin switch sets', async () => {
    expect((await get('/businesshours', known())).body).toEqual({
      businessHoursInfo: { name: mock.options.esDeveloperName, isActive: false, businessHours: [] },
    })

    await setHours({ mode: 'open' })
    const open = (await get('/businesshours', known())).body['businessHoursInfo'] as {
      isActive: boolean
      businessHours: { startTime: number; endTime: number }[]
    }
    expect(open.isActive).toBe(true)
    expect(open.businessHours[0]!.startTime).toBeLessThanOrEqual(Date.now())
    expect(open.businessHours[0]!.endTime).toBeGreaterThan(Date.now())

    await setHours({ mode: 'closed' })
    const closed = (await get('/businesshours', known())).body['businessHoursInfo'] as typeof open
    expect(closed.isActive).toBe(true)
    expect(closed.businessHours[0]!.startTime).toBeGreaterThan(Date.now())

    const windows = [{ startTime: 1_790_000_000_000, endTime: 1_790_028_800_000 }]
    expect(await setHours({ mode: 'windows', windows })).toEqual({ status: 200, body: { ok: true } })
    expect((await get('/businesshours', known())).body['businessHoursInfo']).toMatchObject({
      isActive: true,
      businessHours: windows,
    })
  })

  it('refuses a bad business-hours setting with a 400 naming the field, and keeps the old one', async () => {
    await setHours({ mode: 'open' })
    const bad = await setHours({ mode: 'windows', windows: [{ startTime: 10, endTime: 5 }] })
    expect(bad.status).toBe(400)
    expect(bad.body['error']).toMatch(/endTime/)
    expect((await setHours({ mode: 'sometimes' })).status).toBe(400)
    const current = await fetch(`${mock.url}/__admin/enhanced/business-hours`)
    expect(await current.json()).toEqual({ mode: 'open' })
  })

  it('goes back to no business hours when the Enhanced Chat simulator is reset', async () => {
    await setHours({ mode: 'closed' })
    const reset = await fetch(`${mock.url}/__admin/enhanced/reset`, { method: 'POST' })
    expect(reset.status).toBe(200)
    const current = await fetch(`${mock.url}/__admin/enhanced/business-hours`)
    expect(await current.json()).toEqual({ mode: 'none' })
    const { body } = await get('/businesshours', known())
    expect(body['businessHoursInfo']).toMatchObject({ isActive: false, businessHours: [] })
  })
})
