import type { FastifyInstance } from 'fastify'
import type { VisitorAction } from '../chasitor-requests.js'
import { ProtocolError } from '../errors.js'
import { BODY, HEADER, VISITOR_NOUNS, type VisitorNoun } from '../protocol.js'
import type { Simulator } from '../simulator.js'
import { admitSession } from './admission.js'
import {
  chasitorInitSchema,
  chatEndSchema,
  chatMessageSchema,
  customEventSchema,
  emptySchema,
  idleWarningSchema,
  multiNounSchema,
  parseJson,
  sneakPeekSchema,
  validate,
} from './chasitor-schemas.js'
import { header } from './request.js'
import { sendText } from './send.js'

/** The POSTs numbered by X-LIVEAGENT-SEQUENCE: ChasitorInit, each visitor noun, MultiNoun (§3, §5). */
export function sequencedRoutes(app: FastifyInstance, sim: Simulator): void {
  app.post('/Chasitor/ChasitorInit', async (req, reply) => {
    const admitted = await admitSession(sim, req, reply, 'ChasitorInit', 'required')
    if (!admitted) return reply
    const body = validate(chasitorInitSchema, parseJson(req.body), 'ChasitorInit')
    sim.chasitor.chasitorInit(admitted.session, body, header(req, HEADER.sequence))
    return sendText(reply, 200, BODY.ok)
  })

  for (const noun of VISITOR_NOUNS) {
    app.post(`/Chasitor/${noun}`, async (req, reply) => {
      const admitted = await admitSession(sim, req, reply, noun, 'required')
      if (!admitted) return reply
      const action = visitorAction(noun, parseJson(req.body))
      sim.chasitor.visitorPost(admitted.session, action, header(req, HEADER.sequence), admitted.drop)
      return sendText(reply, 200, BODY.ok)
    })
  }

  app.post('/System/MultiNoun', async (req, reply) => {
    const admitted = await admitSession(sim, req, reply, 'MultiNoun', 'required')
    if (!admitted) return reply
    const { nouns } = validate(multiNounSchema, parseJson(req.body), 'MultiNoun')
    const actions = nouns.map((wrapper) => {
      const noun = wrapper.noun as VisitorNoun
      if (wrapper.prefix !== 'Chasitor' || !VISITOR_NOUNS.includes(noun))
        throw new ProtocolError(400, `Bad Request: MultiNoun cannot carry ${wrapper.prefix}/${wrapper.noun}`)
      return visitorAction(noun, wrapper.object ?? parseJson(wrapper.data))
    })
    sim.chasitor.multiNoun(admitted.session, actions, header(req, HEADER.sequence), admitted.drop)
    return sendText(reply, 200, BODY.ok)
  })
}

/** Validates one visitor noun's body (400 when it is not valid). */
function visitorAction(noun: VisitorNoun, body: unknown): VisitorAction {
  switch (noun) {
    case 'ChatMessage':
      return { noun, text: validate(chatMessageSchema, body, noun).text }
    case 'ChasitorTyping':
    case 'ChasitorNotTyping':
      validate(emptySchema, body, noun)
      return { noun }
    case 'ChasitorSneakPeek':
      return { noun, text: validate(sneakPeekSchema, body, noun).text }
    case 'ChatEnd':
      return { noun, reason: validate(chatEndSchema, body, noun).reason }
    case 'CustomEvent': {
      const { type, data } = validate(customEventSchema, body, noun)
      return { noun, type, data: data ?? '' }
    }
    case 'ChasitorIdleTimeoutWarningEvent':
      return { noun, state: validate(idleWarningSchema, body, noun).idleTimeoutWarningEvent }
  }
}
