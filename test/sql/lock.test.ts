import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import {
  SessionLockLostError,
  SessionLockTimeoutError,
  Sessions,
  type StoreLease,
} from '../../src/index.js'
import { startCounterApp } from '../support/counter-app.js'
import type { DatabaseServer } from '../support/database-server.js'
import { CookieJar } from '../support/http.js'
import { newKey, recordOf } from './fixtures.js'
import type { SqlPool, SqlStore, SqlTarget } from './target.js'
import { forEachSqlTarget } from './targets.js'

const LONG = { leaseMs: 10_000, waitMs: 5_000 }

forEachSqlTarget(<Pool extends SqlPool>(target: SqlTarget<Pool>) =>
  target.describe(`${target.storeName} lock`, () => {
    let server: DatabaseServer<object>
    let poolA: Pool
    let poolB: Pool
    /** Two stores on two pools: as two processes would see the table. */
    let a: SqlStore
    let b: SqlStore
    beforeAll(async () => {
      server = await target.start()
      poolA = target.pool(server, 4)
      poolB = target.pool(server, 4)
      a = target.store(poolA)
      b = target.store(poolB)
      await a.migrate()
    })
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()])
      await Promise.all([poolA?.end(), poolB?.end()])
      await server?.stop()
    })

    it('locks and loads in one step, and saves and unlocks in one step', async () => {
      const key = newKey()
      await a.set(key, recordOf({ n: 1 }), 60)
      const lease = await a.lock(key, LONG)
      expect(lease.record?.data).toEqual({ n: 1 })
      expect(await lease.commit({ type: 'set', record: recordOf({ n: 2 }), ttlSeconds: 60 })).toBe(
        true,
      )
      const next = await b.lock(key, LONG)
      expect(next.record?.data).toEqual({ n: 2 })
      expect(await next.commit({ type: 'delete' })).toBe(true)
      expect(await a.get(key)).toBeUndefined()
    })

    it('excludes other holders until released, and gives up after waitMs', async () => {
      const key = newKey()
      await a.set(key, recordOf({}), 60)
      const held = await a.lock(key, LONG)
      const started = Date.now()
      await expect(b.lock(key, { leaseMs: 1000, waitMs: 200 })).rejects.toThrow(
        SessionLockTimeoutError,
      )
      const waited = Date.now() - started
      expect(waited).toBeGreaterThanOrEqual(195)
      expect(waited).toBeLessThan(1000)
      const waiting = b.lock(key, LONG)
      await new Promise((resolve) => setTimeout(resolve, 50))
      await held.commit()
      await (await waiting).commit()
    })

    it('locks a key that has no session, leaving nothing behind', async () => {
      const key = newKey()
      const held = await a.lock(key, LONG)
      expect(held.record).toBeUndefined()
      await expect(b.lock(key, { leaseMs: 1000, waitMs: 100 })).rejects.toThrow(
        SessionLockTimeoutError,
      )
      expect(await a.get(key)).toBeUndefined()
      await held.commit()
      expect(await target.rowsOf(poolA, key)).toBe(0)
    })

    it('serialises 40 concurrent lockers of a key that has no session, from two stores', async () => {
      const key = newKey()
      let inside = 0
      let overlaps = 0
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const lease = await (i % 2 ? a : b).lock(key, { leaseMs: 5000, waitMs: 20_000 })
          if (++inside > 1) overlaps++
          await new Promise((resolve) => setTimeout(resolve, 1))
          inside--
          await lease.commit()
        }),
      )
      expect(overlaps).toBe(0)
      expect(await target.rowsOf(poolA, key)).toBe(0)
    })

    it('writes through a lease only if the session still exists', async () => {
      const missing = newKey()
      const onMissing = await a.lock(missing, LONG)
      expect(
        await onMissing.commit({ type: 'set', record: recordOf({ x: 1 }), ttlSeconds: 60 }),
      ).toBe(false)
      expect(await a.get(missing)).toBeUndefined()

      const key = newKey()
      await a.set(key, recordOf({ v: 'before' }, 60, { userId: 'carol' }), 60)
      const held = await a.lock(key, LONG)
      expect(await b.deleteByUser('carol')).toEqual([key])
      expect(
        await held.commit({ type: 'set', record: recordOf({ v: 'after' }), ttlSeconds: 60 }),
      ).toBe(false)
      expect(await a.get(key)).toBeUndefined()
      expect(await target.rowsOf(poolA, key)).toBe(0)
    })

    it('renews the lease while it is held', async () => {
      const key = newKey()
      await a.set(key, recordOf({ n: 0 }), 60)
      const held = await a.lock(key, { leaseMs: 500, waitMs: 1000 })
      await new Promise((resolve) => setTimeout(resolve, 1200))
      await expect(b.lock(key, { leaseMs: 500, waitMs: 600 })).rejects.toThrow(
        SessionLockTimeoutError,
      )
      expect(await held.commit({ type: 'set', record: recordOf({ n: 1 }), ttlSeconds: 60 })).toBe(
        true,
      )
      expect((await a.get(key))?.data).toEqual({ n: 1 })
    })

    for (const [label, skewMs] of [
      ['behind', -3_600_000],
      ['ahead of', 3_600_000],
    ] as const) {
      it(`locks, renews and hands over with our clock an hour ${label} the database's`, async () => {
        vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
        vi.setSystemTime(Date.now() + skewMs)
        const pool = target.pool(server, 2)
        // A fresh store: it has not learned the offset yet.
        const store = target.store(pool)
        try {
          const key = newKey()
          await store.set(key, recordOf({ n: 0 }), 60)
          const held = await store.lock(key, { leaseMs: 500, waitMs: 1000 })
          expect(held.record?.data).toEqual({ n: 0 })
          await new Promise((resolve) => setTimeout(resolve, 1200))
          await expect(b.lock(key, { leaseMs: 500, waitMs: 600 })).rejects.toThrow(
            SessionLockTimeoutError,
          )
          expect(
            await held.commit({ type: 'set', record: recordOf({ n: 1 }), ttlSeconds: 60 }),
          ).toBe(true)
          const next = await store.lock(key, { leaseMs: 500, waitMs: 1000 })
          expect(next.record?.data).toEqual({ n: 1 })
          await next.commit()
        } finally {
          vi.useRealTimers()
          await store.close()
          await pool.end()
        }
      })
    }

    it('fences a holder whose lease expired: its save and delete are refused, nothing written', async () => {
      const key = newKey()
      await a.set(key, recordOf({ by: 'nobody' }), 60)
      const stale = await a.lock(key, LONG)
      const stale2 = stale as StoreLease
      // The lease lapses (a long GC pause, a partition): the database clock decides.
      await target.expireLock(poolB, key)
      const fresh = await b.lock(key, { leaseMs: 1000, waitMs: 1000 })
      await expect(
        stale2.commit({ type: 'set', record: recordOf({ by: 'stale' }), ttlSeconds: 60 }),
      ).rejects.toThrow(SessionLockLostError)
      expect(
        await fresh.commit({ type: 'set', record: recordOf({ by: 'fresh' }), ttlSeconds: 60 }),
      ).toBe(true)
      const again = await a.lock(key, LONG)
      await target.expireLock(poolB, key)
      await (await b.lock(key, LONG)).commit()
      await expect(again.commit({ type: 'delete' })).rejects.toThrow(SessionLockLostError)
      expect((await a.get(key))?.data).toEqual({ by: 'fresh' })
    })

    it('frees the lock of a holder that died, within its lease', async () => {
      const key = newKey()
      await a.set(key, recordOf({ n: 0 }), 60)
      const doomedPool = target.pool(server, 1)
      const doomed = target.store(doomedPool, { queryTimeout: 0.5 })
      await doomed.lock(key, { leaseMs: 400, waitMs: 1000 })
      const lockedAt = Date.now()
      // The holder loses the database for good: its renewals fail from now on.
      await doomedPool.end()
      const lease = await b.lock(key, { leaseMs: 1000, waitMs: 3000 })
      const freedAfter = Date.now() - lockedAt
      expect(freedAfter).toBeGreaterThanOrEqual(350)
      expect(freedAfter).toBeLessThan(1400)
      expect(lease.record?.data).toEqual({ n: 0 })
      await lease.commit()
      await doomed.close()
    })

    for (const max of [4, 1]) {
      it(`serves 50 locked increments of one session through a pool of ${max}`, async () => {
        const pool = target.pool(server, max)
        const store = target.store(pool)
        const key = newKey()
        await store.set(key, recordOf({ n: 0 }), 60)
        const watch = target.watch(pool)
        const started = performance.now()
        await Promise.all(
          Array.from({ length: 50 }, async () => {
            const lease = await store.lock(key, { leaseMs: 5000, waitMs: 20_000 })
            const n = Number((lease.record?.data as { n?: number } | undefined)?.n)
            await lease.commit({ type: 'set', record: recordOf({ n: n + 1 }), ttlSeconds: 60 })
          }),
        )
        const elapsed = performance.now() - started
        watch.stop()
        expect((await store.get(key))?.data).toEqual({ n: 50 })
        expect(watch.connections()).toBeLessThanOrEqual(max)
        console.log(
          `pool max ${max}: 50 locked increments on one key in ${elapsed.toFixed(0)} ms, ${watch.waits()}`,
        )
        await store.close()
        await pool.end()
      })
    }

    it(`costs ${target.lockedRequest.statements} statements per locked request, through the Fastify plugin, with 50 requests on a pool of 2`, async () => {
      const pool = target.pool(server, 2)
      let statements = 0
      const store = target.countingStore(pool, () => statements++)
      const sessions = new Sessions<{ n: number }>({
        store,
        warnLock: false,
        lock: { timeout: 20, lease: 5 },
      })
      const { app, base } = await startCounterApp(sessions)
      const jar = new CookieJar()
      expect((await jar.fetch(`${base}/inc`)).json()).toEqual({ n: 1 })
      statements = 0
      expect((await jar.fetch(`${base}/inc`)).json()).toEqual({ n: 2 })
      expect(statements, target.lockedRequest.are).toBe(target.lockedRequest.statements)
      statements = 0
      expect((await jar.fetch(`${base}/read`)).json()).toEqual({ n: 2 })
      expect(statements).toBe(1)
      statements = 0
      const replies = await Promise.all(Array.from({ length: 50 }, () => jar.fetch(`${base}/inc`)))
      expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200))
      // Requests of one session queue in-process: no statement is spent on a held lock.
      expect(statements).toBe(50 * target.lockedRequest.statements)
      expect((await jar.fetch(`${base}/read`)).json()).toEqual({ n: 52 })
      await app.close()
      await store.close()
      await pool.end()
    })
  }),
)
