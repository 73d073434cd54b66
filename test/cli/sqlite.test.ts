import { describe } from 'vitest'
import { SQLiteStore } from '../../src/stores/sqlite/index.js'
import { tempDir } from '../sqlite/fixtures.js'
import { cliScenario } from './scenario.js'

cliScenario({
  name: 'SQLite',
  describe,
  keepsExpired: true,
  async start() {
    const dir = await tempDir()
    const store = new SQLiteStore({ path: dir.file, sweepInterval: 0 })
    await store.migrate()
    return {
      url: `sqlite:${dir.file}`,
      naming: [],
      store,
      async close() {
        await store.close()
        await dir.remove()
      },
    }
  },
})
