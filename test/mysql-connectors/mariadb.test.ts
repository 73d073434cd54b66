/**
 * MySQLStore over the `mariadb` connector (MariaDB's own Node driver) instead
 * of mysql2: its query API differs (rows, not `[rows, fields]`), so a
 * four-line adapter, the one docs/mysql.md shows, makes it a `MySQLClient`.
 * The whole conformance suite runs through it against a real MariaDB.
 */
import mariadb, { type Pool } from 'mariadb'
import { afterAll, beforeAll, it } from 'vitest'
import { type MySQLClient, MySQLStore } from '../../src/stores/mysql/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'

describeWithMySQL('MySQLStore over the mariadb connector', () => {
  let server: MySQLServer
  let pool: Pool
  let client: MySQLClient
  beforeAll(async () => {
    server = await startMySQL()
    pool = mariadb.createPool({ ...server.connection, connectionLimit: 4 })
    client = {
      query: async ({ sql, values, timeout }) => [
        await pool.query(timeout === undefined ? sql : { sql, timeout }, values),
      ],
    }
    await new MySQLStore({ client, sweepInterval: 0 }).migrate()
  }, 60_000)
  afterAll(async () => {
    await pool?.end()
    await server?.stop()
  })

  const cases = storeConformance({
    create: () => new MySQLStore({ client }),
    capabilities: { touch: true, lock: true, userIndex: true, stats: true, sweep: true },
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
})
