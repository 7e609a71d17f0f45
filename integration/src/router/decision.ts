// What the router answers, and the sentence that explains it to a conversation designer.

/** How a message was recognised as a request for a person. */
export type MatchRule = 'phrase' | 'request' | 'bare-target' | 'standalone-cue' | 'likely-request'

/** Why a message was not taken as a request for a person (most telling first). */
export type RefusalReason =
  | 'never-trigger'
  | 'withdrawn'
  | 'quoted'
  | 'negated'
  | 'narrative'
  | 'talks-about'
  | 'someone-else'
  | 'unlikely-request'
  | 'not-a-person'
  | 'no-cue'
  | 'no-target'
  | 'empty'

export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'never-trigger',
  'withdrawn',
  'quoted',
  'negated',
  'narrative',
  'talks-about',
  'someone-else',
  'unlikely-request',
  'not-a-person',
  'no-cue',
  'no-target',
  'empty',
]

/** Refusals that settle the question for every language: the words were understood, and they do not ask. */
export const DECISIVE_REASONS: ReadonlySet<RefusalReason> = new Set([
  'never-trigger',
  'withdrawn',
  'quoted',
  'negated',
  'narrative',
  'talks-about',
  'someone-else',
])

export type TriggerDecision = {
  matched: boolean
  /** The locale whose words matched; for a refusal, the locale asked for (or the default). */
  locale: string
  rule?: MatchRule
  /** The configured phrase that matched. */
  phrase?: string
  /** The lexicon's cue and target that matched ("connect me", "agent"). */
  cue?: string
  target?: string
  reason?: RefusalReason
  /** The words behind a refusal ("don't", "yesterday", "travel agent"). */
  evidence?: string
  /**
   * For the request check's own decisions, the words and word pairs that weighed most, as the explanation quotes them
   * ('"last"', '"for a"', '"the" at the start'): against a request for `unlikely-request`, for one for `likely-request`.
   */
  weighed?: string[]
  explanation: string
}

export type CancelReason = 'not-alone' | 'keeps-waiting' | 'no-cancel' | 'empty'

export type CancelDecision = {
  matched: boolean
  locale: string
  /** The cancel expression or configured cancel phrase that matched. */
  expression?: string
  reason?: CancelReason
  /** For `not-alone`: the words that make the sentence about something else; for `keeps-waiting`: the waiting words. */
  evidence?: string
  explanation: string
}

const quote = (text: string): string => `"${text}"`

/** A probability as a designer reads it, never rounded to a certainty the model does not have ("100.0 %"). */
const percentLikely = (probability: number): string => {
  if (probability > 0.999) return 'over 99.9 %'
  if (probability < 0.001) return 'under 0.1 %'
  return `${(probability * 100).toFixed(1)} %`
}

const written = (pattern: string, typed: string | undefined): string =>
  typed && typed !== pattern ? `${quote(pattern)} (written ${quote(typed)})` : quote(pattern)

/** What the rules found for a match, as the explanation tells it. */
export type MatchParts = {
  phrase?: string
  cue?: string
  cueTyped?: string
  target?: string
  targetTyped?: string
  /** The target is a person by its place: the noun after "speak to the", "mit dem … reden" (`personPlaces`). */
  byPlace?: boolean
  /** The target is a person by the contact they make: the subject of "call me", "m'écrire" (`personContacts`). */
  byContact?: boolean
  /** The target is a person on the line: "put me on the phone with the", "X au téléphone" (`onTheLine`). */
  onTheLine?: boolean
}

