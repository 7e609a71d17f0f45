// What a request costs the client while thousands of held polls sit on a keep-alive agent to the same host.
// Node's http.Agent keeps one array of sockets per host and searches it (indexOf + splice) whenever a socket is
// freed or closes, so a short call that shares the agent with N held polls pays a scan of N. The server runs in a
// child process (its cost is not counted); the client holds N polls, then sends M short calls one after the other
// and reports its own CPU per call, for each layout:
//   shared   one agent for the held polls and the short calls (before issue 17's HTTP step)
//   apart    the held polls on their own agent, the short calls on another
//   sharded  the held polls spread round-robin over SHARDS agents, the short calls on another
// and, per layout, the CPU per poll cycle (a held poll answered and sent again) while the others stay held.
//
//   node --import tsx hop-server/scripts/agent-lists.ts [--held 5000] [--calls 2000] [--layouts shared,apart,sharded]
import { fork } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'

const SHARDS = 64
const US_PER_MS = 1000
const NS_PER_US = 1000n

// Time spent in the agent's own socket-list bookkeeping (the scan), counted apart from the rest of the call.
let listNs = 0n
const agentProto = http.Agent.prototype as unknown as { removeSocket: (...args: unknown[]) => void }
const removeSocket = agentProto.removeSocket
agentProto.removeSocket = function (this: unknown, ...args: unknown[]) {
  const started = process.hrtime.bigint()
  removeSocket.apply(this, args)
  listNs += process.hrtime.bigint() - started
}

if (process.argv[2] === 'serve') serve()
else await main()

/** Holds /hold until /release; answers /call and /cycle at once. */
function serve(): void {
  const held: http.ServerResponse[] = []
  const server = http.createServer((req, res) => {
    req.resume()
    if (req.url === '/hold') held.push(res)
    else if (req.url === '/release') {
      for (const r of held.splice(0)) r.end('{}')
      res.end()
    } else res.end('{"ok":true}')
  })
  server.keepAliveTimeout = 600_000
  server.headersTimeout = 0
  server.requestTimeout = 0
  server.maxConnections = 100_000
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port))
}

function get(agent: http.Agent, port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume()
      res.on('end', resolve)
    })
    req.on('error', reject)
    req.end()
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      held: { type: 'string', default: '5000' },
      calls: { type: 'string', default: '2000' },
      layouts: { type: 'string', default: 'shared,apart,sharded,shared,apart,sharded' },
    },
  })
  const heldCount = Number(values.held)
  const calls = Number(values.calls)
  for (const layout of values.layouts.split(',')) {
    const child = fork(new URL(import.meta.url).pathname, ['serve'], { execArgv: ['--import', 'tsx'] })
    const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)))
    const callAgent = new http.Agent({ keepAlive: true })
    const pollAgents =
      layout === 'shared'
        ? [callAgent]
        : layout === 'apart'
          ? [new http.Agent({ keepAlive: true })]
          : Array.from({ length: SHARDS }, () => new http.Agent({ keepAlive: true }))
    let next = 0
    const pick = (): http.Agent => pollAgents[next++ % pollAgents.length]!
    const held: Array<Promise<void>> = []
    for (let i = 0; i < heldCount; i += 1) held.push(get(pick(), port, '/hold'))
    await new Promise((r) => setTimeout(r, 2000))
    // Warm the call socket, then measure calls one after the other.
    await get(callAgent, port, '/call')
    let cpu = process.cpuUsage()
    listNs = 0n
    for (let i = 0; i < calls; i += 1) await get(callAgent, port, '/call')
    let used = process.cpuUsage(cpu)
    const perCall = (used.user + used.system) / calls
    const listPerCall = Number(listNs / NS_PER_US) / calls
    // Poll cycles: one chat's poll answered at once and sent again, the others held.
    const cycleAgent = pick()
    await get(cycleAgent, port, '/cycle')
    cpu = process.cpuUsage()
    listNs = 0n
    for (let i = 0; i < calls; i += 1) await get(cycleAgent, port, '/cycle')
    used = process.cpuUsage(cpu)
    const perCycle = (used.user + used.system) / calls
    const listPerCycle = Number(listNs / NS_PER_US) / calls
    console.log(
      `${layout.padEnd(8)} held ${heldCount}: ${(perCall / US_PER_MS).toFixed(3)} ms CPU per short call ` +
        `(socket list ${listPerCall.toFixed(1)} µs), ${(perCycle / US_PER_MS).toFixed(3)} ms per poll cycle ` +
        `(socket list ${listPerCycle.toFixed(1)} µs)`
    )
    await get(callAgent, port, '/release')
    await Promise.allSettled(held)
    for (const agent of new Set([callAgent, ...pollAgents])) agent.destroy()
    child.kill()
  }
}
