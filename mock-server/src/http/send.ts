import type { FastifyReply } from 'fastify'

/** Salesforce's error and OK bodies are plain text, not JSON (§8). */
export function sendText(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(body)
}
