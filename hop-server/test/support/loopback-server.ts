// A plain node:http server on a free loopback port for tests, and the way to close it with connections still open
// (held polls and keep-alive sockets would otherwise keep `close()` waiting).
import type http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ListeningServer {
  port: number
  close(): Promise<void>
}

export async function listenOnLoopback(server: http.Server): Promise<ListeningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
