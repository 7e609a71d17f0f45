import type * as bp from '../bp.js'
import { createUserInputSchema } from '../definitions/hitl-interface.js'
import { USER_ROLES } from '../definitions/user.js'
import { parseInput } from '../parse-input.js'

/**
 * The address the HITL plugin makes up when the customer has none (`<userId>@no-reply.<botId>.botpress.com`): it
 * reaches nobody, so it must not reach the agent as the customer's email.
 */
const MADE_UP_EMAIL = /@no-reply\.[^@\s]+\.botpress\.com$/i

export const realEmail = (email: string | undefined): string | undefined =>
  email?.trim() && !MADE_UP_EMAIL.test(email.trim()) ? email.trim() : undefined

/** Live Agent has no visitor accounts: the customer only exists in Botpress until the chat starts. */
export const createUser: bp.IntegrationProps['actions']['createUser'] = async ({ client, input }) => {
  const { name, pictureUrl } = parseInput(createUserInputSchema, input, 'createUser')
  const email = realEmail(input.email)
  const { user } = await client.createUser({
    name,
    pictureUrl,
    tags: { role: USER_ROLES.visitor, ...(email ? { email } : {}) },
  })
  return { userId: user.id }
}
