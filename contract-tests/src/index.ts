// Public API of the contract kit (`@liveagent-hop/contract-kit`): what another team needs to check its own client of
// Live Agent or Enhanced Chat against the simulator with Pact, or a hop server against the bridge contract. The
// protocol areas have their own entry points (./live-agent, ./enhanced-chat, ./bridge); this one holds the shared
// plumbing: pacticipant names, verifier helpers, matchers, the pact-file tidy and the broker calls.
export { HOP_SERVER, INTEGRATION, LIVE_AGENT } from './participants.js'
export { pactLogLevel } from './paths.js'
export {
  mismatchesOf,
  onlyInteractions,
  pactSource,
  STATE_SETUP_PATH,
  VERIFY_FROM_BROKER,
  type RequestFilter,
  type StateHandlers,
  type VerificationMismatch,
} from './verification.js'
export { providerValue } from './support/matchers.js'
export { executeAll, type Interaction } from './support/interactions.js'
export { eventually } from './support/eventually.js'
export {
  FORWARD,
  HOLD,
  HttpProxy,
  routeBy,
  type Decision,
  type ProxiedRequest,
  type ProxiedResponse,
  type Router,
  type Rule,
} from './support/http-proxy.js'
export {
  canonicalJson,
  pactFilesIn,
  readPact,
  tidyPactFile,
  uniqueInteractions,
  type PactDocument,
} from './pact-files.js'
export {
  BROKER_ENV,
  brokerConfig,
  BrokerConfigError,
  canIDeploy,
  DEPLOYABLE_PACTICIPANTS,
  publishPacts,
  type BrokerConfig,
  type BrokerCredentials,
  type DeployVerdict,
} from './broker.js'
