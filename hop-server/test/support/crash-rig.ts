// The scaffold of the kill -9 tests, whatever the backend: a temp folder shared with a child process (the test
// writes dir/outbox.json, the child writes dir/state.json, both by write + rename so a SIGKILL leaves no half file),
// and the children started and killed there.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface OutboxRow {
  id: string
  text: string
}

export class CrashRig<State> {
  readonly dir: string
  private readonly children = new Set<ChildProcess>()

  /** `script`: the child's TypeScript file, run with tsx; `name`: the temp folder's prefix. */
  constructor(
    private readonly script: string,
    name: string
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`))
  }

  /** What the child stored last, or undefined before its first write. */
  readState(): State | undefined {
    const path = join(this.dir, 'state.json')
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as State) : undefined
  }

  writeOutbox(rows: OutboxRow[]): void {
    const tmp = join(this.dir, 'outbox.json.tmp')
    writeFileSync(tmp, JSON.stringify(rows))
    renameSync(tmp, join(this.dir, 'outbox.json'))
  }

  /** A new child on the script with `args` (the folder is the test's to pass); its stderr shows in the test's. */
  start(args: string[], env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', this.script, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    })
    this.children.add(child)
    child.on('exit', () => this.children.delete(child))
    return child
  }

  /** kill -9, resolved once the child is gone. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  /** Kills what still runs and removes the folder. */
  async close(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.kill(child)))
    rmSync(this.dir, { recursive: true, force: true })
  }
}
