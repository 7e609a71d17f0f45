// The owner of the bench's shutdown on a signal: SIGINT, SIGTERM or SIGHUP to the bench's own process (not only its
// process group, as a supervisor or `timeout` sends it) stops every child the bench spawned, SIGTERM first and
// SIGKILL after its grace, then exits with 128 + the signal's number and one line saying what it stopped. A second
// signal while stopping kills what remains at once. No results file is written after the first signal: figures
// from a run cut short would read as a real run's.
import { constants } from 'node:os'
import { liveChildren } from '../processes/live-children.js'

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const SIGNAL_EXIT_BASE = 128

let stoppingBy: NodeJS.Signals | undefined

/** The signal that is stopping the bench, if one is. */
export const stoppingSignal = (): NodeJS.Signals | undefined => stoppingBy

/** Never resolves once a signal is stopping the bench, so that no result is written after it; else resolves now. */
export function unlessStopping(): Promise<void> {
  return stoppingBy ? new Promise(() => {}) : Promise.resolve()
}

export const signalExitCode = (signal: NodeJS.Signals): number => SIGNAL_EXIT_BASE + constants.signals[signal]

/**
 * Installs the handlers. `command` names the bench in the final line ("npm run bench"); `kept` says what stays
 * on disk (the logs folder), read when the signal arrives.
 */
export function stopOnSignals(command: string, kept: () => string | undefined): void {
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stoppingBy) return killNow(command, signal)
      stoppingBy = signal
      const running = liveChildren.size
      console.error(
        `${command}: ${signal}, stopping ${running} child process${running === 1 ? '' : 'es'} (a second signal kills them at once)`
      )
      void liveChildren.stopAll().then((stopped) => {
        const what = stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'no child process was running'
        const where = kept()
        console.error(
          `${command} stopped by ${signal}: ${what}; no results file written after it${where ? `, ${where}` : ''}.`
        )
        process.exit(signalExitCode(signal))
      })
    })
  }
}

function killNow(command: string, signal: NodeJS.Signals): never {
  const killed = liveChildren.killAll()
  const what = killed.length > 0 ? `killed ${killed.join(', ')} at once` : 'nothing left to kill'
  console.error(`${command} stopped by a second signal (${signal}) while stopping: ${what}.`)
  process.exit(signalExitCode(signal))
}
