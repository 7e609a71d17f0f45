// The hop server's CPU profile after a bench run: the main-thread .cpuprofile the process wrote when it stopped,
// broken down over its whole life and over the run's idle and exchange windows. A profile that is missing,
// truncated or does not cover a window gives a sentence in the results, never a crashed bench.
import { selfTimeBreakdown, type SelfTimeBreakdown } from './breakdown.js'
import { CpuProfileError, readCpuProfile } from './cpu-profile.js'
import { mainThreadProfiles } from './profile-files.js'

export type ProfileWindow = 'whole' | 'idle' | 'exchange'

export interface HopCpuProfile {
  /** The .cpuprofile (open it in Chrome DevTools or speedscope). */
  file?: string
  windows: Partial<Record<ProfileWindow, SelfTimeBreakdown>>
  /** Why the profile or a window could not be analysed. */
  errors?: string[]
}

/** Reads the main-thread profile in `dir` (the last, if the process ran several times) and breaks it down. */
export function analyseHopProfile(
  dir: string,
  windowsUs: Partial<Record<Exclude<ProfileWindow, 'whole'>, [number, number]>>
): HopCpuProfile {
  let file: string
  let profile
  try {
    file = mainThreadProfiles(dir).at(-1)!
    profile = readCpuProfile(file)
  } catch (error) {
    if (error instanceof CpuProfileError) return { windows: {}, errors: [error.message] }
    throw error
  }
  const windows: HopCpuProfile['windows'] = {}
  const errors: string[] = []
  const attempt = (name: ProfileWindow, range?: [number, number]) => {
    try {
      windows[name] = selfTimeBreakdown(profile, range ? { fromUs: range[0], toUs: range[1] } : {})
    } catch (error) {
      if (!(error instanceof CpuProfileError)) throw error
      errors.push(`${name} window: ${error.message}`)
    }
  }
  attempt('whole')
  for (const [name, range] of Object.entries(windowsUs)) attempt(name as ProfileWindow, range)
  return { file, windows, ...(errors.length > 0 ? { errors } : {}) }
}
