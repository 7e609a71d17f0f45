import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ProtocolError } from '../errors.js'
import { sendText } from '../long-poll.js'
import {
  BODY,
  HEADER,
  MAX_API_VERSION,
  MIN_API_VERSION,
  NOUNS_NEEDING_AGENT,
  NULL_AFFINITY,
  RECONNECT_MIN_API_VERSION,
  VISITOR_NOUNS,
  type Resource,
  type VisitorNoun,
} from '../protocol.js'
import type { SimulatedChat } from '../simulated-chat.js'
import type { Simulator } from '../simulator.js'
import {
  breadcrumbSchema,
  chasitorInitSchema,
  chatEndSchema,
  chatMessageSchema,
  customEventSchema,
  emptySchema,
  idleWarningSchema,
  multiNounSchema,
  parseJson,
  resyncStateSchema,
  sneakPeekSchema,
  validate,
} from './chasitor-schemas.js'

/** none: Visitor/* and SessionId; required: a live session; pollable: Messages may still drain an ended chat. */
type SessionNeed = 'none' | 'required' | 'pollable'

interface Admitted {
  session: SimulatedChat | undefined
  version: number
  /** A 'drop' fault applies: answer 200 and forget the request. */
  drop: boolean
}

type Query = Record<string, string | undefined>

/** One visitor action inside a sequenced POST (a MultiNoun carries several). */
interface VisitorAction {
  noun: VisitorNoun
  apply: (session: SimulatedChat, dropped: boolean) => void
}

const SEQUENCED_RESOURCES: ReadonlySet<string> = new Set<string>([...VISITOR_NOUNS, 'ChasitorInit', 'MultiNoun'])

const KNOWN_PATHS: ReadonlySet<string> = new Set([
  'System/SessionId',
  'System/Messages',
  'System/ReconnectSession',
  'System/MultiNoun',
  'Chasitor/ChasitorInit',
  'Chasitor/ChasitorResyncState',
  ...VISITOR_NOUNS.map((noun) => `Chasitor/${noun}`),
  'Visitor/Availability',
  'Visitor/Settings',
  'Visitor/VisitorId',
  'Visitor/Breadcrumb',
])

const SETTINGS_PING_RATE_MS = 50_000

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

const parseInteger = (value: string | undefined): number | undefined =>
  value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined

/** `[a,b]`, `a,b` or a bare `a` (§3.7). */
const parseIdList = (value: string | undefined): string[] =>
  (value ?? '')
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0)

