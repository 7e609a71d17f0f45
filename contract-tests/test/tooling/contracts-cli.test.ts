// The non-test steps of the pipeline: `tidy` between the phases, and the Pact Broker commands a CI runs (against a
// fake broker on loopback here: the requests they send and how they read the answers).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXIT, runCli } from '../../src/cli.js'
import { HOP_SERVER, INTEGRATION, LIVE_AGENT } from '../../src/participants.js'
import { pactSource } from '../../src/verification.js'

interface BrokerRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** A fake Pact Broker: records every request and answers with `answer`. */
async function startBroker(answer: (r: BrokerRequest) => { status: number; body: unknown }) {
  const requests: BrokerRequest[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() }
    requests.push(request)
    const { status, body } = answer(request)
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function pact(consumer: string, provider: string, interactions: unknown[]) {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions,
    metadata: { pactSpecification: { version: '4.0' } },
  }
}

describe('contracts CLI', () => {
  let dir: string
  let lines: { out: string[]; err: string[] }
  const io = { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) }
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, env, io, dir)

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-cli-'))
    lines = { out: [], err: [] }
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('tidy drops repeated interactions (whatever their key order) and keeps the rest in order', async () => {
    const file = join(dir, 'a-b.json')
    const one = { description: 'one', request: { method: 'GET', path: '/1' } }
    const two = { description: 'two', request: { method: 'GET', path: '/2' } }
    writeFileSync(
      file,
      JSON.stringify(pact('a', 'b', [one, two, { request: { path: '/1', method: 'GET' }, description: 'one' }]))
    )
    await expect(run(['tidy'])).resolves.toBe(EXIT.ok)
    expect(JSON.parse(readFileSync(file, 'utf8')).interactions).toEqual([one, two])
    expect(lines.out).toEqual([`${file}: removed 1 repeated interaction(s)`])
  })

  it('refuses an unknown command with the usage (exit 2)', async () => {
    await expect(run(['deploy'])).resolves.toBe(EXIT.usage)
    expect(lines.err[0]).toMatch(/^unknown command "deploy"; usage: contracts/)
  })

  it('skips the broker commands, saying so, when PACT_BROKER_BASE_URL is not set', async () => {
    await expect(run(['publish'])).resolves.toBe(EXIT.ok)
    await expect(run(['can-i-deploy'])).resolves.toBe(EXIT.ok)
    expect(lines.out).toEqual([
      'contracts publish: skipped, PACT_BROKER_BASE_URL is not set (no Pact Broker configured).',
      'contracts can-i-deploy: skipped, PACT_BROKER_BASE_URL is not set (no Pact Broker configured).',
    ])
  })

  it('refuses half a basic-auth configuration (exit 2)', async () => {
    const env = { PACT_BROKER_BASE_URL: 'https://broker.example.com', PACT_BROKER_USERNAME: 'ci' }
    await expect(run(['publish'], env)).resolves.toBe(EXIT.usage)
    expect(lines.err).toEqual(['contracts publish: set both PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, or neither'])
  })

  describe('with a broker', () => {
    it('publishes each consumer pact with the version, the branch and the token', async () => {
      const broker = await startBroker(() => ({ status: 200, body: {} }))
      try {
        writeFileSync(join(dir, 'hop-la.json'), JSON.stringify(pact(HOP_SERVER, LIVE_AGENT, [])))
        writeFileSync(join(dir, 'int-hop.json'), JSON.stringify(pact(INTEGRATION, HOP_SERVER, [])))
        const env = {
          PACT_BROKER_BASE_URL: `${broker.url}/`,
          PACT_BROKER_TOKEN: 'secret-token',
          PACT_PACTICIPANT_VERSION: '1a2b3c',
          PACT_PACTICIPANT_BRANCH: 'main',
        }
        await expect(run(['publish'], env)).resolves.toBe(EXIT.ok)
        expect(broker.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
          ['POST', '/contracts/publish', 'Bearer secret-token'],
          ['POST', '/contracts/publish', 'Bearer secret-token'],
        ])
        const bodies = broker.requests.map((r) => JSON.parse(r.body))
        expect(bodies.map((b) => [b.pacticipantName, b.pacticipantVersionNumber, b.branch])).toEqual([
          [HOP_SERVER, '1a2b3c', 'main'],
          [INTEGRATION, '1a2b3c', 'main'],
        ])
        const [contract] = bodies[0].contracts
        expect(contract).toMatchObject({ consumerName: HOP_SERVER, providerName: LIVE_AGENT, specification: 'pact' })
        expect(JSON.parse(Buffer.from(contract.content, 'base64').toString())).toEqual(pact(HOP_SERVER, LIVE_AGENT, []))
        expect(lines.out).toEqual([
          `published ${HOP_SERVER} → ${LIVE_AGENT} (version 1a2b3c)`,
          `published ${INTEGRATION} → ${HOP_SERVER} (version 1a2b3c)`,
        ])
      } finally {
        await broker.close()
      }
    })

    it('fails (exit 1) when the broker refuses the publication', async () => {
      const broker = await startBroker(() => ({ status: 401, body: { error: 'bad token' } }))
      try {
        writeFileSync(join(dir, 'hop-la.json'), JSON.stringify(pact(HOP_SERVER, LIVE_AGENT, [])))
        const env = { PACT_BROKER_BASE_URL: broker.url, PACT_PACTICIPANT_VERSION: '1a2b3c' }
        await expect(run(['publish'], env)).resolves.toBe(EXIT.failed)
        expect(lines.err[0]).toMatch(/^contracts publish: POST \/contracts\/publish answered 401/)
      } finally {
        await broker.close()
      }
    })

    it('can-i-deploy asks for both deployable pacticipants and fails when one may not go', async () => {
      const broker = await startBroker((r) => {
        const query = new URL(r.url, 'http://broker').searchParams
        const deployable = query.get('pacticipant') === HOP_SERVER
        return {
          status: 200,
          body: { summary: { deployable, reason: deployable ? 'All verified' : 'Missing verification' } },
        }
      })
      try {
        const env = {
          PACT_BROKER_BASE_URL: broker.url,
          PACT_BROKER_USERNAME: 'ci',
          PACT_BROKER_PASSWORD: 'pw',
          PACT_PACTICIPANT_VERSION: '1a2b3c',
          PACT_BROKER_ENVIRONMENT: 'staging',
        }
        await expect(run(['can-i-deploy'], env)).resolves.toBe(EXIT.failed)
        expect(broker.requests.map((r) => r.url)).toEqual([
          `/can-i-deploy?pacticipant=${HOP_SERVER}&version=1a2b3c&environment=staging`,
          `/can-i-deploy?pacticipant=${INTEGRATION}&version=1a2b3c&environment=staging`,
        ])
        expect(broker.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ci:pw').toString('base64')}`)
        expect(lines.out).toEqual([
          `yes ${HOP_SERVER} 1a2b3c → staging: All verified`,
          `NO  ${INTEGRATION} 1a2b3c → staging: Missing verification`,
        ])
      } finally {
        await broker.close()
      }
    })
  })
})

