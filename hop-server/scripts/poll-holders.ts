// What one held Live Agent poll costs with each HTTP client: RSS and live heap per held poll, and CPU per poll cycle.
// Against the mock server (a separate process, so its own cost is not counted), each holder runs in a fresh child
// process: N polls held open at once (memory), then M chats polling in a loop against a short hold (CPU per cycle).
//
//   node --expose-gc --import tsx hop-server/scripts/poll-holders.ts [--polls 1000] [--loops 200] [--seconds 10]
//        [--holders client,got,http,undici]
//
// Holders: `client` is LiveAgentClient as the session uses it (one poller per chat); `got` a got instance configured as the client's was
// before the poll moved off got (prefixUrl, searchParams, per-call options); `http` bare node:http with a
// keep-alive Agent; `undici` undici's Pool (not a dependency: set UNDICI_PATH to an installed copy's entry file).
import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const HEADER = {
  apiVersion: 'X-LIVEAGENT-API-VERSION',
  affinity: 'X-LIVEAGENT-AFFINITY',
  sessionKey: 'X-LIVEAGENT-SESSION-KEY',
}
const API_VERSION = '63'
const HELD_MS = 120_000
const CYCLE_HOLD_MS = 200
const SETTLE_MS = 1500
const KIB = 1024
const POLL_TIMEOUT_MS = 150_000

interface Session {
  key: string
  affinityToken: string
}

/** One poll: resolves with the status, rejects on failure. */
type Poll = (session: Session, ack: number, pc: number) => Promise<number>

interface Holder {
  poll: Poll
}

async function makeHolder(name: string, endpoint: string): Promise<Holder> {
  const rest = `${endpoint}/rest/`
  switch (name) {
    case 'client': {
      const { LiveAgentClient } = await import('../src/backends/live-agent/client.js')
      const client = new LiveAgentClient({ endpoint })
      // As the session passes it: one signal and one poller per chat serve poll after poll (a client without
      // pollers, before issue 17's HTTP step, polls through messages()).
      const chats = new Map<Session, { signal: AbortSignal; poll: Poll }>()
      const chatOf = (s: Session): { signal: AbortSignal; poll: Poll } => {
        let chat = chats.get(s)
        if (!chat) {
          const signal = new AbortController().signal
          const withPoller = client as unknown as {
            poller?: () => { poll: (...args: unknown[]) => Promise<{ status: number }> }
          }
          const poller = withPoller.poller?.()
          const poll: Poll = poller
            ? async (session, ack, pc) => (await poller.poll(session, ack, pc, POLL_TIMEOUT_MS, signal)).status
            : async (session, ack, pc) =>
                (await client.messages(session, { ack, pc }, { signal, timeoutMs: POLL_TIMEOUT_MS })).status
          chats.set(s, (chat = { signal, poll }))
        }
        return chat
      }
      return { poll: (s, ack, pc) => chatOf(s).poll(s, ack, pc) }
    }
    case 'got': {
      const { default: got } = await import('got')
      const https = await import('node:https')
      const instance = got.extend({
        prefixUrl: rest,
        agent: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
        headers: { [HEADER.apiVersion]: API_VERSION, accept: 'application/json' },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: 'text',
      })
      // As the session used them: halt and hand-over signals per chat, a controller and AbortSignal.any per poll.
      const chats = new Map<Session, AbortSignal[]>()
      const chatSignals = (s: Session): AbortSignal[] => {
        let signals = chats.get(s)
        if (!signals) chats.set(s, (signals = [new AbortController().signal, new AbortController().signal]))
        return signals
      }
      return {
        poll: async (s, ack, pc) => {
          const controller = new AbortController()
          const response = await instance('System/Messages', {
            method: 'GET',
            headers: { [HEADER.affinity]: s.affinityToken, [HEADER.sessionKey]: s.key },
            searchParams: { ack, pc },
            timeout: { request: POLL_TIMEOUT_MS },
            signal: AbortSignal.any([...chatSignals(s), controller.signal]),
          })
          return response.statusCode
        },
      }
    }
    case 'http': {
      const agent = new http.Agent({ keepAlive: true })
      return {
        poll: (s, ack, pc) =>
          new Promise((resolve, reject) => {
            const req = http.request(`${rest}System/Messages?ack=${ack}&pc=${pc}`, {
              agent,
              headers: {
                [HEADER.apiVersion]: API_VERSION,
                accept: 'application/json',
                [HEADER.affinity]: s.affinityToken,
                [HEADER.sessionKey]: s.key,
              },
            })
            req.on('error', reject)
            req.on('response', (res) => {
              let body = ''
              res.setEncoding('utf8')
              res.on('data', (chunk: string) => (body += chunk))
              res.on('end', () => resolve(body.length >= 0 ? (res.statusCode ?? 0) : 0))
              res.on('error', reject)
            })
            req.end()
          }),
      }
    }
    case 'undici': {
      const path = process.env.UNDICI_PATH
      if (!path) throw new Error('set UNDICI_PATH to undici/index.js of an installed copy')
      const undici = (await import(path)) as {
        Pool: new (
          origin: string,
          options: object
        ) => {
          request(options: object): Promise<{ statusCode: number; body: { text(): Promise<string> } }>
        }
      }
      const url = new URL(rest)
      const pool = new undici.Pool(url.origin, { connections: null, headersTimeout: 0, bodyTimeout: 0 })
      return {
        poll: async (s, ack, pc) => {
          const res = await pool.request({
            method: 'GET',
            path: `${url.pathname}System/Messages?ack=${ack}&pc=${pc}`,
            headers: {
              [HEADER.apiVersion]: API_VERSION,
              accept: 'application/json',
              [HEADER.affinity]: s.affinityToken,
              [HEADER.sessionKey]: s.key,
            },
          })
          await res.body.text()
          return res.statusCode
        },
      }
    }
    default:
      throw new Error(`unknown holder ${name}`)
  }
}

