import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, badRequest } from './errors.js'
import type { RouteName } from './faults.js'
import { boundaryOf, readParts } from './multipart.js'
import { ACCEPTED_FILE_TYPES, HEADER, LIMITS, MESSAGE, SSE_PATH } from './protocol.js'
import {
  accessTokenSchema,
  acknowledgeSchema,
  check,
  createConversationSchema,
  entriesQuerySchema,
  esDeveloperNameQuerySchema,
  fileEntrySchema,
  listQuerySchema,
  parseJsonBody,
  sendMessageSchema,
  singleValued,
  typingSchema,
} from './schemas.js'
import type { EnhancedChatSimulator } from './simulator.js'
import type { SseHub } from './sse-hub.js'
import { TokenError } from './tokens.js'

type IdParams = { Params: { id: string } }
const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}
/** Room for the multipart framing around a file of the maximum size, so that the file itself decides the 413. */
const MULTIPART_OVERHEAD = 64 * 1024

function errorHandler(sim: EnhancedChatSimulator) {
  return (error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.body)
    const status = (error as FastifyError).statusCode
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ message: (error as Error).message })
    sim.log.error({ err: error, url: req.url }, 'Enhanced Chat request failed')
    return reply.code(500).send({ message: 'Internal Server Error' })
  }
}

/** Answers to hold (holdAnswer fault): the request is carried out, its answer leaves this much later. */
const heldAnswers = new WeakMap<FastifyRequest, number>()

/**
 * A '5xx on any route' fault, checked before anything else, as a failing front end would answer; else a
 * held-answer fault, applied when the answer is sent (onSend).
 */
function injected(sim: EnhancedChatSimulator, route: RouteName, req: FastifyRequest): void {
  const fault = sim.faults.takeError(route)
  if (fault) {
    sim.log.info({ route, status: fault.status }, 'Enhanced Chat fault injected')
    throw new ApiError(fault.status, STATUS_TEXT[fault.status] ?? 'Server Error')
  }
  const hold = route === 'sse' ? undefined : sim.faults.takeHold(route)
  if (hold) {
    sim.log.info({ route, delayMs: hold.delayMs }, 'Enhanced Chat answer held')
    heldAnswers.set(req, hold.delayMs)
  }
}

/** Holds the answer of a request a holdAnswer fault picked; the work itself is already done. */
async function holdAnswer(req: FastifyRequest): Promise<void> {
  const delayMs = heldAnswers.get(req)
  if (delayMs === undefined) return
  heldAnswers.delete(req)
  // unref: a held answer never keeps a closing process alive.
  await new Promise<void>((resolve) => setTimeout(resolve, delayMs).unref())
}

/** GETs and DELETEs carry no body (Salesforce refuses DELETE with one). */
function refuseBody(req: FastifyRequest): void {
  const length = Number(req.headers['content-length'] ?? 0)
  if (length > 0 || req.headers['transfer-encoding'] !== undefined)
    throw badRequest(`A ${req.method} request must not have a body`)
}

