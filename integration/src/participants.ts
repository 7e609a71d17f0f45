// The Botpress users that speak in a `hitl` conversation besides the customer: one per Live Agent agent, and one
// "system" user for notices (queue position, agent joined…).
import type * as bp from './bp.js'
import { USER_ROLES } from './definitions/user.js'
import type { Agent } from './lifecycle/types.js'

const SYSTEM_USER_NAME = 'Live Agent'

export class Participants {
  public constructor(private readonly _client: bp.Client) {}

  /** The agent's Botpress user, found by their Salesforce id. */
  public async agentUserId(agent: Agent): Promise<string> {
    const { user } = await this._client.getOrCreateUser({
      name: agent.name,
      tags: { role: USER_ROLES.agent, agentId: agent.id },
      discriminateByTags: ['agentId'],
    })
    return user.id
  }

  public async systemUserId(): Promise<string> {
    const { user } = await this._client.getOrCreateUser({
      name: SYSTEM_USER_NAME,
      tags: { role: USER_ROLES.system },
      discriminateByTags: ['role'],
    })
    return user.id
  }
}
