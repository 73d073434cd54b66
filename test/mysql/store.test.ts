import { readFile } from 'node:fs/promises'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SessionConfigError } from '../../src/index.js'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { newKey, recordOf } from '../sql/fixtures.js'
import { poolOn } from '../sql/mysql-target.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'

describeWithMySQL('MySQLStore on MariaDB', () => {
  let server: MySQLServer
  let pool: mysql.Pool
  let store: MySQLStore
  beforeAll(async () => {
    server = await startMySQL()
    pool = poolOn(server.connection, 4)
    store = new MySQLStore({ client: pool })
    await store.migrate()
  })
  afterAll(async () => {
    await store?.close()
    await pool?.end()
    await server?.stop()
  })

  it('ships the SQL that migrate() runs', async () => {
    const file = await readFile(new URL('../../sql/mysql.sql', import.meta.url), 'utf8')
    expect(file.trimEnd().endsWith(`${store.schemaSql()};`)).toBe(true)
    await pool.query(file)
  })

  it('migrates idempotently, concurrently too, in another database', async () => {
    const other = new MySQLStore({ client: pool, database: 'latchkey_test', table: 'Web_Sessions' })
    await Promise.all([other.migrate(), other.migrate(), other.migrate()])
    await other.migrate()
    const key = newKey()
    await other.set(key, recordOf({ a: 1 }), 60)
    expect((await other.get(key))?.data).toEqual({ a: 1 })
    expect(await store.get(key)).toBeUndefined()
    const [rows] = await pool.query(
      `SELECT DISTINCT index_name AS name FROM information_schema.statistics
       WHERE table_schema = 'latchkey_test' AND table_name = 'Web_Sessions' ORDER BY name`,
    )
    expect((rows as Array<{ name: string }>).map((r) => r.name)).toEqual([
      'PRIMARY',
      'Web_Sessions_expires_at_idx',
      'Web_Sessions_user_id_idx',
    ])
    await other.close()
  })

  it('refuses names that are not plain identifiers and clients without query()', () => {
    for (const table of ['a-b', 'x`; DROP TABLE y; --', '1abc', '', 'a'.repeat(49)]) {
      expect(() => new MySQLStore({ client: pool, table })).toThrow(SessionConfigError)
    }
    expect(() => new MySQLStore({ client: pool, database: 'db.x' })).toThrow(SessionConfigError)
    expect(() => new MySQLStore({ client: {} as mysql.Pool })).toThrow(SessionConfigError)
    expect(() => new MySQLStore({ client: pool, queryTimeout: 0 })).toThrow(SessionConfigError)
    expect(() => new MySQLStore({ client: pool, sweepBatchSize: 0.5 })).toThrow(SessionConfigError)
  })

  it('round-trips any string, \\u0000 and a lone surrogate included (JSON text, not jsonb)', async () => {
    const key = newKey()
    const record = recordOf({ s: 'é ✓ 😀', nul: 'a\u0000b', lone: '\ud800' })
    await store.set(key, record, 60)
    expect(await store.get(key)).toEqual(record)
  })
})
