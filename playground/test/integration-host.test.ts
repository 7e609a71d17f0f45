// The integration host process (bin/integration-host.js) as the playground forks it: it tells its parent it listens
// only once a SIGTERM from that parent closes it cleanly.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { isHostMessage, PORT_VARIABLE } from '../src/integration-host/protocol.js'
import {
  listenersAtReadiness,
  SIGNAL_PROBE_MARKER_VARIABLE,
  SIGNAL_PROBE_NODE_ARGS,
} from '../../test-support/signal-probe.js'

const HOST_SCRIPT = fileURLToPath(new URL('../bin/integration-host.js', import.meta.url))
/** Loading the integration through tsx takes a few seconds on a busy machine. */
const TEST_TIMEOUT_MS = 60_000
/** Nothing is served in this test; the integration only needs the variables set to start. */
const UNUSED_URL = 'http://127.0.0.1:9'

describe('integration host process', () => {
  it(
    'says it listens only once its SIGTERM handler is in place, and a SIGTERM right then closes it with code 0',
    async () => {
      const child = fork(HOST_SCRIPT, [], {
        env: {
          ...process.env,
          BP_API_URL: UNUSED_URL,
          BP_WEBHOOK_URL: UNUSED_URL,
          [PORT_VARIABLE]: '0',
          [SIGNAL_PROBE_MARKER_VARIABLE]: '"type":"listening"',
        },
        execArgv: SIGNAL_PROBE_NODE_ARGS,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      })
      let stderr = ''
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
      try {
        const [message] = (await once(child, 'message')) as [unknown]
        expect(isHostMessage(message) && message.type).toBe('listening')
        child.kill('SIGTERM')
        const [code, signal] = await exited
        // Only SIGTERM stops it; SIGINT is taken and ignored, since Ctrl-C reaches the parent, which stops it in turn.
        expect(listenersAtReadiness(stderr)).toEqual({ SIGINT: 1, SIGTERM: 1 })
        expect({ code, signal }).toEqual({ code: 0, signal: null })
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
    },
    TEST_TIMEOUT_MS
  )
})
