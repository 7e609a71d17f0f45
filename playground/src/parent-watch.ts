// How the playground notices that whoever started it is gone, however it went (Node cannot ask the kernel for a
// parent-death signal): the IPC channel to a parent that gave it one closes (`npm start` does, and a `kill -9` of
// the parent closes it too), or the process is re-parented (its parent pid changes), whoever started it.

const PARENT_POLL_MS = 250

/** Calls `onGone` once, with the reason, when the parent is gone. Returns a function that stops watching. */
export function watchParent(onGone: (reason: string) => void, pollMs: number = PARENT_POLL_MS): () => void {
  const parent = process.ppid
  let gone = false
  const report = (reason: string): void => {
    if (gone) return
    gone = true
    stop()
    onGone(reason)
  }
  const onDisconnect = (): void => report('the parent process closed its channel')
  const poll = setInterval(() => {
    if (process.ppid !== parent) report('the parent process is gone')
  }, pollMs)
  // The poll alone never keeps the process running.
  poll.unref()
  if (process.connected) process.once('disconnect', onDisconnect)
  function stop(): void {
    clearInterval(poll)
    process.off('disconnect', onDisconnect)
  }
  return stop
}
