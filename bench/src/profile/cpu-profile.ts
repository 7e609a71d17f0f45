// The V8 CPU profile format (`node --cpu-prof`, the inspector's Profiler.stop): a call tree of nodes, and a list of
// samples (the node on top of the stack) with the time since the previous sample. Read and checked here, so a
// missing, truncated or foreign file is one clear sentence and never a crash deeper in the analysis.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

export class CpuProfileError extends Error {
  override readonly name = 'CpuProfileError'
}

const callFrameSchema = z.object({
  functionName: z.string(),
  url: z.string(),
  lineNumber: z.number().int(),
  columnNumber: z.number().int(),
})

const nodeSchema = z.object({
  id: z.number().int(),
  callFrame: callFrameSchema,
  children: z.array(z.number().int()).optional(),
})

const profileSchema = z.object({
  nodes: z.array(nodeSchema).min(1),
  /** Microseconds on the profiled process's monotonic clock (CLOCK_MONOTONIC on Linux). */
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number().int()),
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas: z.array(z.number()),
})

export type CallFrame = z.infer<typeof callFrameSchema>
export type CpuProfileNode = z.infer<typeof nodeSchema>
export type CpuProfile = z.infer<typeof profileSchema>

/** Parses and checks the text of a .cpuprofile; `source` names it in the error. Throws CpuProfileError. */
export function parseCpuProfile(text: string, source: string): CpuProfile {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new CpuProfileError(
      `${source} is not a complete CPU profile (${text.length === 0 ? 'the file is empty' : (error as Error).message}); ` +
        'was the profiled process killed while writing it?'
    )
  }
  const parsed = profileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CpuProfileError(
      `${source} is not a V8 CPU profile: ${issue ? `${issue.path.join('.') || 'the document'}: ${issue.message}` : 'unexpected shape'}`
    )
  }
  const profile = parsed.data
  if (profile.samples.length !== profile.timeDeltas.length)
    throw new CpuProfileError(
      `${source} is not a consistent CPU profile: ${profile.samples.length} samples but ${profile.timeDeltas.length} time deltas`
    )
  const ids = new Set(profile.nodes.map((node) => node.id))
  const unknown = profile.samples.find((id) => !ids.has(id))
  if (unknown !== undefined)
    throw new CpuProfileError(
      `${source} is not a consistent CPU profile: a sample names node ${unknown}, which it lacks`
    )
  return profile
}

/** Reads and checks a .cpuprofile file. Throws CpuProfileError (missing, unreadable, truncated, not a profile). */
export function readCpuProfile(file: string): CpuProfile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new CpuProfileError(`cannot read the CPU profile ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
  return parseCpuProfile(text, file)
}
