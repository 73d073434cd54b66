import { afterAll, beforeAll, describe, it } from 'vitest'
import { SQLiteStore } from '../../src/stores/sqlite/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { type TempDir, tempDir } from './fixtures.js'

describe('SQLiteStore conformance', () => {
  let temp: TempDir
  beforeAll(async () => {
    temp = await tempDir()
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    await store.migrate()
    await store.close()
  })
  afterAll(() => temp?.remove())

  const cases = storeConformance({
    create: () => new SQLiteStore({ path: temp.file }),
    capabilities: { touch: true, lock: true, userIndex: true },
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
})
