// The Salesforce backend a run drives: which create-chat target the chats carry and which admin API plays the agent.
// The simulator serves both products on one port (mock-server/README.md), so only these two things differ.
import type { AgentConsole } from '../http/agent-console.js'
import { EnhancedAdmin } from '../http/enhanced-admin.js'
import { MockAdmin } from '../http/mock-admin.js'
import type { ChatTarget } from '../http/target-api.js'
import { MOCK_IDS } from '../processes/services.js'

export const BACKENDS = ['live-agent', 'enhanced-chat'] as const
export type BackendName = (typeof BACKENDS)[number]
export const DEFAULT_BACKEND: BackendName = 'live-agent'

const API_VERSION = '63'
/** The simulator's default deployment API name (mock-server's SAMPLE_IDS). */
export const MOCK_ES_DEVELOPER_NAME = 'Mock_Custom_Client'
/** The pre-chat field the simulator shows as the visitor's name: the driver finds each chat by it. */
const NAME_FIELD = '_firstName'

/** The create-chat target of the chat whose visitor is called `visitorName`. */
export function chatTargetFor(backend: BackendName, mockUrl: string): (visitorName: string) => ChatTarget {
  if (backend === 'enhanced-chat') {
    return (visitorName) => ({
      backend: 'enhanced-chat',
      enhancedChat: {
        scrtUrl: mockUrl,
        orgId: MOCK_IDS.organizationId,
        esDeveloperName: MOCK_ES_DEVELOPER_NAME,
        routingAttributes: { [NAME_FIELD]: visitorName },
      },
    })
  }
  const liveAgent = { endpoint: `${mockUrl}/chat`, ...MOCK_IDS, apiVersion: API_VERSION }
  return () => ({ liveAgent })
}

export function agentConsoleFor(backend: BackendName, mockUrl: string): AgentConsole {
  return backend === 'enhanced-chat' ? new EnhancedAdmin(mockUrl) : new MockAdmin(mockUrl)
}
