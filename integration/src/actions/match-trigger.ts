import type * as bp from '../bp.js'
import { matchTriggerInputSchema } from '../definitions/actions.js'
import { parseInput } from '../parse-input.js'
import { Settings } from '../settings.js'

export const matchTrigger: bp.IntegrationProps['actions']['matchTrigger'] = async ({ ctx, input, logger }) => {
  // An empty text is a valid question (it matches nothing); an empty locale means "not set".
  const { text, locale } = parseInput(
    matchTriggerInputSchema,
    { ...input, locale: input.locale?.trim() ? input.locale : undefined },
    'matchTrigger'
  )
  const settings = Settings.fromContext(ctx)
  const decision = settings.triggers.match(text, { locale, fallbackLocale: settings.defaultLocale })
  // The designer reads why in the bot's logs: only the words that decided it, not the whole message.
  logger.forBot().debug(`matchTrigger: ${decision.explanation}`)
  return decision
}
