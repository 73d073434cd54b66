import mysql from 'mysql2/promise'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'

describeWithMySQL('MariaDB test server', () => {
  let server: MySQLServer
  beforeAll(async () => {
    server = await startMySQL()
  })
  afterAll(() => server?.stop())

  it('serves a password user over TCP, and freezes connected clients', async () => {
    const client = await mysql.createConnection(server.connection)
    const [rows] = await client.query('SELECT DATABASE() AS db, 1 AS one')
    expect(rows).toEqual([{ db: 'latchkey_test', one: 1 }])
    await server.freeze()
    await expect(client.query({ sql: 'SELECT 1', timeout: 500 })).rejects.toThrow(/timeout/i)
    await server.thaw()
    const fresh = await mysql.createConnection(server.connection)
    const [again] = await fresh.query('SELECT 2 AS two')
    expect(again).toEqual([{ two: 2 }])
    await fresh.end()
    client.destroy()
  })
})
