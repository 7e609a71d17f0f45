// `@liveagent-hop/contract-kit/bridge`: the integration <-> hop server contract (the signed /v1 API and the webhook
// events), and the provider side that verifies a hop server against it.
export * from './contract.js'
export { BRIDGE_API_INTERACTIONS } from './api-interactions.js'
export { expectWebhook, WEBHOOK_CONTENTS } from './webhook-messages.js'
export { BridgeProvider, WebhookRecorder, type RecordedWebhook } from './hop-server-provider.js'
