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
 * True when the server's transcript shows that the uncertain message `text` already landed, so it must not be
 * resent. The server's last visitor line must be `text`; when our own last accepted text is the same (two
 * identical messages in a row) only the count tells them apart, so it must then be exactly one more than ours.
 *
 * A message the server answered 200 but lost (Salesforce drops messages sent too fast) makes the server's count
 * lower than ours. The text test does not depend on the count, so a landed message is still recognised; only
 * identical consecutive texts after such a loss are resent (a possible repeat, never a loss). The one way to
 * lose a message: the previous text was lost by the server and the line before it equals `text`.
 */
export function landedBeforeHandover(text: string, known: KnownVisitorLines, server: ServerVisitorLines): boolean {
  // A cursor from before this check counted nothing: resend, as that version did (a possible repeat, no loss).
  if (known.count === undefined) return false
  if (server.lastText !== text) return false
  if (known.lastText !== text) return true
  return known.count !== undefined && server.count === known.count + 1
}
