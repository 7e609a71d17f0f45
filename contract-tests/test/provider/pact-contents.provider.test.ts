// The pact files the consumer phase wrote (and `tidy` cleaned) hold the whole contract, each interaction once. A
// consumer test that silently stopped registering an interaction would otherwise leave the provider verification
// green with less to verify.
import { BRIDGE_API_INTERACTIONS } from '../../src/bridge/api-interactions.js'
import { WEBHOOK_EVENT } from '../../src/bridge/contract.js'
import { LIVE_AGENT_INTERACTIONS } from '../../src/live-agent/interactions.js'
import { canonicalJson, readPact } from '../../src/pact-files.js'
import { HOP_SERVER, INTEGRATION, LIVE_AGENT } from '../../src/participants.js'
import { pactFile } from '../../src/paths.js'

const descriptionsOf = (file: string, type?: string) =>
  readPact(file)
    .interactions.filter((i) => type === undefined || i.type === type)
    .map((i) => i.description as string)

describe('the pact files', () => {
  it.each([pactFile(HOP_SERVER, LIVE_AGENT), pactFile(INTEGRATION, HOP_SERVER)])(
    '%s lists each interaction once',
    (file) => {
      const interactions = readPact(file).interactions.map(canonicalJson)
      expect(new Set(interactions).size).toBe(interactions.length)
    }
  )

  it('the Live Agent pact has every interaction the hop server client relies on', () => {
    const descriptions = descriptionsOf(pactFile(HOP_SERVER, LIVE_AGENT))
    expect(descriptions).toHaveLength(Object.keys(LIVE_AGENT_INTERACTIONS).length)
    expect(descriptions).toEqual(
      expect.arrayContaining([
        'a request for a new session',
        'a ChasitorInit with sequence 1',
        'the first Messages poll',
        'a Messages poll acknowledging sequence 1 when nothing happened',
        'a Messages poll repeating ack 1 after a 204',
        'a ChatMessage with sequence 2',
        'a ChatMessage with sequence 3',
        'a ChatMessage retried with the sequence the server already accepted',
        'a ChatMessage that skips a sequence number',
        'a Messages poll while the session moves to another server',
        'a ReconnectSession with the last offset',
        'a Messages poll with the new affinity token after ReconnectSession',
        'a ChasitorResyncState after ChasitorSessionData',
        'a ChatEnd with sequence 4',
        'a Messages poll on an expired session',
        'an availability check of the button (agents are available for the button)',
      ])
    )
  })

  it('the bridge pact has every API call and every webhook event of the integration', () => {
    const file = pactFile(INTEGRATION, HOP_SERVER)
    expect(descriptionsOf(file, 'Synchronous/HTTP')).toHaveLength(Object.keys(BRIDGE_API_INTERACTIONS).length)
    expect(descriptionsOf(file, 'Asynchronous/Messages').sort()).toEqual(Object.values(WEBHOOK_EVENT).sort())
  })
})
