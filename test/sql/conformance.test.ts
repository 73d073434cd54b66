import { afterAll, beforeAll, it } from 'vitest'
import { storeConformance } from '../../src/testing/index.js'
import type { DatabaseServer } from '../support/database-server.js'
import type { SqlPool, SqlTarget } from './target.js'
import { forEachSqlTarget } from './targets.js'

forEachSqlTarget(<Pool extends SqlPool>(target: SqlTarget<Pool>) =>
  target.describe(`${target.storeName} conformance`, () => {
    let server: DatabaseServer<object>
    let pool: Pool
    beforeAll(async () => {
      server = await target.start()
      pool = target.pool(server, 4)
      await target.store(pool, { sweepInterval: 0 }).migrate()
    })
    afterAll(async () => {
      await pool?.end()
      await server?.stop()
    })

    const cases = storeConformance({
      create: () => target.store(pool),
      capabilities: { touch: true, lock: true, userIndex: true, stats: true, sweep: true },
    })
    for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
  }),
)
