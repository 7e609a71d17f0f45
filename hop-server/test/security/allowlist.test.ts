import { describe, expect, it } from '@jest/globals'
import { parseHostPatterns, urlProblem } from '../../src/security/allowlist.js'

const policy = { allowlist: ['*.salesforceliveagent.com', 'webhook.botpress.cloud'], allowLoopback: false }

describe('outbound URL allowlist', () => {
  it.each([
    'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
    'https://a.b.salesforceliveagent.com/chat',
    'https://webhook.botpress.cloud/8f1c',
  ])('allows %s', (url) => {
    expect(urlProblem(url, policy)).toBeUndefined()
  })

  it.each([
    ['http://d.la1.salesforceliveagent.com/chat', /https/],
    ['https://salesforceliveagent.com/chat', /not on the allowlist/],
    ['https://evilsalesforceliveagent.com/chat', /not on the allowlist/],
    ['https://d.la1.salesforceliveagent.com.evil.net/chat', /not on the allowlist/],
    ['https://169.254.169.254/latest/meta-data', /IP address/],
    ['https://[fd00::1]/x', /IP address/],
    ['http://127.0.0.1:8080/chat', /loopback/],
    ['http://localhost/chat', /loopback/],
    ['https://user:pw@webhook.botpress.cloud/x', /credentials/],
    ['ftp://webhook.botpress.cloud/x', /https/],
    ['not a url', /valid URL/],
  ])('refuses %s', (url, problem) => {
    expect(urlProblem(url, policy)).toMatch(problem)
  })

  it('allows loopback over http only when configured', () => {
    expect(urlProblem('http://127.0.0.1:8080/chat', { ...policy, allowLoopback: true })).toBeUndefined()
    expect(urlProblem('http://localhost:9/hook', { ...policy, allowLoopback: true })).toBeUndefined()
    expect(urlProblem('http://10.0.0.1/hook', { ...policy, allowLoopback: true })).toMatch(/https/)
  })

  it('parses and validates patterns', () => {
    expect(parseHostPatterns(' *.Example.com , api.example.org ')).toEqual(['*.example.com', 'api.example.org'])
    expect(() => parseHostPatterns('*')).toThrow(/not a host name/)
    expect(() => parseHostPatterns('https://x.com')).toThrow(/not a host name/)
  })
})
