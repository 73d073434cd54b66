import mysql from 'mysql2/promise'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { newKey, recordOf } from '../sql/fixtures.js'
import { poolOn } from '../sql/mysql-target.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'

describeWithMySQL('MySQLStore across a server restart and pool settings', () => {
  let server: MySQLServer
  let pool: mysql.Pool
  let store: MySQLStore
  beforeAll(async () => {
    server = await startMySQL()
    pool = poolOn(server.connection, 2)
    store = new MySQLStore({ client: pool, sweepInterval: 0 })
    await store.migrate()
  })
  afterAll(async () => {
    await store?.close()
    await pool?.end()
    await server?.stop()
  })

  it('keeps sessions and their user index through a restart; the same pool serves again', async () => {
    const key = newKey()
    const record = recordOf({ kept: true }, 600, { userId: 'dana' })
    await store.set(key, record, 600)
    await server.restart()
    // The pool's connections were cut by the restart: the first statements may fail, then not.
    const deadline = Date.now() + 10_000
    let read = await store.get(key).catch(() => undefined)
    while (read === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      read = await store.get(key).catch(() => undefined)
    }
    expect(read).toEqual(record)
    expect((await store.listByUser('dana')).map((s) => s.key)).toEqual([key])
    const lease = await store.lock(key, { leaseMs: 2000, waitMs: 1000 })
    expect(lease.record?.data).toEqual({ kept: true })
    expect(await lease.commit({ type: 'set', record: recordOf({ n: 1 }), ttlSeconds: 60 })).toBe(
      true,
    )
  })

  it('works on a pool without FOUND_ROWS and with BIGINTs as strings', async () => {
    const odd = mysql.createPool({
      ...server.connection,
      connectionLimit: 2,
      flags: ['-FOUND_ROWS'],
      supportBigNumbers: true,
      bigNumberStrings: true,
    })
    const other = new MySQLStore({ client: odd, sweepInterval: 0 })
    try {
      const key = newKey()
      const record = recordOf({ v: 1 }, 60, { absoluteExpiresAt: Date.now() + 120_000 })
      await other.set(key, record, 60)
      expect(await other.get(key)).toEqual(record)
      // The same times twice: the second UPDATE changes nothing, and counts 0 rows here.
      const times = { lastSeenAt: record.lastSeenAt + 1, expiresAt: record.expiresAt + 1 }
      expect(await other.touch(key, times, 60)).toBe(true)
      expect(await other.touch(key, times, 60)).toBe(true)
      expect(await other.touch(newKey(), times, 60)).toBe(false)
      // Renewals every 20 ms land within one database millisecond at times: still held.
      const held = await other.lock(key, { leaseMs: 60, waitMs: 1000 })
      await new Promise((resolve) => setTimeout(resolve, 300))
      await expect(store.lock(key, { leaseMs: 1000, waitMs: 100 })).rejects.toThrow()
      expect(await held.commit({ type: 'set', record: recordOf({ v: 2 }), ttlSeconds: 60 })).toBe(
        true,
      )
      expect((await store.get(key))?.data).toEqual({ v: 2 })
    } finally {
      await other.close()
      await odd.end()
    }
  })
})
