// Each refusal of the Enhanced Chat simulator, with Salesforce's status and body (docs/enhanced-chat-protocol.md §Errors).
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { openStream, RawGuest, type Loose } from './support/raw-enhanced.js'
import { rawRequest } from './support/raw-visitor.js'

const BAD_UUID = 'Specify the conversationId in UUID format. The UUID must be in lowercase.'

describe('Enhanced Chat errors and limits', () => {
  let mock: MockServer
  let guest: RawGuest

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual' })
  })
  afterEach(() => {
    guest?.closeStreams()
    mock.enhanced.reset()
  })
  afterAll(() => mock.close())

  const fresh = async (): Promise<RawGuest> => {
    guest = new RawGuest(mock)
    await guest.getToken()
    return guest
  }

  it('refuses bad token requests with 400 {message}: bad body, other org, unknown deployment', async () => {
    const g = new RawGuest(mock)
    const post = (body: unknown) => g.call('POST', '/authorization/unauthenticated/access-token', body, { auth: false })
    const cases = [
      [g.tokenBody({ capabilitiesVersion: '260' }), /capabilitiesVersion/],
      [g.tokenBody({ platform: 'Fax' }), /platform/],
      [g.tokenBody({ orgId: '00D000000000001' }), /orgId/],
      [g.tokenBody({ esDeveloperName: 'Someone_Else' }), /esDeveloperName/],
      ['{not json', /not valid JSON/],
      [{}, /orgId/],
    ] as const
    for (const [body, message] of cases) {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(res.json<{ message: string }>().message).toMatch(message)
    }
    // The 18-character org id is accepted in the token body; the token carries the 15-character one.
    const res = await post(g.tokenBody({ orgId: `${g.orgId15}AAA` }))
    expect(res.status).toBe(200)
  })

  it('checks the conversation id: 400 for upper case, a non-v4 version or variant, 409 for a duplicate', async () => {
    const g = await fresh()
    const upper = randomUUID().toUpperCase()
    const nonV4 = '6f1c2a3b-1d2e-1f3a-8b4c-5d6e7f8a9b0c'
    const otherVariant = '6f1c2a3b-1d2e-4f3a-cb4c-5d6e7f8a9b0c'
    for (const id of [upper, nonV4, otherVariant, 'not-a-uuid']) {
      const { res } = await g.createConversation({}, id)
      expect(res.status).toBe(400)
      expect(res.json()).toEqual({ message: BAD_UUID })
    }
    const { id } = await g.createConversation()
    expect((await g.createConversation({}, id)).res.status).toBe(409)
    expect((await g.call('GET', `/conversation/${id.toUpperCase()}`)).json()).toEqual({ message: BAD_UUID })
    expect((await g.createConversation({ esDeveloperName: 'Other_Deployment' })).res.status).toBe(400)
    expect((await g.createConversation({ routingAttributes: ['not', 'an', 'object'] })).res.status).toBe(400)
  })

  it('answers 401 without a token, with a forged one and with an expired one; 403 on another identity; 404 unknown', async () => {
    const g = await fresh()
    const { id } = await g.createConversation()
    expect((await g.call('GET', `/conversation/${id}`, undefined, { auth: false })).status).toBe(401)
    const [header, payload] = g.token.accessToken.split('.')
    const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`
    const bad = await g.call('GET', `/conversation/${id}`, undefined, { token: forged })
    expect(bad.status).toBe(401)
    expect(bad.json()).toEqual({ message: expect.any(String) })

    const other = new RawGuest(mock)
    await other.getToken()
    expect((await other.call('GET', `/conversation/${id}`)).status).toBe(403)
    expect((await other.send(id, 'not mine')).status).toBe(403)
    expect((await other.call('GET', `/conversation/${randomUUID()}`)).status).toBe(404)
    expect((await g.call('POST', `/conversation/${id}/close`, {})).status).toBe(404)

    mock.enhanced.expireToken(id)
    const expired = await g.send(id, 'still there?')
    expect(expired.status).toBe(401)
    expect(expired.json()).toEqual({ message: 'Jwt is expired' })
  })

  it('lets a token expire on its own; a continuation token keeps the identity and does not extend the expiry', async () => {
    const shortLived = await startMockServer({ scenario: 'manual', tokenTtlSeconds: 1 })
    try {
      const g = new RawGuest(shortLived)
      const token = await g.getToken()
      const { id } = await g.createConversation()
      const continued = await g.call('GET', '/authorization/continuation-access-token')
      expect(continued.status).toBe(200)
      const next = continued.json<{ accessToken: string; lastEventId: string }>()
      expect(next.accessToken).not.toBe(token.accessToken)
      const claims = (jwt: string) =>
        JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
      expect(claims(next.accessToken)).toMatchObject({
        sub: claims(token.accessToken).sub,
        exp: claims(token.accessToken).exp,
      })
      expect((await g.call('GET', `/conversation/${id}`, undefined, { token: next.accessToken })).status).toBe(200)
      const live = await g.stream()

      // Wait until the (second-granular) expiry has certainly passed.
      const expMs = (claims(token.accessToken).exp as number) * 1000
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expMs - Date.now()) + 50))
      // The open stream ended at the expiry (the keep-alive ping, 15 s away, had nothing to do with it).
      expect(live.ended).toBe(true)
      for (const jwt of [token.accessToken, next.accessToken]) {
        const res = await g.call('GET', `/conversation/${id}`, undefined, { token: jwt })
        expect(res.status).toBe(401)
        expect(res.json()).toEqual({ message: 'Jwt is expired' })
      }
      const sse = await openStream(shortLived.url, {
        authorization: `Bearer ${token.accessToken}`,
        'x-org-id': g.orgId15,
      })
      expect(sse.status).toBe(401)
      expect(JSON.parse(sse.body!)).toMatchObject({
        status: 401,
        error: 'Unauthorized',
        message: 'Jwt is expired',
        path: '/eventrouter/v1/sse',
      })
      // The other shape clients saw: the bare text.
      shortLived.enhanced.injectFault({ kind: 'plainStream401' })
      const plain = await openStream(shortLived.url, {
        authorization: `Bearer ${token.accessToken}`,
        'x-org-id': g.orgId15,
      })
      expect([plain.status, plain.body]).toEqual([401, 'Jwt is expired'])
      g.closeStreams()
    } finally {
      await shortLived.close()
    }
  })

  it('refuses streams without X-Org-Id, with the 18-character org id, with a bad token or a bad Last-Event-Id', async () => {
    const g = await fresh()
    const auth = { authorization: `Bearer ${g.token.accessToken}` }
    const missing = await openStream(mock.url, auth)
    expect([missing.status, JSON.parse(missing.body!)]).toEqual([400, { message: 'OrgId is required' }])
    const long = await openStream(mock.url, { ...auth, 'x-org-id': `${g.orgId15}AAA` })
    expect([long.status, JSON.parse(long.body!)]).toEqual([
      400,
      { message: 'OrgId in the header and token must match' },
    ])
    const noToken = await openStream(mock.url, { 'x-org-id': g.orgId15 })
    expect(noToken.status).toBe(401)
    expect(JSON.parse(noToken.body!)).toMatchObject({ status: 401, error: 'Unauthorized', path: '/eventrouter/v1/sse' })
    const badId = await openStream(mock.url, { ...auth, 'x-org-id': g.orgId15, 'last-event-id': 'abc' })
    expect(badId.status).toBe(400)
  })

  it('ends the open stream of an identity whose token an admin expired; reconnecting answers 401', async () => {
    const g = await fresh()
    const stream = await g.stream()
    const { id } = await g.createConversation()
    await stream.waitFor((e) => e.event === 'CONVERSATION_ROUTING_RESULT')
    mock.enhanced.expireToken(id)
    await stream.waitForEnd()
    const again = await openStream(mock.url, { authorization: `Bearer ${g.token.accessToken}`, 'x-org-id': g.orgId15 })
    expect(again.status).toBe(401)
  })

  it('refuses malformed message, typing, ack and entries requests with 400 and changes nothing', async () => {
    const g = await fresh()
    const { id } = await g.createConversation()
    mock.enhanced.accept(id)
    const path = `/conversation/${id}`
    const bad: [string, string, unknown][] = [
      ['POST', `${path}/message`, '{"message":'],
      [
        'POST',
        `${path}/message`,
        { message: { id: randomUUID(), messageType: 'StaticContentMessage' }, esDeveloperName: g.deployment },
      ],
      [
        'POST',
        `${path}/message`,
        { message: { id: randomUUID(), messageType: 'Bogus' }, esDeveloperName: g.deployment },
      ],
      ['POST', `${path}/message`, g.messageBody('hi', { esDeveloperName: 'Other' })],
      ['POST', `${path}/message`, ''],
      ['POST', `${path}/entry`, { entryType: 'Typing', id: randomUUID() }],
      ['POST', `${path}/acknowledge-entries`, { acks: [] }],
      [
        'POST',
        `${path}/acknowledge-entries`,
        { acks: [{ id: randomUUID(), entryType: 'Read', conversationEntryId: 'nope' }] },
      ],
      ['GET', `${path}/entries?limit=51`, undefined],
      ['GET', `${path}/entries?limit=abc`, undefined],
      ['GET', `${path}/entries?limit=5&limit=6`, undefined],
      ['GET', `${path}/entries?direction=Sideways`, undefined],
      ['GET', '/conversation/list?limit=0', undefined],
      ['GET', '/conversation/list?inclClosedConvs=true&inclClosedConvs=false', undefined],
      ['DELETE', `${path}/session`, undefined],
      ['DELETE', `${path}?esDeveloperName=a&esDeveloperName=b`, undefined],
      ['DELETE', `${path}?esDeveloperName=${g.deployment}`, '{"reason":"body on a DELETE"}'],
    ]
    for (const [method, url, body] of bad) {
      const res = await g.call(method, url, body)
      expect({ url, status: res.status }).toEqual({ url, status: 400 })
      expect(res.json<{ message: string }>().message).toEqual(expect.any(String))
    }
    const wrongType = await g.call('POST', `${path}/message`, 'text', { headers: { 'content-type': 'text/plain' } })
    expect(wrongType.status).toBe(415)
    expect(mock.enhanced.conversation(id)).toMatchObject({ closed: false, sessionStatus: 'Active', acks: [] })
    expect(mock.enhanced.conversation(id)!.transcript.filter((t) => t.from === 'visitor')).toEqual([])
  })

  it('answers 417 for a message after the agent ended the session', async () => {
    const g = await fresh()
    const { id } = await g.createConversation()
    mock.enhanced.accept(id)
    mock.enhanced.endChat(id)
    const res = await g.send(id, 'are you still there?')
    expect(res.status).toBe(417)
    expect(res.json()).toEqual({ message: expect.stringContaining('isNewMessagingSession') })
  })

  it('limits inbound messages to 22 per minute per conversation (429); a refused message is not delivered', async () => {
    const g = await fresh()
    const { id } = await g.createConversation()
    for (let i = 1; i <= 22; i++) expect((await g.send(id, `message ${i}`)).status).toBe(202)
    const over = await g.send(id, 'message 23')
    expect(over.status).toBe(429)
    expect(over.json()).toEqual({ message: expect.stringContaining('22') })
    const lines = mock.enhanced.conversation(id)!.transcript.filter((t) => t.from === 'visitor')
    expect(lines.map((t) => t.text)).toEqual(Array.from({ length: 22 }, (_, i) => `message ${i + 1}`))
  })

  it('does not de-duplicate a resent message id (Salesforce documents no such idempotency): two entries, two echoes, and both count towards the limit', async () => {
    const g = await fresh()
    const stream = await g.stream()
    const { id } = await g.createConversation()
    mock.enhanced.accept(id, { agentName: 'Jane' })
    const repeatedId = randomUUID()
    const first = await g.call('POST', `/conversation/${id}/message`, g.messageBody('same', {}, repeatedId))
    const repeat = await g.call('POST', `/conversation/${id}/message`, g.messageBody('same', {}, repeatedId))
    expect([first.status, repeat.status]).toEqual([202, 202])
    const entryIds = [first, repeat].map((res) => res.json<Loose>().conversationEntries[0].id as string)
    expect(new Set(entryIds).size).toBe(2)
    // The agent sees it twice, and the end user's stream echoes both.
    expect(
      mock.enhanced
        .conversation(id)!
        .transcript.filter((t) => t.from === 'visitor')
        .map((t) => t.text)
    ).toEqual(['same', 'same'])
    const echoes = await stream.waitFor((e) => e.event === 'CONVERSATION_MESSAGE', 2)
    expect(echoes.map((e) => JSON.parse(e.data).conversationEntry.identifier)).toEqual(entryIds)
    const listed = await g.call('GET', `/conversation/${id}/entries?entryTypeFilter=Message&limit=50`)
    const mine = listed
      .json<Loose>()
      .conversationEntries.filter((e: Loose) => e.entryPayload.abstractMessage.id === repeatedId)
    expect(mine.map((e: Loose) => e.identifier)).toEqual(entryIds)
    for (let i = 3; i <= 22; i++) expect((await g.send(id, `message ${i}`)).status).toBe(202)
    expect((await g.send(id, 'message 23')).status).toBe(429)
  })

  it('limits conversation starts to 3 per 30 s per identity (429)', async () => {
    const g = await fresh()
    for (let i = 0; i < 3; i++) expect((await g.createConversation()).res.status).toBe(201)
    const { id, res } = await g.createConversation()
    expect(res.status).toBe(429)
    expect(mock.enhanced.conversation(id)).toBeUndefined()
  })

  it('limits access tokens to 200 per minute per org (429)', async () => {
    const g = new RawGuest(mock)
    const statuses: number[] = []
    for (let i = 0; i < 201; i++)
      statuses.push(
        (await g.call('POST', '/authorization/unauthenticated/access-token', g.tokenBody(), { auth: false })).status
      )
    expect(statuses.slice(0, 200).every((s) => s === 200)).toBe(true)
    expect(statuses[200]).toBe(429)
  })

  it('takes files up to 5 MB of accepted types: 413 above, 415 for other types', async () => {
    const g = await fresh()
    const { id } = await g.createConversation()
    const upload = (bytes: number, type: string) => {
      const form = new FormData()
      form.set(
        'messageEntry',
        new Blob(
          [
            JSON.stringify({
              esDeveloperName: g.deployment,
              message: { id: randomUUID(), fileId: randomUUID(), text: 'photo' },
            }),
          ],
          {
            type: 'application/json',
          }
        )
      )
      form.set('fileData', new Blob([Buffer.alloc(bytes, 1)], { type }), 'photo.png')
      return rawRequest(`${mock.url}/iamessage/api/v2/conversation/${id}/file`, {
        method: 'POST',
        headers: { authorization: `Bearer ${g.token.accessToken}` },
        body: form as unknown as string,
      })
    }
    expect((await upload(1024, 'image/png')).status).toBe(202)
    const tooBig = await upload(5 * 1024 * 1024 + 1, 'image/png')
    expect(tooBig.status).toBe(413)
    expect(tooBig.json()).toEqual({ message: expect.any(String) })
    expect((await upload(10, 'application/x-msdownload')).status).toBe(415)
    expect(mock.enhanced.conversation(id)!.transcript.filter((t) => t.from === 'visitor')).toHaveLength(1)
  })
})
