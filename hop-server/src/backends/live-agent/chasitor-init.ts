// The ChasitorInit parameters of a chat request: the visitor, the routing target and the pre-chat details, with
// the bot transcript as one more detail when the request asks for it.
import type { HopConfig } from '../../config.js'
import { transcriptFieldValue } from '../../chats/transcript.js'
import type { ChatRecord } from '../../store/types.js'
import { liveAgentOf } from './target.js'
import type { ChasitorInitParams } from './wire.js'

const TRANSCRIPT_DETAIL_LABEL = 'Bot transcript'
const DEFAULT_LANGUAGE = 'en-US'

export function chasitorInitParams(chat: ChatRecord, config: HopConfig): ChasitorInitParams {
  const { request } = chat
  const details = request.prechatDetails.map((detail) => ({
    label: detail.label,
    value: detail.value,
    transcriptFields: detail.transcriptFields ?? [],
    ...(detail.displayToAgent !== undefined ? { displayToAgent: detail.displayToAgent } : {}),
    ...(detail.entityMaps ? { entityMaps: detail.entityMaps as never } : {}),
  }))
  const { prechatField, mode } = request.transcriptDelivery
  if (prechatField && request.transcript.length > 0) {
    details.push({
      label: TRANSCRIPT_DETAIL_LABEL,
      value: transcriptFieldValue(request.transcript, config.pump.transcriptFieldMaxChars),
      transcriptFields: [prechatField],
      // Shown to the agent only when no message carries the transcript.
      displayToAgent: mode === 'none',
    })
  }
  const target = liveAgentOf(request)
  const overrides = target.buttonOverrides ?? []
  return {
    organizationId: target.organizationId,
    deploymentId: target.deploymentId,
    buttonId: target.buttonId,
    ...(overrides.length > 0 ? { buttonOverrides: overrides } : {}),
    visitorName: request.visitor.name,
    language: request.visitor.language ?? DEFAULT_LANGUAGE,
    userAgent: request.visitor.userAgent ?? '',
    screenResolution: request.visitor.screenResolution ?? '',
    prechatDetails: details,
    prechatEntities: request.prechatEntities as never,
    receiveQueueUpdates: true,
    isPost: true,
  }
}
