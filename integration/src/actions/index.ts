import type * as bp from '../bp.js'
import { createUser } from './create-user.js'
import { getHandoffStatus } from './get-handoff-status.js'
import { matchTrigger } from './match-trigger.js'
import { startHitl } from './start-hitl.js'
import { stopHitl } from './stop-hitl.js'

export const actions = {
  createUser,
  startHitl,
  stopHitl,
  matchTrigger,
  getHandoffStatus,
} satisfies bp.IntegrationProps['actions']
