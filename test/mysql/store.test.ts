import { readFile } from 'node:fs/promises'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SessionConfigError } from '../../src/index.js'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'
import { newKey, poolOn, recordOf } from './fixtures.js'

describeWithMySQL('MySQLStore', () => {
  let server: MySQLServer
  let pool: mysql.Pool
  let store: MySQLStore
  const rowsOf = async (key: string) => {
    const [rows] = await pool.query('SELECT 1 FROM latchkey_sessions WHERE session_key = ?', [key])
    return rows as unknown[]
  }
  beforeAll(async () => {
    server = await startMySQL()
    pool = poolOn(server.connection, 4)
    store = new MySQLStore({ client: pool })
    await store.migrate()
  }, 60_000)
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

  it('round-trips a record exactly, control fields and any string included', async () => {
    const key = newKey()
    const record = recordOf(
      { cart: [1, 2], nested: { ok: true, s: 'é ✓ 😀', nul: 'a\u0000b', lone: '\ud800' }, n: null },
      60,
      {
        user: { id: 'u1', roles: ['admin'] },
        userId: 'u1',
        persistent: false,
        ttl: 3600,
        userAgent: 'test',
        absoluteExpiresAt: Date.now() + 120_000,
      },
    )
    await store.set(key, record, 60)
    expect(await store.get(key)).toEqual(record)
    expect(await store.get(newKey())).toBeUndefined()
  })

  it('caps expiry at ttlSeconds and ignores expired rows', async () => {
    const key = newKey()
    await store.set(key, recordOf({ a: 1 }, 3600), 1)
    const read = await store.get(key)
    expect(read?.expiresAt).toBeLessThanOrEqual(Date.now() + 1000)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(await store.get(key)).toBeUndefined()
  })

  it('overwrites, deletes, and touches without rewriting data, also when nothing changes', async () => {
    const key = newKey()
    await store.set(key, recordOf({ v: 1 }), 60)
    await store.set(key, recordOf({ v: 2 }), 60)
    expect((await store.get(key))?.data).toEqual({ v: 2 })
    const later = Date.now() + 5000
    const times = { lastSeenAt: later, expiresAt: later + 600_000 }
    expect(await store.touch(key, times, 600)).toBe(true)
    expect(await store.touch(key, times, 600)).toBe(true)
    const touched = await store.get(key)
    expect(touched?.lastSeenAt).toBe(later)
    expect(touched?.data).toEqual({ v: 2 })
    await store.delete(key)
    await store.delete(key)
    expect(await store.get(key)).toBeUndefined()
    expect(await store.touch(key, { lastSeenAt: later, expiresAt: later + 1000 }, 60)).toBe(false)
    expect(await store.get(key)).toBeUndefined()
  })

  it('indexes sessions by user', async () => {
    const [a, b, c, expired] = [newKey(), newKey(), newKey(), newKey()]
    await store.set(a, recordOf({ n: 'a' }, 60, { userId: 'alice' }), 60)
    await store.set(b, recordOf({ n: 'b' }, 60, { userId: 'alice' }), 60)
    await store.set(c, recordOf({ n: 'c' }, 60, { userId: 'bob' }), 60)
    await store.set(expired, recordOf({}, -1, { userId: 'alice' }), 1)
    const listed = await store.listByUser('alice')
    expect(listed.map((s) => s.key).sort()).toEqual([a, b].sort())
    expect(listed.find((s) => s.key === a)?.record.data).toEqual({ n: 'a' })
    expect(await store.deleteByUser('alice', { exceptKey: a })).toEqual([b])
    expect(await rowsOf(expired)).toHaveLength(0)
    expect((await store.listByUser('alice')).map((s) => s.key)).toEqual([a])
    expect(await store.deleteByUser('alice')).toEqual([a])
    expect(await store.listByUser('alice')).toEqual([])
    expect((await store.listByUser('bob')).map((s) => s.key)).toEqual([c])
  })

  it('sweeps expired rows in batches, keeping live ones and held locks', async () => {
    const sweeper = new MySQLStore({ client: pool, sweepBatchSize: 2, sweepInterval: 0 })
    await sweeper.sweep()
    const live = newKey()
    await store.set(live, recordOf({ live: true }), 60)
    for (let i = 0; i < 5; i++) await store.set(newKey(), recordOf({ i }, -10), 1)
    const locked = newKey()
    const lease = await store.lock(locked, { leaseMs: 5000, waitMs: 1000 })
    await pool.query('UPDATE latchkey_sessions SET expires_at = 0 WHERE session_key = ?', [locked])
    expect(await sweeper.sweep()).toBe(5)
    expect(await store.get(live)).toBeDefined()
    expect(await rowsOf(locked)).toHaveLength(1)
    await lease.commit()
    expect(await rowsOf(locked)).toHaveLength(0)
    await sweeper.close()
  })

  it('sweeps by itself on an unref()d timer that close() stops', async () => {
    const sweeper = new MySQLStore({ client: pool, sweepInterval: 0.1 })
    const key = newKey()
    await store.set(key, recordOf({}, -10), 1)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await rowsOf(key)).toHaveLength(0)
    await sweeper.close()
    await store.set(key, recordOf({}, -10), 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await rowsOf(key)).toHaveLength(1)
  })
})
