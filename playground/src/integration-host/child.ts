// Runs the integration the way `bp dev` does: `integration.start(port)`, the SDK's own HTTP server and dispatcher.
// It is a process of its own because the SDK reads BP_API_URL from the environment of every request it serves and
// logs to the console: the parent gives it its own environment and keeps its logs out of the terminal.
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { integration } from '@liveagent-hop/integration'
import { PORT_VARIABLE, type HostMessage } from './protocol.js'

const send = (message: HostMessage): void => {
  process.send?.(message)
}

// `start` calls listen() without an error listener: a port in use surfaces as an uncaught 'error' event.
process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
  send({ type: 'error', code: error.code, message: error.message })
  process.exit(1)
})

const server: Server = await integration.start(Number(process.env[PORT_VARIABLE] ?? '0'))
let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  server.closeAllConnections()
  server.close(() => process.exit(0))
}

// The parent decides when to stop (SIGTERM), and a parent that disappears takes this process with it (disconnect).
// Ctrl-C reaches the whole process group; the parent's orderly shutdown stops this one in its turn.
process.on('SIGINT', () => undefined)
process.once('SIGTERM', stop)
process.once('disconnect', stop)

// Told only once the signals above stop it cleanly.
const reportListening = () => send({ type: 'listening', port: (server.address() as AddressInfo).port })
if (server.listening) reportListening()
else server.once('listening', reportListening)
