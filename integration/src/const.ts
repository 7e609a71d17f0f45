// Names and limits shared by the definition and the implementation.

export const INTEGRATION_NAME = 'liveagent-hop'
export const INTEGRATION_VERSION = '0.1.0'

/** The Botpress channel the HITL interface requires. */
export const HITL_CHANNEL = 'hitl'

/** Name of the conversation state holding the hand-off lifecycle of one `hitl` conversation. */
export const HANDOFF_STATE = 'handoff'

/** Locale used when neither the session, the transcript nor the configuration says otherwise. */
export const FALLBACK_LOCALE = 'en'

/** Botpress Cloud's public webhook host; `BP_WEBHOOK_URL` overrides it (local runs, the playground). */
export const DEFAULT_WEBHOOK_BASE_URL = 'https://webhook.botpress.cloud'
