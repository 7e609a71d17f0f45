import type { FastifyReply } from 'fastify'
import type { Batch, PollReply } from '../simulated-chat.js'
import { sendText } from './send.js'

/** A Messages poll as the simulator sees it, carried by a Fastify reply. */
export function fastifyPollReply(reply: FastifyReply): PollReply {
  return {
    batch: (batch: Batch) => {
      reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(batch))
    },
    refuse: (status, body) => {
      sendText(reply, status, body)
    },
    empty: () => {
      reply.code(204).send()
    },
    destroy: () => reply.raw.destroy(),
    onClientGone: (listener) => {
      reply.raw.once('close', listener)
    },
  }
}
