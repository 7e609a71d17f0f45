import { cpus, loadavg, release, totalmem } from 'node:os'
import { currentFdLimits } from '../processes/fd-limits.js'

export interface MachineInfo {
  cpus: number
  cpuModel: string
  memGiB: number
  node: string
  kernel: string
  fdLimits: { soft: number; hard: number }
  loadAverage: number[]
}

const GIB = 1024 ** 3

export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / GIB),
    node: process.version,
    kernel: release(),
    fdLimits: currentFdLimits(),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  }
}
