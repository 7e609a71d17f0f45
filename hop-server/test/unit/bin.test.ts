import { describe, expect, it } from '@jest/globals'
import { runHopProcess } from '../support/hop-process.js'

describe('liveagent-hop bin', () => {
  it('exits 2 naming the variable when the configuration is bad', async () => {
    const result = await runHopProcess({ HOP_PORT: 'eighty' })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^liveagent-hop: invalid configuration: HOP_PORT: /)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('exits 2 on an unknown argument', async () => {
    const result = await runHopProcess({}, ['--port', '1'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown argument --port/)
  })
})
