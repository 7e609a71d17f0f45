// The writer thread's entry: it owns the SQLite write connection and commits each batch the store sends, so that
// the statements and the sync to disk never block the main thread's event loop. One batch at a time, in order.
import { parentPort, workerData } from 'node:worker_threads'
import { SqliteConnection } from './sqlite-connection.js'
import { GroupCommit } from './sqlite-group-commit.js'
import { commitHold } from './sqlite-writer-hold.js'
import { portableError, type WriterReply, type WriterRequest, type WriterStart } from './sqlite-writer-protocol.js'

const port = parentPort!
const start = workerData as WriterStart
const connection = new SqliteConnection(start.file, start.synchronous)
const group = new GroupCommit(connection, commitHold(process.env))

port.on('message', (request: WriterRequest) => {
  if (request.kind === 'close') {
    connection.close()
    port.postMessage({ kind: 'closed' } satisfies WriterReply)
    port.close()
    return
  }
  const { outcomes, transactions } = group.run(request.batch)
  const portable = outcomes.map((outcome) =>
    outcome.ok ? outcome : { ok: false as const, error: portableError(outcome.error) }
  )
  port.postMessage({ kind: 'committed', outcomes: portable, transactions } satisfies WriterReply)
})
port.postMessage({ kind: 'ready' } satisfies WriterReply)
