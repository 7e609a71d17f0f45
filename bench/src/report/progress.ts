// A one-line progress display on stderr: redrawn in place on a terminal, one plain line every few seconds
// otherwise (CI logs, jest), so it never floods a log file.
const TTY_REDRAW_MS = 250
const PLAIN_EVERY_MS = 5_000
const BAR_WIDTH = 24

export class Progress {
  private timer: NodeJS.Timeout | undefined
  private lastPlain = 0
  private readonly tty = Boolean(process.stderr.isTTY)
  private readonly started = Date.now()

  constructor(
    private readonly render: () => { label: string; done: number; total: number; detail: string },
    private readonly enabled = true
  ) {}

  start(): void {
    if (!this.enabled) return
    this.timer = setInterval(() => this.draw(), TTY_REDRAW_MS)
    this.timer.unref()
  }

  private draw(force = false): void {
    const { label, done, total, detail } = this.render()
    const fraction = total > 0 ? Math.min(1, done / total) : 0
    const filled = Math.round(fraction * BAR_WIDTH)
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled)
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(0)
    const line = `${label.padEnd(18)} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${detail}  ${elapsed}s`
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${line}`)
    } else if (force || Date.now() - this.lastPlain >= PLAIN_EVERY_MS) {
      this.lastPlain = Date.now()
      process.stderr.write(`${line}\n`)
    }
  }

  /** Prints a message on its own line without breaking the bar. */
  note(message: string): void {
    if (!this.enabled) return
    if (this.tty) process.stderr.write('\r\x1b[2K')
    process.stderr.write(`${message}\n`)
  }

  stop(): void {
    if (!this.timer) return
    clearInterval(this.timer)
    this.timer = undefined
    this.draw(true)
    if (this.tty) process.stderr.write('\n')
  }
}
