// Test helpers for this package and for the playground, bench and contract tests:
// `@liveagent-hop/hop-server/testing`.
export {
  WebhookReceiver,
  startWebhookReceiver,
  type ReceivedEvent,
  type WebhookReceiverOptions,
} from './webhook-receiver.js'
export { HopTestClient, type HopResponse } from './hop-client.js'
export { ephemeralLoopbackTargets, ephemeralPortRange, loopbackTargetsOf } from './loopback-targets.js'
