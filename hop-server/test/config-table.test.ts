// The settings table (src/config/settings.ts) is the one place a setting is written: the README's configuration
// table and `--help` must say what it says, and every setting must reach HopConfig from its variable.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { loadConfigFromEnv } from '../src/config.js'
import { helpText, readmeTable, readmeTableMarkdown } from '../src/config/describe.js'
import { settingsOf } from '../src/config/setting.js'
import { CONFIG_SETTINGS } from '../src/config/settings.js'
import { tableAfter } from '../../test-support/markdown-table.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe('the settings table', () => {
  it('is what the README configuration table says, row for row', () => {
    const rows = tableAfter(README, '### Configuration')
    if (JSON.stringify(rows) !== JSON.stringify(readmeTable())) {
      throw new Error(
        'hop-server/README.md "Configuration" differs from src/config/settings.ts. Replace the table with this ' +
          `one (then run prettier on the README):\n\n${readmeTableMarkdown()}\n`
      )
    }
    expect(rows.length).toBeGreaterThan(30)
  })

  it('is what --help says: every variable with its meaning', () => {
    const help = helpText()
    for (const [, entry] of settingsOf(CONFIG_SETTINGS)) {
      expect(help).toContain(entry.env)
      expect(help).toContain(entry.description.replaceAll('`', ''))
    }
  })

  it.each([...settingsOf(CONFIG_SETTINGS)].filter(([, entry]) => entry.default !== undefined))(
    '%j: its variable sets it, and it is the default without one',
    (path, entry) => {
      const at = (config: object) =>
        path.reduce<unknown>((group, key) => (group as Record<string, unknown>)[key], config)
      expect(at(loadConfigFromEnv({}))).toEqual(entry.default)
      const other = entry.env === 'HOP_LOOPBACK_TARGETS' ? LOOPBACK : otherValue(entry.default)
      // Lease timings must stay in order (renew < TTL), so the TTL is raised along with them.
      const env = {
        [entry.env]: other.text,
        HOP_LEASE_TTL_MS: entry.env === 'HOP_LEASE_TTL_MS' ? other.text : '999999',
      }
      expect(at(loadConfigFromEnv(env))).toEqual(other.value)
    }
  )
})

const LOOPBACK = { text: '127.0.0.1:3001', value: ['127.0.0.1:3001'] }

/** A valid value that differs from the default, as the variable's text and as the parsed value. */
function otherValue(value: unknown): { text: string; value: unknown } {
  if (typeof value === 'boolean') return { text: String(!value), value: !value }
  if (typeof value === 'number' && !Number.isInteger(value)) return { text: '0.5', value: 0.5 }
  if (typeof value === 'number') return { text: String(value + 1), value: value + 1 }
  if (Array.isArray(value)) return { text: 'hosts.example.com', value: ['hosts.example.com'] }
  if (value === 'info') return { text: 'debug', value: 'debug' }
  return { text: 'other-value', value: 'other-value' }
}
