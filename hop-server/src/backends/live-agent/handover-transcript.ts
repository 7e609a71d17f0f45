// Did a ChatMessage whose answer never came reach the server before a hand-over reset the sequence numbers?
// After ReconnectSession the numbering restarts at 1, so a resend can no longer be recognised as a repeat by the
// server; the transcript in ChasitorSessionData (§4.5, TranscriptEntry) is the only evidence left.

/** A TranscriptEntry of ChasitorSessionData.chatMessages, as far as this check needs it. */
export interface TranscriptEntryLike {
  type?: string | undefined
  content?: string | undefined
}

/** The visitor's messages as the server's transcript shows them. */
export interface ServerVisitorLines {
  count: number
  lastText: string | undefined
}

/** What this client knows the server holds before the uncertain post; count undefined: a cursor from before. */
export interface KnownVisitorLines {
  count: number | undefined
  lastText: string | undefined
}

/** TranscriptEntry.type of a visitor message. */
const VISITOR_ENTRY_TYPE = 'Chasitor'

export function serverVisitorLines(entries: readonly TranscriptEntryLike[]): ServerVisitorLines {
  const visitor = entries.filter((entry) => entry.type === VISITOR_ENTRY_TYPE)
  return { count: visitor.length, lastText: visitor.at(-1)?.content }
}

/**
 * How many of the uncertain messages `texts` (oldest first, in the order they were sent) the server's transcript
 * shows as landed. More than one can be uncertain after a restart: a "delivered" record may be deferred to the
 * pump's next write, so a crash can leave several sent messages without it. Only a leading run can have landed, as
 * Live Agent takes a chat's messages in sequence order. The count decides when it agrees with the texts; otherwise
 * (the server lost a message) the texts alone, which cannot tell a repeated text apart and so
 * resends it (a possible repeat, never a loss). A message the server answered 200 but lost (Salesforce drops
 * messages sent too fast) makes the server's count lower than ours.
 */
export function landedRunBeforeHandover(
  texts: readonly string[],
  known: KnownVisitorLines,
  serverTexts: readonly string[]
): number {
  if (known.count === undefined) return 0
  const endsWith = (m: number) => texts.slice(0, m).every((text, i) => serverTexts[serverTexts.length - m + i] === text)
  for (let m = texts.length; m >= 1; m -= 1) {
    if (serverTexts.length === known.count + m && endsWith(m)) return m
  }
  for (let m = texts.length; m >= 1; m -= 1) {
    if (endsWith(m) && texts[m - 1] !== known.lastText && (m === 1 || texts[m - 2] !== texts[m - 1])) return m
  }
  return 0
}

export function serverVisitorTexts(entries: readonly TranscriptEntryLike[]): string[] {
  return entries.filter((entry) => entry.type === VISITOR_ENTRY_TYPE).map((entry) => entry.content ?? '')
}

/**
 * After a restart: the server's visitor lines past the uncertain messages `texts`, when it holds more than they and
 * the `knownCount` lines before them account for. The previous process may have sent messages without a record
 * that the pump had not re-offered yet when the transcript came (it re-reads the outbox after a restart); they went
 * out after the uncertain ones, so they are the lines that follow them. Only when every uncertain message is there,
 * in its place right after the known lines; empty otherwise (then landedRunBeforeHandover decides as usual).
 */
export function landedPastRun(
  texts: readonly string[],
  knownCount: number | undefined,
  serverTexts: readonly string[]
): string[] {
  if (knownCount === undefined) return []
  const end = knownCount + texts.length
  if (serverTexts.length <= end) return []
  if (!texts.every((text, i) => serverTexts[knownCount + i] === text)) return []
  return serverTexts.slice(end)
}
