// The bot transcript, as the agent reads it: one summary (split into messages of a bounded size), one message
// per line, or a prechat detail mapped to a transcript field. Computed once, when the chat is created.
import type { TranscriptLine, TranscriptMode } from '../store/types.js'

const SUMMARY_HEADER = 'Conversation with the bot before the hand-off:'
/** Who said a line, as the agent reads it: the customer, the bot, or an agent of an earlier hand-off. */
const ROLE_LABEL: Record<TranscriptLine['role'], string> = { visitor: 'Visitor', bot: 'Bot', agent: 'Previous agent' }
const ELLIPSIS = '…'
const HH_MM = { start: 11, end: 16 } // the HH:MM part of an ISO timestamp

function formatLine(line: TranscriptLine): string {
  const time =
    line.at && !Number.isNaN(Date.parse(line.at))
      ? `[${new Date(line.at).toISOString().slice(HH_MM.start, HH_MM.end)} UTC] `
      : ''
  return `${time}${ROLE_LABEL[line.role]}: ${line.text}`
}

/** Splits text into pieces of at most `maxChars`, preferring line breaks, then spaces. */
export function splitText(text: string, maxChars: number): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1)
    const newline = window.lastIndexOf('\n')
    const space = window.lastIndexOf(' ')
    const cut = newline > 0 ? newline : space > 0 ? space : maxChars
    pieces.push(rest.slice(0, cut).trimEnd())
    rest = rest.slice(cut).replace(/^[\n ]/, '')
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest)
  return pieces.filter((piece) => piece.length > 0)
}

export function summaryText(transcript: readonly TranscriptLine[]): string {
  return [SUMMARY_HEADER, ...transcript.map(formatLine)].join('\n')
}

/** The ChatMessage texts that carry the transcript to the agent once they join. */
export function transcriptMessages(
  transcript: readonly TranscriptLine[],
  mode: TranscriptMode,
  maxChars: number
): string[] {
  if (transcript.length === 0 || mode === 'none') return []
  if (mode === 'summary') return splitTranscriptText(summaryText(transcript), maxChars)
  return transcript.flatMap((line) => splitTranscriptText(formatLine(line), maxChars))
}

/**
 * Marks the pieces after the first of a transcript text too long for one message, so the agent reads them as the
 * rest of the line before (and a scripted agent of the simulator knows them for transcript, not live words).
 */
export const TRANSCRIPT_CONTINUED = '(continued) '

function splitTranscriptText(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text]
  return splitText(text, maxChars - TRANSCRIPT_CONTINUED.length).map((piece, index) =>
    index === 0 ? piece : TRANSCRIPT_CONTINUED + piece
  )
}

/** The transcript for a long text area field: the latest part if it is too long. */
export function transcriptFieldValue(transcript: readonly TranscriptLine[], maxChars: number): string {
  const text = summaryText(transcript)
  return text.length <= maxChars ? text : ELLIPSIS + text.slice(text.length - maxChars + ELLIPSIS.length)
}
