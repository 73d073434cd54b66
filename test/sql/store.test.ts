import { afterAll, beforeAll, expect, it } from 'vitest'
import type { DatabaseServer } from '../support/database-server.js'
import { newKey, recordOf } from './fixtures.js'
import type { SqlPool, SqlStore, SqlTarget } from './target.js'
import { forEachSqlTarget } from './targets.js'

forEachSqlTarget(<Pool extends SqlPool>(target: SqlTarget<Pool>) =>
  target.describe(target.storeName, () => {
    let server: DatabaseServer<object>
    let pool: Pool
    let store: SqlStore
    beforeAll(async () => {
      server = await target.start()
      pool = target.pool(server, 4)
      store = target.store(pool)
      await store.migrate()
    })
    afterAll(async () => {
      await store?.close()
      await pool?.end()
      await server?.stop()
    })

    it('round-trips a record exactly, control fields included', async () => {
      const key = newKey()
      const record = recordOf({ cart: [1, 2], nested: { ok: true, s: 'é ✓ 😀' }, n: null }, 60, {
        user: { id: 'u1', roles: ['admin'] },
        userId: 'u1',
        persistent: false,
        ttl: 3600,
        userAgent: 'test',
        absoluteExpiresAt: Date.now() + 120_000,
      })
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
      expect(await target.rowsOf(pool, expired)).toBe(0)
      expect((await store.listByUser('alice')).map((s) => s.key)).toEqual([a])
      expect(await store.deleteByUser('alice')).toEqual([a])
      expect(await store.listByUser('alice')).toEqual([])
      expect((await store.listByUser('bob')).map((s) => s.key)).toEqual([c])
    })

    it('sweeps expired rows in batches, keeping live ones and held locks', async () => {
      const sweeper = target.store(pool, { sweepBatchSize: 2, sweepInterval: 0 })
      await sweeper.sweep()
      const live = newKey()
      await store.set(live, recordOf({ live: true }), 60)
      for (let i = 0; i < 5; i++) await store.set(newKey(), recordOf({ i }, -10), 1)
      const locked = newKey()
      const lease = await store.lock(locked, { leaseMs: 5000, waitMs: 1000 })
      await target.expireSession(pool, locked)
      expect(await sweeper.sweep()).toBe(5)
      expect(await store.get(live)).toBeDefined()
      expect(await target.rowsOf(pool, locked)).toBe(1)
      await lease.commit()
      expect(await target.rowsOf(pool, locked)).toBe(0)
      await sweeper.close()
    })

    it('sweeps by itself on an unref()d timer that close() stops', async () => {
      const sweeper = target.store(pool, { sweepInterval: 0.1 })
      const key = newKey()
      await store.set(key, recordOf({}, -10), 1)
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(await target.rowsOf(pool, key)).toBe(0)
      await sweeper.close()
      await store.set(key, recordOf({}, -10), 1)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await target.rowsOf(pool, key)).toBe(1)
    })
  }),
)
