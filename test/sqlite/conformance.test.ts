import { afterAll, beforeAll, describe, it } from 'vitest'
import { type SQLiteDatabase, SQLiteStore } from '../../src/stores/sqlite/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { type TempDir, tempDir } from './fixtures.js'

/** node:sqlite where this Node has it (22.5+); @types/node 20 does not declare it. */
const nodeSqlite = process.getBuiltinModule?.('node:sqlite') as
  | { DatabaseSync: new (path: string) => SQLiteDatabase & { close(): void } }
  | undefined

describe('SQLiteStore conformance', () => {
  let temp: TempDir
  beforeAll(async () => {
    temp = await tempDir()
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    await store.migrate()
    await store.close()
  })
  afterAll(() => temp?.remove())

  describe(`on a path (${nodeSqlite ? 'node:sqlite' : 'better-sqlite3'})`, () => {
    const cases = storeConformance({
      create: () => new SQLiteStore({ path: temp.file }),
      capabilities: { touch: true, lock: true, userIndex: true, stats: true, sweep: true },
    })
    for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
  })

  describe.runIf(nodeSqlite)('on a node:sqlite DatabaseSync of the application', () => {
    const databases = new Map<SQLiteStore, { close(): void }>()
    const cases = storeConformance({
      create: () => {
        const database = new (nodeSqlite as NonNullable<typeof nodeSqlite>).DatabaseSync(temp.file)
        database.exec('PRAGMA busy_timeout = 1000')
        const store = new SQLiteStore({ database })
        databases.set(store, database)
        return store
      },
      dispose: async (store) => {
        await store.close?.()
        databases.get(store as SQLiteStore)?.close()
      },
      capabilities: { touch: true, lock: true, userIndex: true, stats: true, sweep: true },
    })
    for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
  })
})
