import { afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import { describeStoreContract } from './store-contract.js'

const dir = mkdtempSync(join(tmpdir(), 'hop-sqlite-'))
let files = 0

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describeStoreContract('SQLite', () => ({
  create: async () => new SqliteStore({ file: join(dir, `store-${(files += 1)}.sqlite`) }),
}))
