import { type IntegrationDefinitionProps } from '@botpress/sdk'

export const USER_ROLES = { visitor: 'visitor', agent: 'agent', system: 'system' } as const

export const user = {
  tags: {
    role: { title: 'Role', description: 'visitor (the customer), agent (a Live Agent agent) or system (notices)' },
    agentId: { title: 'Agent id', description: 'Salesforce user id of the agent (starts with 005)' },
    email: { title: 'Email', description: 'Email address of the customer, when the bot knew it' },
  },
} satisfies IntegrationDefinitionProps['user']
