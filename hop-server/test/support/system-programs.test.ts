// The missing-program check every test that starts redis-server or Chromium goes through: it answers from the
// file system alone, before anything is spawned, with one sentence naming the Debian package.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import {
  CHROMIUM,
  MissingProgramError,
  REDIS_SERVER,
  locateProgram,
  requireProgram,
} from '../../../test-support/system-programs.js'
import { startRedisServer } from './redis-server.js'

const empty = mkdtempSync(join(tmpdir(), 'no-programs-'))
const stubs = mkdtempSync(join(tmpdir(), 'stub-programs-'))
afterAll(() => {
  rmSync(empty, { recursive: true, force: true })
  rmSync(stubs, { recursive: true, force: true })
})

function stub(name: string, mode: number): string {
  const path = join(stubs, name)
  writeFileSync(path, '#!/bin/sh\nexit 0\n')
  chmodSync(path, mode)
  return path
}

describe('missing system programs', () => {
  it('redis-server absent from PATH: one sentence naming the Debian package, thrown synchronously', () => {
    expect(() => requireProgram(REDIS_SERVER, { PATH: empty })).toThrow(
      'redis-server is not installed: run `apt-get install redis-server` (or set REDIS_SERVER_BIN to its path), ' +
        'then run the tests again.'
    )
  })

  it('Chromium absent: names the chromium package', () => {
    expect(() => requireProgram(CHROMIUM, { CHROMIUM_BIN: join(empty, 'chromium') })).toThrow(
      'Chromium is not installed: run `apt-get install chromium` (or set CHROMIUM_BIN to its path), ' +
        'then run the tests again.'
    )
  })

  it('a file that is not executable, or a directory, does not count', () => {
    stub('redis-server', 0o644)
    expect(locateProgram(REDIS_SERVER, { PATH: stubs })).toBeUndefined()
    expect(locateProgram(CHROMIUM, { CHROMIUM_BIN: stubs })).toBeUndefined()
  })

  it('finds an executable in PATH, or the one the override names', () => {
    const path = stub('redis-server-x', 0o755)
    expect(requireProgram({ ...REDIS_SERVER, command: 'redis-server-x' }, { PATH: `${empty}:${stubs}` })).toBe(path)
    expect(requireProgram(REDIS_SERVER, { PATH: empty, REDIS_SERVER_BIN: path })).toBe(path)
  })

  it('startRedisServer without redis-server rejects with the sentence, before spawning anything', async () => {
    // a spawn of a missing program would fail later with ENOENT, never with MissingProgramError
    const started = startRedisServer({ PATH: empty })
    await expect(started).rejects.toBeInstanceOf(MissingProgramError)
    await expect(started).rejects.toThrow('apt-get install redis-server')
  })
})
