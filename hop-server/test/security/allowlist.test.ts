import { describe, expect, it } from '@jest/globals'
import { parseHostPatterns, parseLoopbackTargets, urlProblem } from '../../src/security/allowlist.js'

const policy = { allowlist: ['*.salesforceliveagent.com', 'webhook.botpress.cloud'], loopbackTargets: [] }

describe('outbound URL allowlist', () => {
  it.each([
    'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
    'https://a.b.salesforceliveagent.com/chat',
    'https://webhook.botpress.cloud/8f1c',
    'https://webhook.botpress.cloud:443/8f1c',
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

  it.each([
    'https://d.la1.salesforceliveagent.com:8443/chat',
    'https://webhook.botpress.cloud:8443/8f1c',
    'https://webhook.botpress.cloud:80/8f1c',
  ])('refuses %s: an allowlisted host on another port than the default', (url) => {
    expect(urlProblem(url, policy)).toMatch(/port \d+ of .* is not allowed \(only the default port/)
  })

  it('allows another port only where an allowlist entry names it', () => {
    const withPort = {
      ...policy,
      allowlist: [...policy.allowlist, 'la.proxy.example.com:8443', '*.edge.example.com:9443'],
    }
    expect(urlProblem('https://la.proxy.example.com:8443/chat', withPort)).toBeUndefined()
    expect(urlProblem('https://a.edge.example.com:9443/chat', withPort)).toBeUndefined()
    expect(urlProblem('https://la.proxy.example.com/chat', withPort)).toMatch(/not on the allowlist/)
    expect(urlProblem('https://la.proxy.example.com:8444/chat', withPort)).toMatch(/not on the allowlist/)
    expect(urlProblem('https://d.la1.salesforceliveagent.com:8443/chat', withPort)).toMatch(/port 8443/)
  })
})

describe('loopback targets', () => {
  const loopback = { ...policy, loopbackTargets: ['127.0.0.1:8080', 'localhost:9000', '[::1]:7000'], ownPort: 8787 }

  it('allows exactly the listed host:port pairs, over http', () => {
    expect(urlProblem('http://127.0.0.1:8080/chat', loopback)).toBeUndefined()
    expect(urlProblem('http://localhost:9000/hook', loopback)).toBeUndefined()
    expect(urlProblem('http://[::1]:7000/hook', loopback)).toBeUndefined()
  })

  it.each([
    ['another port of a listed host', 'http://127.0.0.1:8081/chat'],
    ['the default port of a listed host', 'http://127.0.0.1/chat'],
    ['another spelling of loopback (localhost for 127.0.0.1)', 'http://localhost:8080/chat'],
    ['another loopback address', 'http://127.0.0.2:8080/chat'],
    ['IPv6 loopback for a v4 target', 'http://[::1]:8080/chat'],
    ['a trailing-dot spelling', 'http://localhost.:9000/hook'],
  ])('refuses %s', (_, url) => {
    expect(urlProblem(url, loopback)).toMatch(/loopback address not listed in HOP_LOOPBACK_TARGETS/)
  })

  it('refuses other spellings of loopback as IP addresses when they are not a listed spelling', () => {
    expect(urlProblem('http://[::ffff:127.0.0.1]:8080/chat', loopback)).toMatch(/IP address|https/)
    expect(urlProblem('http://0.0.0.0:8080/chat', loopback)).toMatch(/https/)
    expect(urlProblem('http://10.0.0.1/hook', loopback)).toMatch(/https/)
  })

  it('never allows the hop server’s own port, even inside a listed range', () => {
    const ranged = { ...policy, loopbackTargets: ['127.0.0.1:8000-9000', 'localhost:8787'], ownPort: 8787 }
    expect(urlProblem('http://127.0.0.1:8786/x', ranged)).toBeUndefined()
    expect(urlProblem('http://127.0.0.1:8787/v1/chats', ranged)).toMatch(/hop server itself/)
    expect(urlProblem('http://localhost:8787/v1/chats', ranged)).toMatch(/hop server itself/)
    expect(urlProblem('http://127.0.0.1:9001/x', ranged)).toMatch(/not listed/)
  })

  it('parses and validates targets', () => {
    expect(parseLoopbackTargets(' 127.0.0.1:3001 , LocalHost:3002,[::1]:3003 ')).toEqual([
      '127.0.0.1:3001',
      'localhost:3002',
      '[::1]:3003',
    ])
    expect(() => parseLoopbackTargets('127.0.0.1')).toThrow(/names no port/)
    expect(() => parseLoopbackTargets('example.com:80')).toThrow(/not a loopback/)
    expect(() => parseLoopbackTargets('127.0.0.1:0')).toThrow(/invalid port/)
    expect(() => parseLoopbackTargets('127.0.0.1:*')).toThrow(/invalid port/)
  })
})

describe('host patterns', () => {
  it('parses and validates patterns, with an optional port', () => {
    expect(parseHostPatterns(' *.Example.com , api.example.org:8443 ')).toEqual([
      '*.example.com',
      'api.example.org:8443',
    ])
    expect(() => parseHostPatterns('*')).toThrow(/not a host name/)
    expect(() => parseHostPatterns('https://x.com')).toThrow(/invalid port|not a host name/)
    expect(() => parseHostPatterns('x.com:99999')).toThrow(/invalid port/)
  })
})
