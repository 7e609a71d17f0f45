// The bench's phase marks are Date.now(); a CPU profile's sample times are the profiled process's monotonic clock
// in µs. On Linux both processes read the same CLOCK_MONOTONIC (process.hrtime), so one offset taken here turns a
// mark into profile time, to within a millisecond.

/** Converts Date.now() values to µs on this machine's monotonic clock. */
export function wallToMonotonicUs(): (wallMs: number) => number {
  const offsetUs = Number(process.hrtime.bigint() / 1000n) - Date.now() * 1000
  return (wallMs) => wallMs * 1000 + offsetUs
}
