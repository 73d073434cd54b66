import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'

describeWithPostgres('PostgreSQL test server', () => {
  let server: PostgresServer
  beforeAll(async () => {
    server = await startPostgres()
  })
  afterAll(() => server?.stop())

  it('serves queries and freezes every backend, connected ones included', async () => {
    const client = new pg.Client({ ...server.connection, query_timeout: 500 })
    await client.connect()
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    await server.freeze()
    await expect(client.query('SELECT 1')).rejects.toThrow(/timeout/i)
    await server.thaw()
    const fresh = new pg.Client(server.connection)
    await fresh.connect()
    expect((await fresh.query('SELECT current_database() AS db')).rows).toEqual([
      { db: 'latchkey_test' },
    ])
    await fresh.end()
    await client.end().catch(() => {})
  })
})
