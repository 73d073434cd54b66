import type pg from 'pg'
import { afterAll, beforeAll, it } from 'vitest'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { storeConformance } from '../../src/testing/index.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { poolOn } from './fixtures.js'

describeWithPostgres('PostgresStore conformance', () => {
  let server: PostgresServer
  let pool: pg.Pool
  beforeAll(async () => {
    server = await startPostgres()
    pool = poolOn(server.connection, 4)
    await new PostgresStore({ client: pool, sweepInterval: 0 }).migrate()
  })
  afterAll(async () => {
    await pool?.end()
    await server?.stop()
  })

  const cases = storeConformance({
    create: () => new PostgresStore({ client: pool }),
    capabilities: { touch: true, lock: true, userIndex: true },
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
})
