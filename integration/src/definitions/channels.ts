// Tags this integration adds to the interface's `hitl` channel (applied in integration.definition.ts through `.extend`).

export const hitlChannel = {
  title: 'Live Agent chat',
  description: 'A hand-off to a Salesforce Live Agent agent',
  conversation: {
    tags: {
      chatId: { title: 'Chat id', description: 'Id of the chat on the hop server' },
      upstreamConversationId: {
        title: 'Bot conversation id',
        description: 'The bot conversation this hand-off belongs to',
      },
      endReason: { title: 'End reason', description: 'Why the chat ended: agent, visitor, no_agent, timeout or error' },
      assignedBy: {
        title: 'Assigned by',
        description: 'chatId#seq of the hop event that last announced an agent; a redelivery announces nobody twice',
      },
      endPending: {
        title: 'End pending',
        description: 'true while the Live Agent chat still has to be ended (the hop server was unreachable)',
      },
    },
  },
  message: {
    tags: {
      hopEvent: {
        title: 'Hop event',
        description:
          'chatId#seq of the hop-server event that produced the message; makes redelivered events create nothing twice',
      },
    },
  },
}
