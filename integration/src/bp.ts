// Hand-written stand-in for the `.botpress` module that `bp gen` would generate: the integration's types, derived
// from the definition schemas so that tsc checks action outputs, event payloads, tags, states and configuration keys.
// `.extend()` does not carry the interface into the definition's static type, so the HITL parts are listed here.
import * as sdk from '@botpress/sdk'
import { type INTEGRATION_NAME, type INTEGRATION_VERSION } from './const.js'
import type * as defs from './definitions/index.js'
import type * as hitl from './definitions/hitl-interface.js'

type Infer<T extends sdk.z.ZodTypeAny> = sdk.z.infer<T>
type TagsOf<T extends { tags: Record<string, unknown> }> = { [K in keyof T['tags']]: string }

type StartHitlInputSchema = ReturnType<typeof hitl.buildStartHitlInputSchema<typeof defs.liveAgentChatSchema>>

export type TIntegration = sdk.DefaultIntegration<{
  name: typeof INTEGRATION_NAME
  version: typeof INTEGRATION_VERSION
  // What Botpress sends; `readConfiguration` parses it and fills the defaults.
  configuration: defs.ConfigurationInput
  actions: {
    createUser: { input: Infer<typeof hitl.createUserInputSchema>; output: Infer<typeof hitl.createUserOutputSchema> }
    startHitl: { input: Infer<StartHitlInputSchema>; output: Infer<typeof hitl.startHitlOutputSchema> }
    stopHitl: { input: Infer<typeof hitl.stopHitlInputSchema>; output: Infer<typeof hitl.stopHitlOutputSchema> }
    matchTrigger: {
      input: Infer<typeof defs.matchTriggerInputSchema>
      output: Infer<typeof defs.matchTriggerOutputSchema>
    }
    getHandoffStatus: {
      input: Infer<typeof defs.getHandoffStatusInputSchema>
      output: Infer<typeof defs.getHandoffStatusOutputSchema>
    }
  }
  channels: {
    hitl: {
      messages: hitl.HitlMessagePayloads
      message: { tags: TagsOf<typeof defs.hitlChannel.message> }
      conversation: { tags: TagsOf<typeof defs.hitlChannel.conversation> }
    }
  }
  events: {
    hitlAssigned: Infer<typeof hitl.hitlAssignedSchema>
    hitlStopped: Infer<typeof hitl.hitlStoppedSchema>
    handoffEnded: Infer<typeof defs.handoffEndedSchema>
  }
  states: {
    handoff: { type: 'conversation'; payload: defs.HandoffState }
  }
  user: { tags: TagsOf<typeof defs.user> }
  entities: { liveAgentChat: Infer<typeof defs.liveAgentChatSchema> }
}>

export class Integration extends sdk.Integration<TIntegration> {}

export type IntegrationProps = sdk.IntegrationProps<TIntegration>
export type Client = sdk.IntegrationSpecificClient<TIntegration>
export type Context = sdk.IntegrationContext<TIntegration>
export type Logger = sdk.IntegrationLogger
export type HandlerProps = Parameters<IntegrationProps['handler']>[0]
export type RegisterProps = Parameters<IntegrationProps['register']>[0]

type Actions = IntegrationProps['actions']
export type ActionProps = { [K in keyof Actions]: Parameters<Actions[K]>[0] }

type HitlMessages = IntegrationProps['channels']['hitl']['messages']
export type MessageProps = { [K in keyof HitlMessages]: Parameters<HitlMessages[K]>[0] }
export type AnyMessageProps = MessageProps[keyof MessageProps]

/** What every helper needs from a handler's props. */
export type CommonProps = { client: Client; ctx: Context; logger: Logger }
