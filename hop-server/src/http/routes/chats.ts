import type { FastifyInstance, FastifyRequest } from 'fastify'
import { chatView, type ChatService, type CreateChatInput } from '../../chats/chat-service.js'
import type { HopMetrics } from '../../metrics.js'
import {
  type ChatParams,
  type EndBody,
  type MessageBody,
  type TypingBody,
  acceptedSchema,
  chatParamsSchema,
  chatViewSchema,
  createChatBodySchema,
  createChatResponseSchema,
  endBodySchema,
  endResponseSchema,
  errorSchema,
  messageBodySchema,
  messageResponseSchema,
  typingBodySchema,
} from '../schemas.js'

const SIGNED = [{ hopSignature: [] }]
const TAGS = ['chats']
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, errorSchema]))

/** The tenant the signature check found (the /v1 hook always sets it). */
const tenantOf = (request: FastifyRequest) => request.tenant!

export function registerChatRoutes(app: FastifyInstance, deps: { chats: ChatService; metrics: HopMetrics }): void {
  const { chats, metrics } = deps

  app.post<{ Body: CreateChatInput }>(
    '/chats',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a chat (idempotent per tenant and open conversation)',
        security: SIGNED,
        body: createChatBodySchema,
        response: { 200: createChatResponseSchema, 201: createChatResponseSchema, ...errors(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      const { chat, created } = await chats.create(tenantOf(request), request.body)
      if (created) metrics.chatsCreated.inc()
      return reply.status(created ? 201 : 200).send({ ...chatView(chat), created })
    }
  )

  app.get<{ Params: ChatParams }>(
    '/chats/:chatId',
    {
      schema: {
        tags: TAGS,
        summary: 'Chat status: state, queue position, agent, end reason',
        security: SIGNED,
        params: chatParamsSchema,
        response: { 200: chatViewSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => chatView(await chats.get(tenantOf(request), request.params.chatId))
  )

  app.post<{ Params: ChatParams; Body: MessageBody }>(
    '/chats/:chatId/messages',
    {
      schema: {
        tags: TAGS,
        summary: 'A visitor message for the agent (idempotent per messageId)',
        security: SIGNED,
        params: chatParamsSchema,
        body: messageBodySchema,
        response: { 202: messageResponseSchema, ...errors(400, 401, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { messageId, text } = request.body
      const { duplicate } = await chats.sendMessage(tenantOf(request), request.params.chatId, messageId, text)
      return reply.status(202).send({ accepted: true, duplicate })
    }
  )

  app.post<{ Params: ChatParams; Body: TypingBody }>(
    '/chats/:chatId/typing',
    {
      schema: {
        tags: TAGS,
        summary: 'Visitor typing indicator (ignored before the agent joins)',
        security: SIGNED,
        params: chatParamsSchema,
        body: typingBodySchema,
        response: { 202: acceptedSchema, ...errors(400, 401, 404, 415) },
      },
    },
    async (request, reply) => {
      await chats.typing(tenantOf(request), request.params.chatId, request.body.typing)
      return reply.status(202).send({ accepted: true })
    }
  )

  app.post<{ Params: ChatParams; Body: EndBody }>(
    '/chats/:chatId/end',
    {
      schema: {
        tags: TAGS,
        summary: 'End the chat from the visitor side (idempotent)',
        security: SIGNED,
        params: chatParamsSchema,
        body: endBodySchema,
        response: { 202: endResponseSchema, ...errors(400, 401, 404, 415) },
      },
    },
    async (request, reply) => {
      const reason = request.body.reason ?? 'visitor'
      if (await chats.end(tenantOf(request), request.params.chatId, reason)) metrics.chatsEnded.inc({ reason })
      return reply.status(202).send({ state: 'ended' })
    }
  )
}
