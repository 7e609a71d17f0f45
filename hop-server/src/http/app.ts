// The fastify application: signed JSON API under /v1, unsigned operations endpoints, OpenAPI at /docs/json.
import swagger from '@fastify/swagger'
import { HEADER_SIGNATURE, HEADER_TENANT, HEADER_TIMESTAMP } from '@liveagent-hop/bridge-contract'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import type { ChatService } from '../chats/chat-service.js'
import type { HopMetrics } from '../metrics.js'
import type { HopStore } from '../store/types.js'
import { LegacySignatureNotice } from '../security/legacy-signature-notice.js'
import { ReplayGuard } from '../security/replay-guard.js'
import { answerClientError } from './client-error.js'
import { HOP_VERSION } from '../constants.js'
import { badRequest, errorBody } from './errors.js'
import { registerChatRoutes } from './routes/chats.js'
import { registerOpsRoutes } from './routes/ops.js'
import { registerAvailabilityRoute, type AvailabilityChecker } from './routes/availability.js'
import { signatureCheck } from './verify-signature.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, for the signature. */
    rawBody?: Buffer
    /** Set once the signature was verified. */
    tenant?: string
  }
}

const SERVER_ERROR = 500
const PROTO_KEY = '__proto__'
const UNICODE_ESCAPE = '\\u'

export interface AppDeps {
  config: HopConfig
  store: HopStore
  metrics: HopMetrics
  logger: Logger
  chats: ChatService
  availability: AvailabilityChecker
}

/** JSON.parse that refuses `__proto__` keys, so a body can never smuggle a prototype into merged objects. */
export function parseJsonSafely(text: string): unknown {
  // A `__proto__` key is written out as such or spelled with a \u escape: a body with neither (every body the
  // integration sends but for rare control characters) cannot hold one: it skips the reviver, a call per value.
  if (!text.includes(PROTO_KEY) && !text.includes(UNICODE_ESCAPE)) return JSON.parse(text)
  return JSON.parse(text, (key, value: unknown) => {
    if (key === PROTO_KEY) throw new SyntaxError('the key "__proto__" is not allowed')
    return value
  })
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, metrics } = deps
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.security.bodyLimitBytes,
    // Per-request lines would drown everything else at 10,000 chats; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  })

  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer
    request.rawBody = raw
    if (raw.length === 0) return done(badRequest('the body must be a JSON document'), undefined)
    try {
      done(null, parseJsonSafely(raw.toString('utf8')))
    } catch (error) {
      done(badRequest(`the body is not valid JSON: ${(error as Error).message}`), undefined)
    }
  })

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    const statusCode = error.statusCode ?? SERVER_ERROR
    if (statusCode >= SERVER_ERROR) {
      request.log.error({ err: error, url: request.url }, 'request failed')
      return reply.status(statusCode).send(errorBody(statusCode, 'internal error'))
    }
    if (statusCode === 401) metrics.authFailures.inc()
    return reply.status(statusCode).send(errorBody(statusCode, error.message))
  })
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`))
  )

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'liveagent-hop',
        version: HOP_VERSION,
        description:
          'The bridge between the Botpress integration and Salesforce Live Agent. Every /v1 request is signed: ' +
          `${HEADER_TENANT}, ${HEADER_TIMESTAMP} (ms), ${HEADER_SIGNATURE} = v2=hex(HMAC-SHA256(secret, ` +
          '"v2\\n" + tenant + "\\n" + METHOD + "\\n" + path and query as sent + "\\n" + timestamp + "\\n" + body)). ' +
          'See docs/bridge-contract.md.',
      },
      components: {
        securitySchemes: {
          hopSignature: { type: 'apiKey', in: 'header', name: HEADER_SIGNATURE },
        },
      },
    },
  })

  registerOpsRoutes(app, { store, metrics })

  await app.register(
    async (v1) => {
      v1.addHook(
        'preValidation',
        signatureCheck({
          config,
          replays: new ReplayGuard(store, config.security.signatureWindowMs),
          legacyNotice: new LegacySignatureNotice(deps.logger),
        })
      )
      registerChatRoutes(v1, { chats: deps.chats, metrics })
      registerAvailabilityRoute(v1, { config, availability: deps.availability })
    },
    { prefix: '/v1' }
  )

  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger())
  return app
}
