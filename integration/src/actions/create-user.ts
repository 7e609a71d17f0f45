import type * as bp from '../bp.js'
import { createUserInputSchema } from '../definitions/hitl-interface.js'
import { USER_ROLES } from '../definitions/user.js'
import { parseInput } from '../parse-input.js'

/** Live Agent has no visitor accounts: the customer only exists in Botpress until the chat starts. */
export const createUser: bp.IntegrationProps['actions']['createUser'] = async ({ client, input }) => {
  const { name, pictureUrl, email } = parseInput(createUserInputSchema, input, 'createUser')
  const { user } = await client.createUser({
    name,
    pictureUrl,
    tags: { role: USER_ROLES.visitor, ...(email ? { email } : {}) },
  })
  return { userId: user.id }
}
