// The backend choice in the configuration: each backend's fields checked on save with a sentence naming the field,
// and the create-chat request carrying the chosen backend's target.
import { RuntimeError } from '@botpress/sdk'
import { checksumOf } from '../../hop-server/src/backends/enhanced-chat/org-id.js'
import { buildChatRequest } from '../src/chat-request.js'
import type { ConfigurationInput } from '../src/definitions/configuration.js'
import { Settings } from '../src/settings.js'
import { fakeContext, testConfiguration } from './support/fakes.js'

const ORG_ID_15 = '00D5g000004XyZw'
const ORG_ID_18 = `${ORG_ID_15}${checksumOf(ORG_ID_15)}`

const enhancedChat = (overrides: Partial<ConfigurationInput> = {}): ConfigurationInput => ({
  ...testConfiguration('https://hop.example.com'),
  liveAgentEndpoint: undefined,
  deploymentId: undefined,
  buttonId: undefined,
  backend: 'enhanced-chat',
  organizationId: ORG_ID_15,
  scrtUrl: 'https://acme.my.salesforce-scrt.com',
  esDeveloperName: 'Botpress_Handoff',
  ...overrides,
})

const refusal = (configuration: ConfigurationInput): string => {
  try {
    Settings.fromConfiguration(configuration)
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(RuntimeError)
    return (thrown as Error).message
  }
  throw new Error('the configuration was accepted')
}

describe('the Enhanced Chat configuration', () => {
  it('is accepted with the SCRT2 URL of a production, sandbox or developer org', () => {
    for (const scrtUrl of [
      'https://acme.my.salesforce-scrt.com',
      'https://acme--uat.sandbox.my.salesforce-scrt.com/',
      'https://acme-dev-ed.develop.my.salesforce-scrt.com',
    ]) {
      expect(Settings.fromConfiguration(enhancedChat({ scrtUrl })).backend).toBe('enhanced-chat')
    }
  })

  it('refuses a missing SCRT2 URL, naming the field', () => {
    expect(refusal(enhancedChat({ scrtUrl: undefined }))).toBe(
      'The integration configuration is invalid: scrtUrl: The SCRT2 URL is required when the chat product is enhanced-chat.'
    )
  })

  it("refuses an SCRT2 URL whose host is not a Salesforce SCRT2 host, such as the org's own domain", () => {
    expect(refusal(enhancedChat({ scrtUrl: 'https://acme.my.salesforce.com' }))).toBe(
      "The integration configuration is invalid: scrtUrl: The SCRT2 URL's host acme.my.salesforce.com is not a Salesforce SCRT2 host (*.my.salesforce-scrt.com, *.sandbox.my.salesforce-scrt.com, *.develop.my.salesforce-scrt.com); it is not the org's my.salesforce.com address."
    )
    // A look-alike that only ends with the same letters is no SCRT2 host either.
    expect(refusal(enhancedChat({ scrtUrl: 'https://evilmy.salesforce-scrt.com' }))).toContain(
      "scrtUrl: The SCRT2 URL's host evilmy.salesforce-scrt.com is not a Salesforce SCRT2 host"
    )
  })

  it('refuses an SCRT2 URL over http, on another port, with a path or with credentials', () => {
    expect(refusal(enhancedChat({ scrtUrl: 'http://acme.my.salesforce-scrt.com' }))).toContain(
      'scrtUrl: The SCRT2 URL must use https.'
    )
    expect(refusal(enhancedChat({ scrtUrl: 'https://acme.my.salesforce-scrt.com:8443' }))).toContain(
      'scrtUrl: The SCRT2 URL must use the default https port, not 8443.'
    )
    expect(refusal(enhancedChat({ scrtUrl: 'https://acme.my.salesforce-scrt.com/iamessage/api/v2' }))).toContain(
      'scrtUrl: The SCRT2 URL is the host only (https://acme.my.salesforce-scrt.com), without a path or query.'
    )
    expect(refusal(enhancedChat({ scrtUrl: 'https://u:p@acme.my.salesforce-scrt.com' }))).toContain(
      'scrtUrl: The SCRT2 URL must not carry a user name or password.'
    )
    expect(refusal(enhancedChat({ scrtUrl: 'acme.my.salesforce-scrt.com' }))).toContain(
      'scrtUrl: The SCRT2 URL "acme.my.salesforce-scrt.com" is not a URL'
    )
  })

  it('accepts the simulator on loopback over http (the hop server still checks its own loopback list)', () => {
    expect(Settings.fromConfiguration(enhancedChat({ scrtUrl: 'http://127.0.0.1:4010' })).backend).toBe('enhanced-chat')
  })

  it('refuses an org id of the wrong length, naming the field', () => {
    expect(refusal(enhancedChat({ organizationId: `${ORG_ID_15}A` }))).toBe(
      'The integration configuration is invalid: organizationId: The organization id is a 15 or 18 character Salesforce id starting with 00D.'
    )
  })

  it('refuses an 18-character org id whose checksum does not match (a mistyped id)', () => {
    const mistyped = `${ORG_ID_15.slice(0, 14)}W${checksumOf(ORG_ID_15)}`
    expect(refusal(enhancedChat({ organizationId: mistyped }))).toContain(
      'organizationId: The organization id is wrong: the last 3 characters of an 18-character org id are a checksum of the first 15'
    )
  })

  it('refuses a missing or malformed deployment API name, naming the field', () => {
    expect(refusal(enhancedChat({ esDeveloperName: undefined }))).toBe(
      'The integration configuration is invalid: esDeveloperName: The deployment API name is required when the chat product is enhanced-chat.'
    )
    for (const name of ['Botpress Handoff', '1Handoff', 'Bot__Handoff', 'Handoff_', 'x'.repeat(81)]) {
      expect(refusal(enhancedChat({ esDeveloperName: name }))).toContain(
        `esDeveloperName: The deployment API name "${name}" is not a Salesforce API name`
      )
    }
  })

  it('refuses a pre-chat field filled twice, naming the entry', () => {
    const prechatFields = [
      { userField: 'email', prechatField: '_email' },
      { userField: 'name', prechatField: '_email' },
    ] as const
    expect(refusal(enhancedChat({ prechatFields: [...prechatFields] }))).toBe(
      'The integration configuration is invalid: prechatFields.1.prechatField: The pre-chat field _email is filled twice; map each pre-chat field once.'
    )
  })

  it('names every problem at once', () => {
    const message = refusal(enhancedChat({ scrtUrl: undefined, esDeveloperName: undefined }))
    expect(message).toContain('scrtUrl:')
    expect(message).toContain('esDeveloperName:')
  })
})

