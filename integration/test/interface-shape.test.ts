// Our hand-written HITL interface against the recorded shape of the published hitl@2.0.0 (test/fixtures): message
// types, fields, required fields and attributes. A change on either side that the Hub would refuse fails here.
import definition from '../integration.definition.js'
import { HITL_2_0_0, type ObjectShape, type UnionShape } from './fixtures/hitl-interface-2.0.0.js'

type Json = {
  properties?: Record<string, Json>
  required?: string[]
  items?: Json
  anyOf?: Json[]
  const?: string
}
type WithSchema = { schema: { toJSONSchema: () => unknown } }

const json = (holder: WithSchema | undefined): Json => {
  if (!holder) throw new Error('missing schema')
  return holder.schema.toJSONSchema() as Json
}
const shapeOf = (schema: Json): ObjectShape => ({
  fields: Object.keys(schema.properties ?? {}).sort(),
  required: [...(schema.required ?? [])].sort(),
})
/** `{ type: const, payload }` alternatives → type → required payload fields. */
const unionOf = (alternatives: Json[] | undefined): UnionShape =>
  Object.fromEntries(
    (alternatives ?? []).map((alternative) => [
      alternative.properties?.type?.const ?? '?',
      [...(alternative.properties?.payload?.required ?? [])].sort(),
    ])
  )
const sorted = (shape: UnionShape): UnionShape =>
  Object.fromEntries(Object.entries(shape).map(([type, required]) => [type, [...required].sort()]))

type Described = WithSchema & { attributes?: Record<string, string>; input?: WithSchema; output?: WithSchema }
// `.extend()` adds the interface at run time only: the static type of the definition does not list it.
const actions = (definition.actions ?? {}) as Record<
  string,
  { attributes?: Record<string, string>; input: WithSchema; output: WithSchema }
>
const events = (definition.events ?? {}) as Record<string, Described>
const channel = (definition.channels?.hitl?.messages ?? {}) as Record<string, WithSchema>

describe('the HITL interface as hitl@2.0.0 declares it', () => {
  it.each(Object.entries(HITL_2_0_0.actions))('action %s: input, output and hidden in Studio', (name, expected) => {
    const action = actions[name]
    const input = shapeOf(json(action?.input))
    // hitlSession is the interface's entity reference; every other field must match.
    expect(input).toEqual(expected.input)
    expect(shapeOf(json(action?.output))).toEqual(expected.output)
    expect(action?.attributes).toEqual(expected.attributes)
  })

  it.each(Object.entries(HITL_2_0_0.events))('event %s: payload and hidden in Studio', (name, expected) => {
    expect(shapeOf(json(events[name]))).toEqual(expected.payload)
    expect(events[name]?.attributes).toEqual(expected.attributes)
  })

  it('the hitl channel has exactly the six message types, each with its fields and the optional userId', () => {
    expect(Object.keys(channel).sort()).toEqual(Object.keys(HITL_2_0_0.channel).sort())
    for (const [type, expected] of Object.entries(HITL_2_0_0.channel)) {
      expect({ type, ...shapeOf(json(channel[type])) }).toEqual({ type, ...expected })
    }
  })

  it("the channel's bloc is the markdown bloc: its items may be markdown", () => {
    const items = json(channel.bloc).properties?.items?.items?.anyOf
    expect(unionOf(items)).toEqual(sorted(HITL_2_0_0.blocItems))
  })

  it('messageHistory takes every standard type plus markdown, with the markdown bloc', () => {
    const history = json(actions.startHitl?.input).properties?.messageHistory?.items?.anyOf ?? []
    expect(unionOf(history)).toEqual(sorted(HITL_2_0_0.messageHistory))
    const bloc = history.find((alternative) => alternative.properties?.type?.const === 'bloc')
    expect(unionOf(bloc?.properties?.payload?.properties?.items?.items?.anyOf)).toEqual(sorted(HITL_2_0_0.blocItems))
    for (const alternative of history) {
      expect(shapeOf(alternative)).toEqual({
        fields: ['payload', 'source', 'type'],
        required: ['payload', 'source', 'type'],
      })
    }
  })

  it('the hitlSession entity is specialized by the Live Agent chat', () => {
    expect(Object.keys(definition.interfaces ?? {})).toEqual(['hitl<liveAgentChat>'])
    expect(definition.interfaces?.['hitl<liveAgentChat>']?.entities).toEqual({ hitlSession: { name: 'liveAgentChat' } })
  })
})
