import { IntegrationDefinition } from '@botpress/sdk'
import { INTEGRATION_NAME, INTEGRATION_VERSION } from './src/const.js'
import { actions, configuration, entities, events, hitlChannel, states, user } from './src/definitions/index.js'
import { hitlInterface } from './src/definitions/hitl-interface.js'

export default new IntegrationDefinition({
  name: INTEGRATION_NAME,
  version: INTEGRATION_VERSION,
  title: 'Salesforce Live Agent (HITL)',
  description:
    'Hand a conversation to a human agent in Salesforce Live Agent (Chat) in the same chat window, and back to the bot with the outcome.',
  icon: 'icon.svg',
  readme: 'hub.md',
  attributes: { category: 'Customer Support' },
  configuration,
  actions,
  events,
  states,
  entities,
  user,
}).extend(hitlInterface, (self) => ({
  entities: { hitlSession: self.entities.liveAgentChat },
  channels: { hitl: hitlChannel },
}))