describe('the Live Agent configuration', () => {
  it('stays the default and needs its endpoint, deployment and button', () => {
    expect(Settings.fromConfiguration(testConfiguration('https://hop.example.com')).backend).toBe('live-agent')
    expect(
      refusal({ ...testConfiguration('https://hop.example.com'), liveAgentEndpoint: undefined, buttonId: undefined })
    ).toBe(
      'The integration configuration is invalid: liveAgentEndpoint: The Live Agent chat endpoint is required when the chat product is live-agent. buttonId: The button id is required when the chat product is live-agent.'
    )
  })
})

describe('the create-chat request', () => {
  const handoff = {
    conversationId: 'conv_1',
    locale: 'en',
    buttonId: undefined,
    visitor: { name: 'Ada King Lovelace', email: ' ada@example.com ' },
    title: 'Order 42',
    history: [],
  }

  it('names the Enhanced Chat backend and carries its target, the 18-character org id made 15, and the pre-chat fields', () => {
    const configuration = enhancedChat({
      organizationId: ORG_ID_18,
      prechatFields: [
        { userField: 'firstName', prechatField: '_firstName' },
        { userField: 'lastName', prechatField: '_lastName' },
        { userField: 'email', prechatField: '_email' },
        { userField: 'subject', prechatField: '_subject' },
        { userField: 'description', prechatField: 'Bot_Description' },
      ],
    })
    const request = buildChatRequest(fakeContext(configuration), Settings.fromConfiguration(configuration), handoff)
    expect(request).toMatchObject({
      backend: 'enhanced-chat',
      enhancedChat: {
        scrtUrl: 'https://acme.my.salesforce-scrt.com',
        orgId: ORG_ID_15,
        esDeveloperName: 'Botpress_Handoff',
        // No description in this hand-off: the field is left out rather than sent empty.
        routingAttributes: {
          _firstName: 'Ada King',
          _lastName: 'Lovelace',
          _email: 'ada@example.com',
          _subject: 'Order 42',
        },
      },
    })
    expect(request).not.toHaveProperty('liveAgent')
  })

  it('leaves the plugin\'s "Unknown User" out of the name fields', () => {
    const configuration = enhancedChat({ prechatFields: [{ userField: 'firstName', prechatField: '_firstName' }] })
    const request = buildChatRequest(fakeContext(configuration), Settings.fromConfiguration(configuration), {
      ...handoff,
      visitor: { name: 'Unknown User' },
    })
    expect(request).toMatchObject({ enhancedChat: { routingAttributes: {} } })
  })

  it('keeps the Live Agent request as every hop server knows it: no backend field, the Live Agent target', () => {
    const configuration = testConfiguration('https://hop.example.com')
    const request = buildChatRequest(fakeContext(configuration), Settings.fromConfiguration(configuration), {
      ...handoff,
      buttonId: '5735g000000YYYY',
    })
    expect(request).not.toHaveProperty('backend')
    expect(request).toMatchObject({ liveAgent: { buttonId: '5735g000000YYYY', organizationId: '00D5g000004XXXX' } })
  })
})
