// @liveagent-hop/bridge-contract: what the integration and the hop server must agree on, written once.
export * from './headers.js'
export * from './signing.js'
export * from './verify.js'
export * from './vocabulary.js'