/** SessionId with a throw-away connection, so no socket of it stays in the measured process. */
function createSession(endpoint: string): Promise<Session> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}/rest/System/SessionId`, {
      agent: false,
      headers: { [HEADER.apiVersion]: API_VERSION, [HEADER.affinity]: 'null' },
    })
    req.on('error', reject)
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        const parsed = JSON.parse(body) as Session
        resolve({ key: parsed.key, affinityToken: parsed.affinityToken })
      })
    })
    req.end()
  })
}

async function createSessions(endpoint: string, count: number): Promise<Session[]> {
  const sessions: Session[] = []
  for (let i = 0; i < count; i += 50) {
    const batch = Math.min(50, count - i)
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => createSession(endpoint)))))
  }
  return sessions
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc
  if (!collect) throw new Error('run with node --expose-gc')
  collect()
  collect()
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Child: measures one holder and prints one JSON line. */
async function child(
  name: string,
  heldEndpoint: string,
  cycleEndpoint: string,
  polls: number,
  loops: number,
  seconds: number
) {
  const heldSessions = await createSessions(heldEndpoint, polls)
  const cycleSessions = await createSessions(cycleEndpoint, loops)
  const holder = await makeHolder(name, heldEndpoint)
  const cycler = await makeHolder(name, cycleEndpoint)
  // Warm up: one full poll of each kind, so code, agents and parsers exist before the baseline.
  await cycler.poll(cycleSessions[0]!, -1, 0)
  await sleep(SETTLE_MS)
  gc()
  const before = process.memoryUsage()
  const held = heldSessions.map((s) => holder.poll(s, -1, 0).catch(() => -1))
  await sleep(SETTLE_MS + polls)
  gc()
  const after = process.memoryUsage()
  // CPU per poll cycle: `loops` chats poll → 204 after a short hold → poll again.
  let cycles = 0
  let failures = 0
  let running = true
  const loop = async (s: Session, start: number): Promise<void> => {
    for (let pc = start; running; pc += 1) {
      try {
        await cycler.poll(s, -1, pc)
        cycles += 1
      } catch {
        failures += 1
      }
    }
  }
  const startCpu = process.cpuUsage()
  const startAt = performance.now()
  const loopsDone = cycleSessions.map((s, i) => loop(s, i === 0 ? 1 : 0))
  await sleep(seconds * 1000)
  running = false
  const cpu = process.cpuUsage(startCpu)
  const elapsed = performance.now() - startAt
  await Promise.all(loopsDone)
  void held
  console.log(
    JSON.stringify({
      holder: name,
      polls,
      rssPerHeldPollKiB: round((after.rss - before.rss) / polls / KIB),
      heapPerHeldPollKiB: round((after.heapUsed - before.heapUsed) / polls / KIB),
      cycles,
      failures,
      cyclesPerSecond: round(cycles / (elapsed / 1000)),
      cpuMsPerCycle: round((cpu.user + cpu.system) / 1000 / cycles, 3),
    })
  )
  process.exit(0)
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

async function startMock(holdMs: number): Promise<{ url: string; process: ChildProcess }> {
  const bin = fileURLToPath(new URL('../../mock-server/bin/liveagent-mock.js', import.meta.url))
  const mock = spawn(
    process.execPath,
    [bin, '--port', '0', '--hold-ms', String(holdMs), '--scenario', 'manual', '--session-timeout-ms', '600000'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: mock.stdout! })
    lines.once('line', resolve)
    mock.once('exit', (code) => reject(new Error(`the mock server exited (${code})`)))
  })
  return { url: `${first.trim()}/chat`, process: mock }
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    )
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    proc.on('exit', (code) =>
      code === 0 ? resolve(out.trim().split('\n').at(-1) ?? '') : reject(new Error(`child ${code}`))
    )
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      held: { type: 'string' },
      cycle: { type: 'string' },
      polls: { type: 'string', default: '1000' },
      loops: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '15' },
      holders: { type: 'string', default: 'client,got,http' },
    },
  })
  const polls = Number(values.polls)
  const loops = Number(values.loops)
  const seconds = Number(values.seconds)
  if (![polls, loops, seconds].every((n) => Number.isInteger(n) && n > 0)) {
    console.error('--polls, --loops and --seconds must be positive integers')
    process.exit(2)
  }
  if (values.child) return child(values.child, values.held!, values.cycle!, polls, loops, seconds)
  const results: string[] = []
  for (const name of values.holders.split(',')) {
    // Fresh mock servers per holder: the held polls of one run must not meet the next.
    const held = await startMock(HELD_MS)
    const cycle = await startMock(CYCLE_HOLD_MS)
    try {
      const line = await runChild([
        name,
        '--held',
        held.url,
        '--cycle',
        cycle.url,
        '--polls',
        String(polls),
        '--loops',
        String(loops),
        '--seconds',
        String(seconds),
      ])
      console.log(line)
      results.push(line)
    } finally {
      held.process.kill()
      cycle.process.kill()
    }
  }
}

await main()
