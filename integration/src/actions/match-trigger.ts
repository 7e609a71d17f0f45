import type * as bp from '../bp.js'
import { matchTriggerInputSchema } from '../definitions/actions.js'
import { parseInput } from '../parse-input.js'
import { Settings } from '../settings.js'

export const matchTrigger: bp.IntegrationProps['actions']['matchTrigger'] = async ({ ctx, input }) => {
  // An empty text is a valid question (it matches nothing); an empty locale means "not set".
  const { text, locale } = parseInput(
    matchTriggerInputSchema,
    { ...input, locale: input.locale?.trim() ? input.locale : undefined },
    'matchTrigger'
  )
  const settings = Settings.fromContext(ctx)
  const match = settings.triggers.match(text, { locale, fallbackLocale: settings.defaultLocale })
  return match.matched
    ? { matched: true, phrase: match.phrase, locale: match.locale }
    : { matched: false, locale: match.locale }
}
