import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionLockLostError, SessionLockTimeoutError } from '../../src/index.js'
import { SQLiteStore } from '../../src/stores/sqlite/index.js'
import { newKey, recordOf, type TempDir, tempDir } from './fixtures.js'

const LONG = { leaseMs: 10_000, waitMs: 5_000 }

describe('SQLiteStore lock', () => {
  let temp: TempDir
  /** Two stores on two connections to one file: as two processes would see it. */
  let a: SQLiteStore
  let b: SQLiteStore
  /** A third connection, to look at and tamper with the rows. */
  let raw: Database.Database
  const row = (key: string) =>
    raw
      .prepare('SELECT data, lock_token, lock_fence FROM latchkey_sessions WHERE session_key = ?')
      .get(key) as
      | { data: string | null; lock_token: string | null; lock_fence: number }
      | undefined
  /** Ends the lease on `key` now, as a holder stalled past it would find it. */
  const lapse = (key: string) =>
    raw.prepare('UPDATE latchkey_sessions SET lock_expires_at = 0 WHERE session_key = ?').run(key)

  beforeAll(async () => {
    temp = await tempDir()
    a = new SQLiteStore({ path: temp.file })
    b = new SQLiteStore({ path: temp.file })
    await a.migrate()
    raw = new Database(temp.file)
  })
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()])
    raw?.close()
    await temp?.remove()
  })

  it('locks and loads in one transaction, and saves and unlocks in one', async () => {
    const key = newKey()
    await a.set(key, recordOf({ n: 1 }), 60)
    const lease = await a.lock(key, LONG)
    expect(lease.record?.data).toEqual({ n: 1 })
    expect(row(key)?.lock_token).not.toBeNull()
    expect(await lease.commit({ type: 'set', record: recordOf({ n: 2 }), ttlSeconds: 60 })).toBe(
      true,
    )
    expect(row(key)).toMatchObject({ data: '{"n":2}', lock_token: null })
    const next = await b.lock(key, LONG)
    expect(next.record?.data).toEqual({ n: 2 })
    expect(await next.commit({ type: 'delete' })).toBe(true)
    expect(await a.get(key)).toBeUndefined()
    expect(row(key)).toBeUndefined()
  })

  it('counts every acquisition of a row in its fence', async () => {
    const key = newKey()
    await a.set(key, recordOf({}), 60)
    for (const fence of [1, 2, 3]) {
      const lease = await (fence % 2 ? a : b).lock(key, LONG)
      expect(row(key)?.lock_fence).toBe(fence)
      await lease.commit()
    }
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
    expect(row(key)?.data).toBeNull()
    await held.commit()
    expect(row(key)).toBeUndefined()
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
    expect(row(key)).toBeUndefined()
  })

  it('writes through a lease only if the session still exists', async () => {
    const missing = newKey()
    const onMissing = await a.lock(missing, LONG)
    expect(
      await onMissing.commit({ type: 'set', record: recordOf({ x: 1 }), ttlSeconds: 60 }),
    ).toBe(false)
    expect(row(missing)).toBeUndefined()

    const key = newKey()
    await a.set(key, recordOf({ v: 'before' }, 60, { userId: 'carol' }), 60)
    const held = await a.lock(key, LONG)
    expect(await b.deleteByUser('carol')).toEqual([key])
    expect(
      await held.commit({ type: 'set', record: recordOf({ v: 'after' }), ttlSeconds: 60 }),
    ).toBe(false)
    expect(row(key)).toBeUndefined()
  })

  it('saves a lock-only row that became a session while locked', async () => {
    const key = newKey()
    const held = await a.lock(key, LONG)
    await b.set(key, recordOf({ v: 'created' }), 60)
    expect(
      await held.commit({ type: 'set', record: recordOf({ v: 'saved' }), ttlSeconds: 60 }),
    ).toBe(true)
    expect(row(key)).toMatchObject({ data: '{"v":"saved"}', lock_token: null })
  })

  it('renews the lease while it is held', async () => {
    const key = newKey()
    await a.set(key, recordOf({ n: 0 }), 60)
    const held = await a.lock(key, { leaseMs: 300, waitMs: 1000 })
    await new Promise((resolve) => setTimeout(resolve, 800))
    await expect(b.lock(key, { leaseMs: 300, waitMs: 400 })).rejects.toThrow(
      SessionLockTimeoutError,
    )
    expect(await held.commit({ type: 'set', record: recordOf({ n: 1 }), ttlSeconds: 60 })).toBe(
      true,
    )
    expect((await a.get(key))?.data).toEqual({ n: 1 })
  })

  it('fences a holder whose lease expired: its save and delete are refused, nothing written', async () => {
    const key = newKey()
    await a.set(key, recordOf({ by: 'nobody' }), 60)
    const stale = await a.lock(key, LONG)
    lapse(key)
    const fresh = await b.lock(key, { leaseMs: 1000, waitMs: 1000 })
    await expect(
      stale.commit({ type: 'set', record: recordOf({ by: 'stale' }), ttlSeconds: 60 }),
    ).rejects.toThrow(SessionLockLostError)
    expect(
      await fresh.commit({ type: 'set', record: recordOf({ by: 'fresh' }), ttlSeconds: 60 }),
    ).toBe(true)
    const again = await a.lock(key, LONG)
    lapse(key)
    await (await b.lock(key, LONG)).commit()
    await expect(again.commit({ type: 'delete' })).rejects.toThrow(SessionLockLostError)
    expect((await a.get(key))?.data).toEqual({ by: 'fresh' })
    // A bare release of a lost lease changes nothing and is no error.
    const third = await a.lock(key, LONG)
    lapse(key)
    const fourth = await b.lock(key, LONG)
    expect(await third.commit()).toBe(true)
    await expect(a.lock(key, { leaseMs: 1000, waitMs: 50 })).rejects.toThrow(
      SessionLockTimeoutError,
    )
    await fourth.commit()
  })

  it('frees the lock of a holder that died, within its lease', async () => {
    const key = newKey()
    await a.set(key, recordOf({ n: 0 }), 60)
    const doomed = new SQLiteStore({ path: temp.file })
    await doomed.lock(key, { leaseMs: 400, waitMs: 1000 })
    const lockedAt = Date.now()
    // The holder loses its database for good: its renewals fail from now on.
    await doomed.close()
    const lease = await b.lock(key, { leaseMs: 1000, waitMs: 3000 })
    const freedAfter = Date.now() - lockedAt
    expect(freedAfter).toBeGreaterThanOrEqual(350)
    expect(freedAfter).toBeLessThan(1000)
    expect(lease.record?.data).toEqual({ n: 0 })
    await lease.commit()
  })

  it('serves 200 locked increments of one session from two stores without losing one', async () => {
    const key = newKey()
    await a.set(key, recordOf({ n: 0 }), 60)
    const started = performance.now()
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const lease = await (i % 2 ? a : b).lock(key, { leaseMs: 5000, waitMs: 20_000 })
        const n = Number((lease.record?.data as { n?: number } | undefined)?.n)
        await lease.commit({ type: 'set', record: recordOf({ n: n + 1 }), ttlSeconds: 60 })
      }),
    )
    const elapsed = performance.now() - started
    expect((await a.get(key))?.data).toEqual({ n: 200 })
    console.log(`200 locked increments on one key, two connections: ${elapsed.toFixed(0)} ms`)
  })
})
