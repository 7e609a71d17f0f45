import { existsSync, readFileSync } from 'node:fs'
import definition from '../integration.definition.js'
import { DEFAULT_SYSTEM_MESSAGES } from '../src/definitions/locales.js'
import { integration } from '../src/index.js'

type JsonSchema = {
  type?: string
  description?: string
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  'x-zui'?: { title?: string; secret?: boolean }
}

describe('the integration definition', () => {
  it('declares the HITL interface with the Live Agent chat as its session entity', () => {
    expect(Object.keys(definition.interfaces ?? {})).toEqual(['hitl<liveAgentChat>'])
    expect(Object.keys(definition.actions ?? {}).sort()).toEqual(
      ['createUser', 'getHandoffStatus', 'matchTrigger', 'startHitl', 'stopHitl'].sort()
    )
    expect(Object.keys(definition.events ?? {}).sort()).toEqual(['handoffEnded', 'hitlAssigned', 'hitlStopped'])
    expect(Object.keys(definition.channels?.hitl?.messages ?? {}).sort()).toEqual(
      ['audio', 'bloc', 'file', 'image', 'text', 'video'].sort()
    )
    expect(Object.keys(definition.channels?.hitl?.conversation?.tags ?? {}).sort()).toEqual(
      ['assignedBy', 'chatId', 'endPending', 'endReason', 'upstreamConversationId'].sort()
    )
  })

  it('implements every action and every hitl message type it declares', () => {
    expect(Object.keys(integration.actions).sort()).toEqual(Object.keys(definition.actions ?? {}).sort())
    expect(Object.keys(integration.channels.hitl.messages).sort()).toEqual(
      Object.keys(definition.channels?.hitl?.messages ?? {}).sort()
    )
  })

  it('gives every configuration field a title and a description, and keeps the secret a secret', () => {
    const schema = definition.configuration!.schema.toJSONSchema() as JsonSchema
    const missing: string[] = []
    const walk = (node: JsonSchema, path: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child['x-zui']?.title || !child.description) missing.push(`${path}${key}`)
        const element = child.items ?? child
        if (element.properties) walk(element, `${path}${key}.`)
      }
    }
    walk(schema, '')
    expect(missing).toEqual([])
    expect(schema.properties?.sharedSecret?.['x-zui']?.secret).toBe(true)
  })

  it('converts every schema to JSON Schema, as the Botpress CLI must to deploy it', () => {
    const schemas = [
      definition.configuration!.schema,
      ...Object.values(definition.actions ?? {}).flatMap((a) => [a.input.schema, a.output.schema]),
      ...Object.values(definition.events ?? {}).map((e) => e.schema),
      ...Object.values(definition.states ?? {}).map((s) => s.schema),
      ...Object.values(definition.entities ?? {}).map((e) => e.schema),
      ...Object.values(definition.channels?.hitl?.messages ?? {}).map((m) => m.schema),
    ]
    for (const schema of schemas) {
      expect(() => schema.toJSONSchema()).not.toThrow()
    }
  })

  it('ships its hub readme and icon, and documents every built-in system message', () => {
    const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')
    expect(existsSync(new URL(`../${definition.icon}`, import.meta.url))).toBe(true)
    expect(read(String(definition.icon))).toContain('<svg')
    const hub = read(String(definition.readme))
    for (const text of Object.values(DEFAULT_SYSTEM_MESSAGES.en!)) {
      expect(hub).toContain(text)
    }
  })
})