export const explainMatch = (
  rule: MatchRule,
  locale: string,
  parts: MatchParts & {
    /** For `likely-request`: the model's probability and the words that weighed most for a request. */
    probability?: number
    evidence?: string
  }
): string => {
  switch (rule) {
    case 'phrase':
      return `Match (${locale}): the configured phrase ${quote(parts.phrase ?? '')}.`
    case 'request':
      return `Match (${locale}): request cue ${written(parts.cue ?? '', parts.cueTyped)} with target ${written(parts.target ?? '', parts.targetTyped)}${parts.byPlace ? ' (a person by its place)' : ''}${parts.byContact ? ' (a person by the contact they make)' : ''}${parts.onTheLine ? ' (a person on the line)' : ''}.`
    case 'bare-target':
      return parts.cue === undefined
        ? `Match (${locale}): the message is only a target, ${written(parts.target ?? '', parts.targetTyped)}.`
        : `Match (${locale}): the message only fetches a target, ${written(parts.target ?? '', parts.targetTyped)}, with ${written(parts.cue, parts.cueTyped)}.`
    case 'standalone-cue':
      return `Match (${locale}): the cue ${written(parts.cue ?? '', parts.cueTyped)} asks to be passed on by itself.`
    case 'likely-request': {
      const found = parts.cue
        ? `the cue ${quote(parts.cue)} but no target`
        : `the target ${quote(parts.target ?? '')} but no cue`
      const likely = parts.probability === undefined ? '' : ` (${percentLikely(parts.probability)} likely)`
      return `Match (${locale}): the rules found ${found}, and the request check reads a request${likely}; the words that weighed most for a request: ${parts.evidence ?? ''}.`
    }
  }
}

export const explainRefusal = (
  reason: RefusalReason,
  locale: string,
  evidence?: string,
  target?: string,
  check: { cue?: string; probability?: number } = {}
): string => {
  const about = target ? ` (target ${quote(target)})` : ''
  switch (reason) {
    case 'never-trigger':
      return `No match (${locale}): the never-trigger phrase ${quote(evidence ?? '')} is in the message.`
    case 'withdrawn':
      return `No match (${locale}): the request${about} is taken back later in the message (${quote(evidence ?? '')}).`
    case 'quoted':
      return `No match (${locale}): the request${about} is in quotation marks, someone else's words (${quote(evidence ?? '')}).`
    case 'negated':
      return `No match (${locale}): negated by ${quote(evidence ?? '')}${about}.`
    case 'narrative':
      return `No match (${locale}): narration about the past (${quote(evidence ?? '')})${about}.`
    case 'talks-about':
      return `No match (${locale}): talks about a person (${quote(evidence ?? '')}) rather than asking for one${about}.`
    case 'someone-else':
      return `No match (${locale}): someone else is the subject (${quote(evidence ?? '')})${about}.`
    case 'unlikely-request': {
      const found = [check.cue && `the cue ${quote(check.cue)}`, target && `the target ${quote(target)}`]
      const likely = check.probability === undefined ? '' : ` (${percentLikely(check.probability)} likely)`
      return `No match (${locale}): the rules found ${found.filter(Boolean).join(' and ') || 'a request'}, but the request check reads a remark rather than a request${likely}; the words that weighed most against a request: ${evidence ?? ''}.`
    }
    case 'not-a-person':
      return `No match (${locale}): ${quote(evidence ?? '')} is not a person to talk to (a compound or someone's own).`
    case 'no-cue':
      return `No match (${locale}): a target${about} but no request cue (talk, connect me, I want…).`
    case 'no-target':
      return evidence
        ? `No match (${locale}): the cue ${quote(evidence)} asks for no one (no target such as a human or an agent).`
        : `No match (${locale}): no request for a person.`
    case 'empty':
      return `No match (${locale}): the message has no words.`
  }
}

export const explainCancel = (decision: Omit<CancelDecision, 'explanation'>): string => {
  if (decision.matched) {
    return `Cancel (${decision.locale}): the message is the cancellation ${quote(decision.expression ?? '')} itself.`
  }
  switch (decision.reason) {
    case 'not-alone':
      return `No cancel (${decision.locale}): ${quote(decision.expression ?? '')} is about something else here (${quote(decision.evidence ?? '')}).`
    case 'keeps-waiting':
      return `No cancel (${decision.locale}): ${quote(decision.expression ?? '')}, but the message also says it keeps waiting (${quote(decision.evidence ?? '')}).`
    case 'empty':
      return `No cancel (${decision.locale}): the message has no words.`
    default:
      return `No cancel (${decision.locale}): no cancel expression.`
  }
}
