// The pacticipants, as a Pact Broker would list them. The hop server is one pacticipant: the consumer of Live Agent
// and the provider of the bridge (its /v1 API and its webhook events, in one V4 pact with HTTP and message
// interactions), so `can-i-deploy --pacticipant liveagent-hop-server` sees both sides of it.

/** The hop server (hop-server/): its Live Agent chasitor client, its /v1 API, its webhooks. */
export const HOP_SERVER = 'liveagent-hop-server'
/** Salesforce Live Agent (Chat REST API). Verified here against mock-server/, our stand-in for it. */
export const LIVE_AGENT = 'salesforce-live-agent'
/** The Botpress integration (integration/): client of the hop API and receiver of its webhooks. */
export const INTEGRATION = 'botpress-liveagent-integration'
