// Free loopback ports, for the processes the tests (and the bench) start that need a number up front: the one owner
// of the trick (listen on port 0, read the port, close). Dependency-free on purpose: every workspace imports it by
// relative path. The port is free when the promise resolves; another process may still take it before it is bound.
import { createServer, type Server } from 'node:net'

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** `count` distinct ports free a moment ago: held open together (so no two are the same), then released. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort))
  const ports = servers.map((server) => {
    const address = server.address()
    if (typeof address !== 'object' || !address) throw new Error('a loopback listener has no port')
    return address.port
  })
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}

/** One port free a moment ago. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1)
  return port!
}
