// Recognises the bot transcript a bridge sends as the visitor's first messages, so that a scripted agent answers
// only what the visitor writes live. The shapes are those of the hop server (hop-server/src/chats/transcript.ts):
// a summary that starts with its header (split into pieces that continue with more labelled lines), or one
// labelled line per message: `[HH:MM UTC] Visitor: …`, `Bot: …`; a piece of a text too long for one message starts
// with `(continued) `. A visitor who types such a line is not echoed.

const SUMMARY_HEADERS = ['Conversation with the bot before the hand-off:', 'Bot transcript:']
/** An optional `[HH:MM UTC] ` time, then a speaker label and a colon. */
const LABELLED_LINE = /^(?:\[\d{2}:\d{2} UTC\] )?(?:Visitor|Customer|Bot|Agent|Previous agent)(?: \([^)]*\))?: /
const CONTINUED_PIECE = '(continued) '

export function isBotTranscript(text: string): boolean {
  const first = text.trimStart().split('\n', 1)[0] ?? ''
  return (
    SUMMARY_HEADERS.some((header) => first.startsWith(header)) ||
    LABELLED_LINE.test(first) ||
    first.startsWith(CONTINUED_PIECE)
  )
}
