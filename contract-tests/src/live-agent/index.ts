// `@liveagent-hop/contract-kit/live-agent`: the Live Agent (Chat REST API) contract. Register the interactions on
// your own PactV4 to pin your client, and verify its pact against the simulator (`liveagent-mock`) with the state
// handlers, which put the simulator in each provider state through its own APIs.
export * from './contract.js'
export { LIVE_AGENT_INTERACTIONS } from './interactions.js'
export { liveAgentStateHandlers, MockVisitor } from './provider-states.js'
export {
  ChatUnderTest,
  header,
  holdPollsFrom,
  type ChatUnderTestOptions,
  type LiveAgentClientClass,
} from './chat-under-test.js'