describe('pactSource', () => {
  it('verifies the local pact file by default', () => {
    expect(pactSource('/pacts/a-b.json', { PACT_BROKER_BASE_URL: 'https://broker.example.com' })).toEqual({
      pactUrls: ['/pacts/a-b.json'],
    })
  })

  it('with PACT_VERIFY_FROM_BROKER=true, verifies the broker pacts and publishes the result for this commit', () => {
    const env = {
      PACT_VERIFY_FROM_BROKER: 'true',
      PACT_BROKER_BASE_URL: 'https://broker.example.com',
      PACT_BROKER_TOKEN: 't0k3n',
      PACT_PACTICIPANT_VERSION: '1a2b3c',
      PACT_PACTICIPANT_BRANCH: 'feature/x',
    }
    expect(pactSource('/pacts/a-b.json', env)).toEqual({
      pactBrokerUrl: 'https://broker.example.com',
      pactBrokerToken: 't0k3n',
      consumerVersionSelectors: [{ mainBranch: true }, { matchingBranch: true }, { deployedOrReleased: true }],
      publishVerificationResult: true,
      providerVersion: '1a2b3c',
      providerVersionBranch: 'feature/x',
    })
  })

  it('refuses PACT_VERIFY_FROM_BROKER=true without a broker', () => {
    expect(() => pactSource('/pacts/a-b.json', { PACT_VERIFY_FROM_BROKER: 'true' })).toThrow(
      'PACT_VERIFY_FROM_BROKER=true needs PACT_BROKER_BASE_URL'
    )
  })
})
