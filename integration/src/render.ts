// Turns Botpress message payloads into text a Live Agent agent can read: Live Agent chat carries text only, so media
// become a labelled link and structured messages a short description.

type Payload = Record<string, unknown>

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined

const labelled = (label: string, url: unknown, title: unknown): string => {
  const parts = [str(title), str(url)].filter(Boolean)
  return `[${label}] ${parts.join(' ')}`.trim()
}

const optionsOf = (options: unknown): string => {
  if (!Array.isArray(options)) return ''
  const labels = options
    .map((option) => str((option as Payload)?.label) ?? str((option as Payload)?.value))
    .filter(Boolean)
  return labels.length > 0 ? ` (options: ${labels.join(', ')})` : ''
}

const describeCard = (card: Payload): string => {
  const actions = Array.isArray(card.actions)
    ? card.actions.map((action) => str((action as Payload)?.label)).filter(Boolean)
    : []
  const parts = [str(card.title), str(card.subtitle), str(card.imageUrl)].filter(Boolean)
  return `[Card] ${parts.join(' – ')}${actions.length > 0 ? ` (buttons: ${actions.join(', ')})` : ''}`
}

const MARKDOWN_RULES: [RegExp, string][] = [
  [/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, '[Image] $1 $2'], // ![alt](url)
  [/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, '$1 ($2)'], // [text](url)
  [/^\s{0,3}#{1,6}\s+/gm, ''], // headings
  [/^\s{0,3}>\s?/gm, ''], // quotes
  [/^(\s*)[*+-]\s+/gm, '$1- '], // bullets
  [/(\*\*|__)(.+?)\1/g, '$2'], // bold
  [/(^|[^*\w])[*_]([^*_\n]+)[*_](?=[^*\w]|$)/g, '$1$2'], // italics
  [/~~(.+?)~~/g, '$1'], // strikethrough
  [/```[a-z]*\n?/gi, ''], // code fences
  [/`([^`]+)`/g, '$1'], // inline code
  [/^\s{0,3}([-*_])(\s*\1){2,}\s*$/gm, ''], // rules
]

/** Markdown as plain text: Live Agent shows the characters as they are, so `**` and `[…](…)` would show. */
export const markdownToText = (markdown: string): string =>
  MARKDOWN_RULES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), markdown)
    .replace(/\n{3,}/g, '\n\n')
    .trim()

/** Text for the agent for any standard Botpress message type; unknown types are named rather than dropped. */
export const describeForAgent = (type: string, payload: Payload): string => {
  switch (type) {
    case 'text':
      return str(payload.text) ?? ''
    case 'markdown':
      return markdownToText(str(payload.markdown) ?? '')
    case 'image':
      return labelled('Image', payload.imageUrl, payload.title)
    case 'audio':
      return labelled('Audio', payload.audioUrl, payload.title)
    case 'video':
      return labelled('Video', payload.videoUrl, payload.title)
    case 'file':
      return labelled('File', payload.fileUrl, payload.title)
    case 'location': {
      const where = [str(payload.title), str(payload.address)].filter(Boolean).join(', ')
      const coordinates = `${String(payload.latitude)},${String(payload.longitude)}`
      return `[Location] ${where ? `${where} ` : ''}https://maps.google.com/?q=${coordinates}`
    }
    case 'card':
      return describeCard(payload)
    case 'carousel':
      return Array.isArray(payload.items)
        ? payload.items.map((item) => describeCard(item as Payload)).join('\n')
        : '[Carousel]'
    case 'choice':
    case 'dropdown':
      return `${str(payload.text) ?? ''}${optionsOf(payload.options)}`.trim()
    case 'bloc':
      return Array.isArray(payload.items)
        ? payload.items
            .map((item) =>
              describeForAgent(String((item as Payload)?.type), ((item as Payload)?.payload ?? {}) as Payload)
            )
            .filter(Boolean)
            .join('\n')
        : ''
    default:
      return `[${type} message]`
  }
}
