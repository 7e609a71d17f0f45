// `npm start`: runs the playground (mock Live Agent, hop server, integration, local Botpress, web chat).
//
// The playground must stop whenever this process goes, however it goes:
// - a stop signal here (Ctrl-C, a process manager's SIGTERM, a closed terminal's SIGHUP) is passed on, and this
//   process exits once the playground has shut everything down;
// - `kill -9` of this process closes the IPC channel the playground watches: it shuts down on its own;
// - npm passes SIGINT and SIGTERM on to its script's process, which is this one because the script `exec`s node
//   (without it, the shell in between swallows SIGINT); other signals (SIGHUP) end npm without reaching this
//   process: it is then re-parented, which it notices by polling its parent pid (Node cannot ask the kernel for a
//   parent-death signal), and stops the playground as if it had been told to.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const PLAYGROUND = fileURLToPath(new URL('../playground/bin/playground.js', import.meta.url))
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']
const PARENT_POLL_MS = 250
/** The playground stops in a few seconds; one that hangs is killed (its own children then see their IPC close). */
const STOP_TIMEOUT_MS = 20_000
const FAILURE_EXIT_CODE = 1

const parent = process.ppid
const child = spawn(process.execPath, [PLAYGROUND, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
})

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  child.kill(signal)
  setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS).unref()
}

for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal))
const parentWatch = setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM')
}, PARENT_POLL_MS)

child.on('error', (error) => {
  process.stderr.write(`npm start: could not run the playground: ${error.message}\n`)
  process.exit(FAILURE_EXIT_CODE)
})
child.on('exit', (code, signal) => {
  clearInterval(parentWatch)
  process.exit(code ?? (signal ? FAILURE_EXIT_CODE : 0))
})
