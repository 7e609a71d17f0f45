// The settings table as people read it: `liveagent-hop --help` and the README's configuration table (the test
// test/config-table.test.ts checks the README against `readmeTable()`).
import { type Setting, settingsOf } from './setting.js'
import { SETTINGS } from './settings.js'

const NONE = '–'

/** The default as text: a list joined with commas, nothing as a dash. */
export function defaultText(entry: Setting<unknown>): string {
  if (entry.defaultText !== undefined) return entry.defaultText
  const value = entry.default
  if (value === undefined) return NONE
  if (Array.isArray(value)) return value.length === 0 ? NONE : `\`${value.join(',')}\``
  return `\`${String(value)}\``
}

const settings = () => [...settingsOf(SETTINGS)].map(([, entry]) => entry)

/** The names of every variable the hop server reads, in table order. */
export const envVariables = (): string[] => settings().map((entry) => entry.env)

const HEADER = ['Variable', 'Type', 'Default', 'Meaning']

/** The README's configuration table (Markdown, unformatted: prettier pads it). */
export function readmeTable(): string[][] {
  return settings().map((entry) => [`\`${entry.env}\``, entry.type, defaultText(entry), entry.description])
}

export function readmeTableMarkdown(): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [row(HEADER), row(HEADER.map(() => '---')), ...readmeTable().map(row)].join('\n')
}

const plain = (text: string) => text.replaceAll('`', '').replaceAll('\\|', '|')

/** `--help`: what the process is and every variable with its type, default and meaning. */
export function helpText(): string {
  const width = Math.max(...settings().map((entry) => entry.env.length))
  const lines = settings().map(
    (entry) =>
      `  ${entry.env.padEnd(width)}  ${plain(entry.type)}, default ${plain(defaultText(entry))}\n` +
      `  ${' '.repeat(width)}  ${plain(entry.description)}`
  )
  return [
    'liveagent-hop: the bridge between the Botpress integration and Salesforce Live Agent.',
    'Configured by environment variables only (hop-server/README.md, "Configuration"):',
    '',
    ...lines,
  ].join('\n')
}
