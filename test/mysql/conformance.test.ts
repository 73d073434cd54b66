import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, it } from 'vitest'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'
import { poolOn } from './fixtures.js'

describeWithMySQL('MySQLStore conformance', () => {
  let server: MySQLServer
  let pool: mysql.Pool
  beforeAll(async () => {
    server = await startMySQL()
    pool = poolOn(server.connection, 4)
    await new MySQLStore({ client: pool, sweepInterval: 0 }).migrate()
  }, 60_000)
  afterAll(async () => {
    await pool?.end()
    await server?.stop()
  })

  const cases = storeConformance({
    create: () => new MySQLStore({ client: pool }),
    capabilities: { touch: true, lock: true, userIndex: true },
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
})