/** /iamessage/api/v2: the guest REST API. */
export function restRoutes(sim: EnhancedChatSimulator) {
  const auth = (req: FastifyRequest) => sim.tokens.verify(req.headers.authorization)

  return async function plugin(app: FastifyInstance): Promise<void> {
    // Bodies are parsed by the handlers so that bad JSON gets Salesforce's {message} 400.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))
    app.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: LIMITS.fileBytes + MULTIPART_OVERHEAD },
      (_req, body, done) => done(null, body)
    )
    app.setErrorHandler(errorHandler(sim))
    app.addHook('onSend', async (req) => holdAnswer(req))
    app.setNotFoundHandler((req, reply) =>
      reply.code(404).send({ message: `No such resource: ${req.method} ${req.url}` })
    )

    app.post('/authorization/unauthenticated/access-token', async (req) => {
      injected(sim, 'accessToken', req)
      return sim.issueToken(check(accessTokenSchema, parseJsonBody(req.body), 'access token request'))
    })

    app.get('/authorization/continuation-access-token', async (req) => {
      injected(sim, 'continuationToken', req)
      refuseBody(req)
      return sim.continuation(await auth(req))
    })

    app.post('/conversation', async (req, reply) => {
      injected(sim, 'createConversation', req)
      const claims = await auth(req)
      sim.createConversation(claims, check(createConversationSchema, parseJsonBody(req.body), 'conversation'))
      return reply.code(201).send()
    })

    app.get('/conversation/list', async (req) => {
      injected(sim, 'listConversations', req)
      refuseBody(req)
      const claims = await auth(req)
      const query = check(listQuerySchema, singleValued(req.query), 'query')
      return sim.listConversations(claims, query.inclClosedConvs === 'true', query.limit ?? LIMITS.listDefault)
    })

    app.get<IdParams>('/conversation/:id', async (req) => {
      injected(sim, 'routingStatus', req)
      refuseBody(req)
      return sim.routingStatus(await auth(req), req.params.id)
    })

    app.delete<IdParams>('/conversation/:id', async (req, reply) => {
      injected(sim, 'closeConversation', req)
      refuseBody(req)
      const claims = await auth(req)
      const { esDeveloperName } = check(esDeveloperNameQuerySchema, singleValued(req.query), 'query')
      sim.closeConversation(claims, req.params.id, esDeveloperName)
      return reply.code(204).send()
    })

    app.delete<IdParams>('/conversation/:id/session', async (req, reply) => {
      injected(sim, 'endSession', req)
      refuseBody(req)
      const claims = await auth(req)
      const { esDeveloperName } = check(esDeveloperNameQuerySchema, singleValued(req.query), 'query')
      sim.endSession(claims, req.params.id, esDeveloperName)
      return reply.code(204).send()
    })

    app.post<IdParams>('/conversation/:id/message', async (req, reply) => {
      injected(sim, 'sendMessage', req)
      const claims = await auth(req)
      const body = check(sendMessageSchema, parseJsonBody(req.body), 'message')
      const { message } = body
      const text =
        message.staticContent?.text ?? message.choicesResponse?.title ?? message.choicesResponse?.optionIdentifier
      if (text === undefined) throw badRequest('Invalid message: staticContent or choicesResponse is required')
      const result = sim.sendMessage(claims, req.params.id, {
        esDeveloperName: body.esDeveloperName,
        id: message.id,
        text,
        inReplyToMessageId: message.inReplyToMessageId,
        isNewMessagingSession: body.isNewMessagingSession,
        routingAttributes: body.routingAttributes,
      })
      return reply.code(202).send(result)
    })

    app.post<IdParams>('/conversation/:id/file', async (req, reply) => {
      injected(sim, 'sendFile', req)
      const claims = await auth(req)
      if (!Buffer.isBuffer(req.body)) throw new ApiError(415, 'sendFile takes multipart/form-data')
      const parts = readParts(req.body, boundaryOf(req.headers['content-type']))
      const entryPart = parts.find((p) => p.name === 'messageEntry')
      const filePart = parts.find((p) => p.name === 'fileData')
      if (!entryPart || !filePart) throw badRequest('sendFile needs the parts messageEntry and fileData')
      const entry = check(fileEntrySchema, parseJsonBody(entryPart.data.toString('utf8')), 'messageEntry')
      if (filePart.data.length > LIMITS.fileBytes)
        throw new ApiError(413, `The file is larger than ${LIMITS.fileBytes} bytes`)
      const mimeType = filePart.contentType ?? 'application/octet-stream'
      if (!ACCEPTED_FILE_TYPES.has(mimeType)) throw new ApiError(415, `Unsupported file type ${mimeType}`)
      const result = sim.sendFile(claims, req.params.id, {
        esDeveloperName: entry.esDeveloperName,
        id: entry.message.id,
        fileId: entry.message.fileId,
        text: entry.message.text ?? '',
        name: filePart.filename ?? 'file',
        mimeType,
        bytes: filePart.data.length,
        isNewMessagingSession: entry.isNewMessagingSession,
      })
      return reply.code(202).send(result)
    })

    app.post<IdParams>('/conversation/:id/entry', async (req, reply) => {
      injected(sim, 'entry', req)
      const claims = await auth(req)
      const { entryType } = check(typingSchema, parseJsonBody(req.body), 'entry')
      sim.endUserTyping(claims, req.params.id, entryType === 'TypingStartedIndicator')
      return reply.code(202).send()
    })

    app.post<IdParams>('/conversation/:id/acknowledge-entries', async (req, reply) => {
      injected(sim, 'acknowledgeEntries', req)
      const claims = await auth(req)
      const { acks } = check(acknowledgeSchema, parseJsonBody(req.body), 'acknowledgements')
      sim.acknowledge(claims, req.params.id, acks)
      return reply.code(202).send()
    })

    app.get<IdParams>('/conversation/:id/entries', async (req) => {
      injected(sim, 'listEntries', req)
      refuseBody(req)
      const claims = await auth(req)
      return sim.listEntries(claims, req.params.id, check(entriesQuerySchema, singleValued(req.query), 'query'))
    })
  }
}

/** GET /eventrouter/v1/sse: the identity's event stream. */
export function sseRoute(sim: EnhancedChatSimulator, hub: SseHub) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(errorHandler(sim))
    app.get(SSE_PATH, async (req, reply) => {
      injected(sim, 'sse', req)
      refuseBody(req)
      const orgId = req.headers[HEADER.orgId]
      if (orgId === undefined || orgId === '') throw badRequest(MESSAGE.orgIdRequired)
      let claims
      try {
        claims = await sim.tokens.verify(req.headers.authorization)
      } catch (error) {
        if (!(error instanceof TokenError)) throw error
        // The event router answers like a Spring service, or (plainStream401 fault) with the bare text.
        if (sim.faults.takePlainStream401()) return reply.code(401).type('text/plain;charset=UTF-8').send(error.message)
        throw new ApiError(401, error.message, {
          timestamp: new Date().toISOString(),
          status: 401,
          error: 'Unauthorized',
          message: error.message,
          path: SSE_PATH,
        })
      }
      if (orgId !== claims.orgId) throw badRequest(MESSAGE.orgIdMismatch)
      const rawLast = req.headers[HEADER.lastEventId]
      if (rawLast !== undefined && !/^\d+$/.test(String(rawLast)))
        throw badRequest('Last-Event-Id must be an event id (digits)')
      const backlog = rawLast === undefined ? [] : sim.events.after(claims.sub, Number(rawLast))
      reply.hijack()
      hub.attach(reply.raw, claims, backlog)
    })
  }
}