/** The chasitor API under /chat/rest: the resources of §3 with the status codes of §8. */
export function chasitorRoutes(sim: Simulator) {
  const { stats } = sim
  const lenient = sim.options.lenient

  /** Checks headers, session and faults shared by every resource; undefined when the request was already answered. */
  async function admit(
    req: FastifyRequest,
    reply: FastifyReply,
    resource: Resource,
    need: SessionNeed
  ): Promise<Admitted | undefined> {
    stats.countRequest(resource)
    const rawVersion = header(req, HEADER.apiVersion)
    if (rawVersion === undefined) {
      stats.violation('missing-api-version', `${resource} without ${HEADER.apiVersion}`)
      throw new ProtocolError(400, BODY.missingVersion)
    }
    const version = parseInteger(rawVersion)
    if (version === undefined || version < MIN_API_VERSION || version > MAX_API_VERSION)
      throw new ProtocolError(400, BODY.badVersion)

    let session: SimulatedChat | undefined
    if (need !== 'none') {
      const key = header(req, HEADER.sessionKey)
      session = key === undefined ? undefined : sim.findByKey(key)
      if (!session) {
        stats.violation('unknown-session', `${resource} with ${key === undefined ? 'no' : 'an unknown'} session key`)
        throw new ProtocolError(403, BODY.invalidSession)
      }
      if (session.ended && need === 'required') throw new ProtocolError(403, BODY.invalidSession)
      if (session.handoverPending && resource !== 'ReconnectSession') throw new ProtocolError(503, BODY.handover)
      if (resource !== 'ReconnectSession') checkAffinity(session, header(req, HEADER.affinity), resource)
    }

    const fault = sim.faults.take({
      resource,
      sessionId: session?.id,
      droppable: SEQUENCED_RESOURCES.has(resource) && resource !== 'ChasitorInit',
      handoverable: session !== undefined && !session.ended && resource !== 'ReconnectSession',
    })
    if (!fault) return { session, version, drop: false }
    sim.log.info({ resource, sessionId: session?.id, kind: fault.kind }, 'fault injected')
    switch (fault.kind) {
      case 'reset':
        reply.hijack()
        req.raw.socket.resetAndDestroy()
        return undefined
      case 'error500':
        throw new ProtocolError(500, BODY.injected500)
      case 'handover':
        sim.startHandover(session!)
        throw new ProtocolError(503, BODY.handover)
      case 'delay':
        await sim.delay(fault.delayMs ?? 0)
        // A poll whose client gave up during the delay is gone: it must not count as an open poll afterwards.
        // A POST, by contrast, is still applied (a server may act on a request whose answer never arrives).
        if (resource === 'Messages' && clientGone(req, reply)) {
          reply.hijack()
          return undefined
        }
        return { session, version, drop: false }
      case 'drop':
        return { session, version, drop: true }
    }
  }

  function clientGone(req: FastifyRequest, reply: FastifyReply): boolean {
    return req.raw.socket.destroyed || reply.raw.destroyed
  }

  function checkAffinity(session: SimulatedChat, affinity: string | undefined, resource: string): void {
    if (affinity === session.affinity) return
    if (affinity !== undefined && session.formerAffinities.includes(affinity)) {
      stats.violation('stale-affinity', `${resource} with the affinity token used before a hand-over`, session.id)
      throw new ProtocolError(503, BODY.handover)
    }
    stats.violation('wrong-affinity', `${resource} with affinity ${affinity ?? '(none)'}`, session.id)
    throw new ProtocolError(403, BODY.invalidSession)
  }

  function conflict(reply: FastifyReply, body: string): FastifyReply {
    stats.countConflict()
    return sendText(reply, 409, body)
  }

  /** §5: the sequence number makes POSTs idempotent; a gap is refused; nothing applies before ChatEstablished. */
  function sequenced(
    req: FastifyRequest,
    reply: FastifyReply,
    admitted: Admitted,
    nouns: readonly string[],
    apply: (dropped: boolean) => void
  ): FastifyReply {
    const session = admitted.session!
    const raw = header(req, HEADER.sequence)
    if (raw === undefined) {
      if (!lenient) {
        stats.violation('missing-sequence', `${nouns.join('+')} without ${HEADER.sequence}`, session.id)
        return conflict(reply, BODY.outOfSync(null, session.lastSequence))
      }
      requireAgent(session, nouns)
      apply(admitted.drop)
      return sendText(reply, 200, BODY.ok)
    }
    const sequence = parseInteger(raw)
    if (sequence === undefined || sequence < 1)
      throw new ProtocolError(400, `Bad Request: ${HEADER.sequence} must be a positive integer`)
    session.recordSequence(sequence)
    sim.changed(session, 'poll')
    if (sequence <= session.lastSequence) return sendText(reply, 200, BODY.ok) // a retry: already applied
    if (sequence > session.lastSequence + 1) {
      stats.violation(
        'sequence-gap',
        `${nouns.join('+')} with sequence ${sequence}, expected ${session.lastSequence + 1}`,
        session.id
      )
      return conflict(reply, BODY.outOfSync(sequence, session.lastSequence))
    }
    requireAgent(session, nouns)
    if (session.resyncPending)
      stats.violation('post-before-resync', `${nouns.join('+')} before ChasitorResyncState`, session.id)
    session.lastSequence = sequence
    apply(admitted.drop)
    return sendText(reply, 200, BODY.ok)
  }

  function requireAgent(session: SimulatedChat, nouns: readonly string[]): void {
    if (session.state === 'active' || !nouns.some((noun) => NOUNS_NEEDING_AGENT.has(noun))) return
    stats.violation('post-before-established', `${nouns.join('+')} before ChatEstablished`, session.id)
    throw new ProtocolError(500, BODY.notEstablished)
  }

  /** Validates one visitor noun's body and returns how to apply it. */
  function visitorAction(noun: VisitorNoun, body: unknown): VisitorAction {
    switch (noun) {
      case 'ChatMessage': {
        const { text } = validate(chatMessageSchema, body, noun)
        return {
          noun,
          apply: (s, dropped) => (dropped ? sim.dropVisitorMessage(s, text) : sim.visitorMessage(s, text)),
        }
      }
      case 'ChasitorTyping':
      case 'ChasitorNotTyping':
        validate(emptySchema, body, noun)
        return { noun, apply: (s) => sim.visitorTyping(s, noun === 'ChasitorTyping') }
      case 'ChasitorSneakPeek': {
        const { text } = validate(sneakPeekSchema, body, noun)
        return { noun, apply: (s) => sim.sneakPeek(s, text) }
      }
      case 'ChatEnd': {
        const { reason } = validate(chatEndSchema, body, noun)
        return { noun, apply: (s) => sim.visitorEnd(s, reason) }
      }
      case 'CustomEvent': {
        const { type, data } = validate(customEventSchema, body, noun)
        return { noun, apply: (s) => sim.customEvent(s, type, data ?? '') }
      }
      case 'ChasitorIdleTimeoutWarningEvent': {
        const { idleTimeoutWarningEvent } = validate(idleWarningSchema, body, noun)
        return { noun, apply: (s) => sim.idleWarning(s, idleTimeoutWarningEvent) }
      }
    }
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    // Bodies are parsed by the handlers, so that bad JSON gets Salesforce's plain-text 400 and empty bodies pass.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

    app.setErrorHandler((error, req, reply) => {
      if (error instanceof ProtocolError) return sendText(reply, error.status, error.body)
      const status = (error as { statusCode?: number }).statusCode
      if (status !== undefined && status >= 400 && status < 500)
        return sendText(reply, status, `Bad Request: ${(error as Error).message}`)
      sim.log.error({ err: error, url: req.url }, 'chasitor request failed')
      return sendText(reply, 500, 'Internal Server Error')
    })

    // A repeated query parameter (`ack=-1&ack=0`) arrives as an array: refuse it with 400 before any handler reads it.
    app.addHook('preValidation', async (req) => {
      for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>))
        if (typeof value !== 'string')
          throw new ProtocolError(400, `Bad Request: the query parameter ${name} must be given once`)
    })

    app.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0]!.replace(/^\/chat\/rest\//, '')
      const known = KNOWN_PATHS.has(path) || path.startsWith('System/SessionId/')
      return sendText(reply, known ? 405 : 404, known ? 'Method Not Allowed' : BODY.notFound)
    })

    app.get('/System/SessionId', async (req, reply) => {
      if (!(await admit(req, reply, 'SessionId', 'none'))) return reply
      const session = sim.createSession()
      sim.changed(session, 'poll')
      return reply.send({
        id: session.id,
        key: session.key,
        affinityToken: session.affinity,
        clientPollTimeout: sim.options.clientPollTimeout,
      })
    })

    app.delete<{ Params: { key: string } }>('/System/SessionId/:key', async (req, reply) => {
      if (!(await admit(req, reply, 'SessionId', 'none'))) return reply
      const session = sim.findByKey(req.params.key)
      if (!session || session.ended) throw new ProtocolError(403, BODY.invalidSession)
      sim.deleteSession(session)
      return sendText(reply, 200, BODY.ok)
    })

    app.post('/Chasitor/ChasitorInit', async (req, reply) => {
      const admitted = await admit(req, reply, 'ChasitorInit', 'required')
      if (!admitted) return reply
      const body = validate(chasitorInitSchema, parseJson(req.body), 'ChasitorInit')
      sim.checkInit(admitted.session!, body)
      return sequenced(req, reply, admitted, ['ChasitorInit'], () => sim.init(admitted.session!, body))
    })

    app.get<{ Querystring: Query }>('/System/Messages', async (req, reply) => {
      const admitted = await admit(req, reply, 'Messages', 'pollable')
      if (!admitted) return reply
      const session = admitted.session!
      if (session.ended && !session.drainable) throw new ProtocolError(403, BODY.invalidSession)
      if (session.heldPoll) {
        sim.duplicatePoll(session)
        return conflict(reply, BODY.duplicatePoll)
      }
      const rawAck = req.query.ack
      let ack = parseInteger(rawAck)
      if (rawAck === undefined) {
        if (!lenient) {
          stats.violation('missing-ack', 'Messages without the ack query parameter', session.id)
          throw new ProtocolError(400, 'Bad Request: Messages requires the ack query parameter')
        }
        ack = session.maxDeliveredSeq // lenient: acknowledge everything already delivered (§4.3)
      } else if (ack === undefined || ack < -1) {
        throw new ProtocolError(400, 'Bad Request: ack must be an integer of -1 or more')
      }
      if (ack! > session.maxDeliveredSeq) {
        stats.violation(
          'ack-ahead',
          `ack=${ack} but the last sequence delivered is ${session.maxDeliveredSeq}`,
          session.id
        )
        ack = session.maxDeliveredSeq
      }
      session.recordPoll(rawAck === undefined ? null : ack!, parseInteger(req.query.pc))
      session.acknowledge(ack!)
      return sim.polls.open(session, reply, ack!)
    })

    for (const noun of VISITOR_NOUNS) {
      app.post(`/Chasitor/${noun}`, async (req, reply) => {
        const admitted = await admit(req, reply, noun, 'required')
        if (!admitted) return reply
        const action = visitorAction(noun, parseJson(req.body))
        return sequenced(req, reply, admitted, [noun], (dropped) => action.apply(admitted.session!, dropped))
      })
    }

    app.post('/System/MultiNoun', async (req, reply) => {
      const admitted = await admit(req, reply, 'MultiNoun', 'required')
      if (!admitted) return reply
      const { nouns } = validate(multiNounSchema, parseJson(req.body), 'MultiNoun')
      const actions = nouns.map((wrapper) => {
        const noun = wrapper.noun as VisitorNoun
        if (wrapper.prefix !== 'Chasitor' || !VISITOR_NOUNS.includes(noun))
          throw new ProtocolError(400, `Bad Request: MultiNoun cannot carry ${wrapper.prefix}/${wrapper.noun}`)
        return visitorAction(noun, wrapper.object ?? parseJson(wrapper.data))
      })
      return sequenced(
        req,
        reply,
        admitted,
        actions.map((a) => a.noun),
        (dropped) => {
          for (const action of actions) if (!admitted.session!.ended) action.apply(admitted.session!, dropped)
        }
      )
    })

    app.get<{ Querystring: Query }>('/System/ReconnectSession', async (req, reply) => {
      // Admitted like Messages: a chat the agent ended while a hand-over was under way can still be drained of its
      // ChatEnded, which needs the hand-over finished first.
      const admitted = await admit(req, reply, 'ReconnectSession', 'pollable')
      if (!admitted) return reply
      if (admitted.version < RECONNECT_MIN_API_VERSION) throw new ProtocolError(404, BODY.notFound)
      const session = admitted.session!
      if (session.ended && !session.drainable) throw new ProtocolError(403, BODY.invalidSession)
      const affinity = header(req, HEADER.affinity)
      if (affinity !== NULL_AFFINITY)
        stats.violation('reconnect-affinity', `ReconnectSession with affinity ${affinity ?? '(none)'}`, session.id)
      const affinityToken = sim.reconnect(session, parseInteger(req.query['ReconnectSession.offset']))
      return reply.send({ messages: [{ type: 'ReconnectSession', message: { resetSequence: true, affinityToken } }] })
    })

    app.post('/Chasitor/ChasitorResyncState', async (req, reply) => {
      const admitted = await admit(req, reply, 'ChasitorResyncState', 'required')
      if (!admitted) return reply
      const { organizationId } = validate(resyncStateSchema, parseJson(req.body), 'ChasitorResyncState')
      sim.resyncState(admitted.session!, organizationId)
      return sendText(reply, 200, BODY.ok)
    })

    // ---- Visitor resources: version header only, answers wrapped in {messages:[…]} (§3.7) ----

    const checkOrg = (query: Query): void => {
      if (query.org_id !== sim.options.orgId) throw new ProtocolError(400, 'Bad Request: unknown or missing org_id')
      if (query.deployment_id !== sim.options.deploymentId)
        throw new ProtocolError(400, 'Bad Request: unknown or missing deployment_id')
    }

    app.get<{ Querystring: Query }>('/Visitor/Availability', async (req, reply) => {
      if (!(await admit(req, reply, 'Availability', 'none'))) return reply
      checkOrg(req.query)
      const ids = parseIdList(req.query['Availability.ids'])
      if (ids.length === 0) throw new ProtocolError(400, 'Bad Request: Availability.ids is required')
      const withWait = req.query['Availability.needEstimatedWaitTime'] === '1'
      const results = ids.map((id) => {
        const available = sim.isAvailable(id)
        // A missing isAvailable means unavailable (§3.7), which is how the real server answers.
        return {
          id,
          ...(available ? { isAvailable: true } : {}),
          ...(withWait ? { estimatedWaitTime: available ? 0 : -1 } : {}),
        }
      })
      return reply.send({ messages: [{ type: 'Availability', message: { results } }] })
    })

    app.get<{ Querystring: Query }>('/Visitor/Settings', async (req, reply) => {
      if (!(await admit(req, reply, 'Settings', 'none'))) return reply
      checkOrg(req.query)
      const requested = parseIdList(req.query['Settings.buttonIds'])
      const buttons = (requested.length > 0 ? requested : sim.knownButtons()).map((id) => ({
        id,
        type: 'Standard',
        endpointUrl: '',
        prechatUrl: '',
        language: '',
        ...(sim.isAvailable(id) ? { isAvailable: true } : {}),
      }))
      const contentServerUrl = `${req.protocol}://${req.host}/content`
      return reply.send({
        messages: [
          { type: 'Settings', message: { pingRate: SETTINGS_PING_RATE_MS, contentServerUrl, prefixKey: '', buttons } },
        ],
      })
    })

    app.get<{ Querystring: Query }>('/Visitor/VisitorId', async (req, reply) => {
      if (!(await admit(req, reply, 'VisitorId', 'none'))) return reply
      checkOrg(req.query)
      return reply.send({ messages: [{ type: 'VisitorId', message: { sessionId: randomUUID() } }] })
    })

    app.post('/Visitor/Breadcrumb', async (req, reply) => {
      if (!(await admit(req, reply, 'Breadcrumb', 'none'))) return reply
      validate(breadcrumbSchema, parseJson(req.body), 'Breadcrumb')
      return sendText(reply, 200, BODY.ok)
    })
  }
}
